import { describe, expect, it } from "vitest";
import { RateTarget } from "../src/chat/rate-target.js";

const CEILING = 200;
const TOP = 0.97 * CEILING;

/** Answers at `now` to calls sent at `sentAt`, one for each of `outcomes` (true: rate limited). */
function answer(target: RateTarget, now: number, sentAt: number, outcomes: readonly boolean[]): void {
  for (const rateLimited of outcomes) target.answered(now, sentAt, rateLimited);
}

const admitted = (count: number): boolean[] => Array<boolean>(count).fill(false);
const limited = (count: number): boolean[] => Array<boolean>(count).fill(true);
/** `rounds` of four admitted answers and one rate limited: too few in a row for a crowd's window. */
const spread = (rounds: number): boolean[] =>
  Array.from({ length: rounds }, () => [false, false, false, false, true]).flat();

/** A target that took the even split of four callers at `now`: 56 calls admitted in the last second. */
function atEvenQuarter(now: number): RateTarget {
  const target = new RateTarget(CEILING, 0);
  answer(target, now, now - 1, [...admitted(16), ...spread(10)]);
  expect(target.at(now)).toBeCloseTo(TOP / 4, 5);
  return target;
}

describe("RateTarget", () => {
  it("stays at 97 % of the ceiling while no answer is rate limited", () => {
    const target = new RateTarget(CEILING, 0);
    expect(target.at(0)).toBe(TOP);
    answer(target, 500, 400, admitted(150));
    expect(target.at(60_000)).toBe(TOP);
  });

  it("drops to a little under what the server admitted over a full second, or to the even split close to it", () => {
    // The first rate-limited answer trims 1 %; at a tenth of the second's answers the window is full.
    const takes = (admittedFirst: number, rounds: number): number => {
      const target = new RateTarget(CEILING, 0);
      answer(target, 1000, 999, [...admitted(admittedFirst), ...spread(rounds)]);
      return target.at(1000);
    };
    // 56 admitted is close to a quarter of the ceiling: four callers share it.
    expect(takes(16, 10)).toBeCloseTo(TOP / 4, 5);
    // 150 is far from any even split: the server's ceiling is lower than the client's.
    expect(takes(82, 17)).toBeCloseTo(0.95 * 150, 5);
  });

  it("does not drop again for answers to calls sent before the drop or within the second after it", () => {
    const target = atEvenQuarter(1000);
    answer(target, 1100, 999, limited(5));
    expect(target.at(1100)).toBeCloseTo(TOP / 4 + 0.05, 5);
    // The server's window still holds the second before the drop.
    answer(target, 1900, 1850, limited(5));
    expect(target.at(1900)).toBeCloseTo(TOP / 4 + 0.9 * 0.0025 * CEILING, 5);
    answer(target, 2100, 2050, limited(5));
    expect(target.at(2100)).toBeLessThan(TOP / 4);
  });

  it("trims by the share of a few rate-limited answers, at most 3 % and once a second", () => {
    const target = new RateTarget(CEILING, 0);
    // One of a second's answers, a share taken of at least half a second's calls at the rate.
    answer(target, 0, 0, limited(1));
    const trimmedOnce = TOP * (1 - 1 / (TOP / 2));
    expect(target.at(0)).toBeCloseTo(trimmedOnce, 5);
    // Within the same second, 8 of 108 answers (7 %) are rate limited: too few for a full window.
    answer(target, 100, 99, [...admitted(100), ...limited(7)]);
    expect(target.at(100)).toBeCloseTo(trimmedOnce + 0.1 * 0.0025 * CEILING, 5);
    answer(target, 1000, 999, limited(1));
    expect(target.at(1000)).toBeCloseTo((trimmedOnce + 0.0025 * CEILING) * 0.97, 5);
  });

  it("starts a crowd again from an eighth of the ceiling, doubling until the window fills, where each takes the even split", () => {
    const target = new RateTarget(CEILING, 0);
    // A window that filled at once: 40 admitted, then rate-limited answers in a row.
    answer(target, 600, 599, [...admitted(40), ...limited(10)]);
    expect(target.at(600)).toBe(CEILING / 8);
    expect(target.at(2100)).toBeCloseTo(CEILING / 4, 5);
    expect(target.at(3600)).toBeCloseTo(CEILING / 2, 5);

    // Its calls meet the window again: the server admitted a quarter of the ceiling from it.
    answer(target, 3600, 3500, [...admitted(50), ...limited(1)]);
    expect(target.at(3600)).toBeCloseTo(TOP / 4, 5);
    expect(target.at(4600)).toBeCloseTo(TOP / 4 + 0.0025 * CEILING, 5);
  });

  it("after a calm spell longer than its callers take to fill the headroom, takes the share of one caller fewer", () => {
    const target = atEvenQuarter(1000);
    // Four callers climbing 0.5/s each fill the 3 % headroom in 3 s; calm for 1.5 times that, or 4.5 s.
    expect(target.at(5499)).toBeCloseTo(TOP / 4 + 4.499 * 0.0025 * CEILING, 5);
    const climbed = target.at(5501);
    expect(target.at(6001)).toBeCloseTo(climbed * 2 ** (500 / 1500), 5);
    expect(target.at(7000)).toBeCloseTo(TOP / 3, 5);

    // Answers to calls sent at that rate, a few rate limited as near any ceiling: they trim it by their share.
    answer(target, 7500, 7100, [...admitted(49), ...limited(1)]);
    expect(target.at(7500)).toBeCloseTo((TOP / 3 + 0.5 * 0.0025 * CEILING) * (1 - 1 / 50), 5);
  });

  it("goes back to the share it had when the answers that follow say no caller had left", () => {
    const target = atEvenQuarter(1000);
    target.at(5501);
    expect(target.at(7000)).toBeCloseTo(TOP / 3, 5);
    // 2 of 25 answers rate limited within 2 s: the others are all still there.
    answer(target, 7500, 7100, [...admitted(23), ...limited(2)]);
    expect(target.at(7500)).toBeCloseTo(TOP / 4, 5);
  });
});
