import { describe, expect, it } from "vitest";
import { onAbort } from "../src/chat/abort.js";

describe("onAbort", () => {
  it("calls every listener still waiting when the signal aborts, and no forgotten one", () => {
    const controller = new AbortController();
    const called: number[] = [];
    const forgets = [0, 1, 2, 3].map((i) => onAbort(controller.signal, () => called.push(i)));
    forgets[1]!();
    forgets[3]!();
    controller.abort();
    expect(called).toEqual([0, 2]);
  });

  it("adds one listener to the signal however many wait on it", () => {
    const controller = new AbortController();
    let added = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof add;
    for (let i = 0; i < 1000; i++) onAbort(controller.signal, () => {});
    expect(added).toBe(1);
  });

  it("calls a listener soon after when the signal has already aborted, unless it was forgotten first", async () => {
    const signal = AbortSignal.abort();
    const called: string[] = [];
    onAbort(signal, () => called.push("kept"));
    onAbort(signal, () => called.push("forgotten"))();
    expect(called).toEqual([]);
    await Promise.resolve();
    expect(called).toEqual(["kept"]);
  });

  it("does nothing without a signal", () => {
    expect(() => onAbort(undefined, () => {})()).not.toThrow();
  });
});
