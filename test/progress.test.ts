import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { showProgress } from "../src/cli/progress.js";
import { describeProgress } from "../src/recall/describe.js";
import type { Progress } from "../src/recall/types.js";

const progress = (over: { [K in keyof Progress]?: Progress[K] | undefined } = {}): Progress =>
  ({
    recalled: 90,
    failed: 2,
    skipped: 0,
    notAttempted: 0,
    dryRun: 0,
    done: 92,
    total: 1000,
    elapsedMs: 4000,
    ...over,
  }) as Progress;

describe("a progress line", () => {
  it("says what is done, of how many, at what rate, and how long is left", () => {
    expect(describeProgress(progress())).toBe(
      "92 of 1000 pair(s) done (90 OK, 2 failed) in 4s, 23.0 pairs/s, about 39s left",
    );
  });

  it("leaves out the total and the time left while a fan-out is still finding groups", () => {
    expect(describeProgress(progress({ total: undefined, skipped: 3, elapsedMs: 125_000 }))).toBe(
      "92 pair(s) done (90 OK, 2 failed, 3 skipped) in 2m 5s, 0.7 pairs/s",
    );
  });
});

describe("showProgress", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("redraws one line in place on a terminal, and clears it to print other lines and at the end", () => {
    const written: string[] = [];
    const display = showProgress(
      () => progress(),
      { isTTY: true, write: (t: string) => written.push(t) },
      5000,
    );
    vi.advanceTimersByTime(600);
    display.print("a failure");
    display.stop();
    expect(written).toEqual([
      `\r\u001b[2K${describeProgress(progress())}`,
      `\r\u001b[2K${describeProgress(progress())}`,
      "\r\u001b[2Ka failure\n",
      "\r\u001b[2K",
    ]);
  });

  it("writes a whole line every interval elsewhere", () => {
    const written: string[] = [];
    const display = showProgress(() => progress(), { write: (t: string) => written.push(t) }, 5000);
    vi.advanceTimersByTime(12_000);
    display.print("a failure");
    display.stop();
    vi.advanceTimersByTime(10_000);
    expect(written).toEqual([
      `${describeProgress(progress())}\n`,
      `${describeProgress(progress())}\n`,
      "a failure\n",
    ]);
  });
});
