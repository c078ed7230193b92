import { describe, expect, it } from "vitest";
import { RateLimiter } from "../src/chat/limiter.js";
import { ManualClock, seeded } from "./support/manual-clock.js";
import { simulateSharedApp } from "./support/shared-app.js";

/** The most calls any one-second window [t, t + 1000) holds. */
function busiestSecond(times: readonly number[]): number {
  let most = 0;
  for (let first = 0, last = 0; first < times.length; first++) {
    while (last < times.length && times[last]! < times[first]! + 1000) last++;
    most = Math.max(most, last - first);
  }
  return most;
}

/** Starts `count` calls at once, each noting the time the limiter lets it through. */
function acquireMany(limiter: RateLimiter, clock: ManualClock, count: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) void limiter.acquire().then(() => times.push(clock.now()));
  return times;
}

describe("RateLimiter ceiling", () => {
  it("never lets one second hold more calls than the ceiling, and keeps close to it", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(200, clock);
    const times = acquireMany(limiter, clock, 1000);
    await clock.advanceUntil(() => times.length === 1000, 60_000);

    expect(times).toHaveLength(1000);
    expect(busiestSecond(times)).toBeLessThanOrEqual(200);
    const callsPerSecond = (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
    expect(callsPerSecond).toBeGreaterThan(0.95 * 200);
    expect(callsPerSecond).toBeLessThanOrEqual(200);
  });

  it.each([1, 5, 10, 30, 50])(
    "holds a ceiling of %i when callers arrive in bursts after idle spells",
    async (ceiling) => {
      const clock = new ManualClock();
      const limiter = new RateLimiter(ceiling, clock);
      const random = seeded(7);
      const times: number[] = [];
      for (let burst = 0; burst < 40; burst++) {
        times.push(...(await acquireBurst(limiter, clock, 1 + Math.floor(random() * ceiling))));
        await clock.advanceTo(clock.now() + random() * 1500);
      }

      expect(times.length).toBeGreaterThan(10 * ceiling);
      expect(busiestSecond(times)).toBeLessThanOrEqual(ceiling);
    },
  );

  it("spaces calls evenly instead of letting a second's worth through at once", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(100, clock);
    const times = acquireMany(limiter, clock, 100);
    await clock.advanceUntil(() => times.length === 100, 10_000);

    const inFirstTenth = times.filter((t) => t < times[0]! + 100).length;
    expect(inFirstTenth).toBeLessThanOrEqual(11);
  });

  it("refuses a ceiling that is not positive", () => {
    expect(() => new RateLimiter(0)).toThrow(RangeError);
  });
});

async function acquireBurst(limiter: RateLimiter, clock: ManualClock, count: number): Promise<number[]> {
  const times = acquireMany(limiter, clock, count);
  await clock.advanceUntil(() => times.length === count, clock.now() + 60_000, 5);
  return times;
}

/** Lets `count` calls through, answered as the server would: `admitted` says which are admitted. */
async function answered(
  limiter: RateLimiter,
  clock: ManualClock,
  count: number,
  admitted: (index: number) => boolean,
): Promise<void> {
  const grants = acquireMany(limiter, clock, count);
  await clock.advanceUntil(() => grants.length === count, clock.now() + 60_000, 5);
  grants.forEach((grantedAt, i) => limiter.onAnswer(grantedAt, !admitted(i)));
}

describe("RateLimiter after rate-limited answers", () => {
  it("drops to a little under what the server admitted over the last second when its window is full, then climbs back", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(200, clock);
    const fullRate = limiter.rate;
    // 50 calls of the last second were admitted, then the server's window was full.
    await answered(limiter, clock, 60, (i) => i < 50);
    const droppedAt = clock.now();
    const lowered = limiter.rate;
    expect(lowered).toBeCloseTo(0.95 * 50, 5);

    // It climbs by a quarter of a percent of the ceiling per second...
    await clock.advanceTo(droppedAt + 2000);
    expect(limiter.rate).toBeCloseTo(lowered + 2 * 0.0025 * 200, 5);
    await clock.advanceTo(droppedAt + 15_000);
    const calm = limiter.rate;
    expect(calm).toBeCloseTo(lowered + 15 * 0.0025 * 200, 5);
    // ...and, once nothing was rate limited for fifteen seconds, by a fifth of itself per second.
    await clock.advanceTo(droppedAt + 16_000);
    expect(limiter.rate).toBeCloseTo(calm * 1.2, 5);
    await clock.advanceTo(clock.now() + 60_000);
    expect(limiter.rate).toBe(fullRate);
  });

  it("trims the rate by the share of a few rate-limited answers, at most once a second", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(200, clock);
    const fullRate = limiter.rate;
    // One of 51 answers, a share taken of at least half a second's calls at the rate; the second
    // rate-limited answer comes within the same second and trims nothing.
    await answered(limiter, clock, 100, (i) => i !== 50 && i !== 99);
    const trimmed = fullRate * (1 - 1 / (fullRate / 2));
    expect(limiter.rate).toBeCloseTo(trimmed, 5);

    await clock.advanceTo(clock.now() + 1000);
    const climbed = limiter.rate;
    expect(climbed).toBeCloseTo(trimmed + 0.0025 * 200, 5);
    await answered(limiter, clock, 1, () => false);
    expect(limiter.rate).toBeLessThan(climbed);
  });

  it("takes the even split of the ceiling when what the server admitted is close to one", async () => {
    const dropAfter = async (admitted: number) => {
      const clock = new ManualClock();
      const limiter = new RateLimiter(200, clock);
      await answered(limiter, clock, admitted + 30, (i) => i < admitted);
      return limiter.rate;
    };
    // 56 of 200 is close to a quarter: four callers share the ceiling.
    expect(await dropAfter(56)).toBeCloseTo(0.95 * 50, 5);
    expect(await dropAfter(46)).toBeCloseTo(0.95 * 50, 5);
    // 150 is far from any even split (200 or 100): the server's ceiling is lower than the client's.
    expect(await dropAfter(150)).toBeCloseTo(0.95 * 150, 5);
  });

  it("trims by at most 3 % however many of a second's answers were rate limited, short of a full window", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(200, clock);
    limiter.onAnswer(clock.now(), true);
    const trimmedOnce = limiter.rate;
    // Within the next second, 8 of 108 answers (7 %) are rate limited: too few for a full window.
    await clock.advanceTo(clock.now() + 100);
    for (let i = 0; i < 100; i++) limiter.onAnswer(clock.now(), false);
    for (let i = 0; i < 7; i++) limiter.onAnswer(clock.now(), true);
    expect(limiter.rate).toBeCloseTo(trimmedOnce + 0.1 * 0.0025 * 200, 5);
    await clock.advanceTo(clock.now() + 900);
    limiter.onAnswer(clock.now(), true);
    expect(limiter.rate).toBeCloseTo((trimmedOnce + 0.0025 * 200) * 0.97, 5);
  });

  it("does not drop again for calls sent before the drop", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(200, clock);
    const grants = acquireMany(limiter, clock, 150);
    await clock.advanceUntil(() => grants.length === 150, 10_000);
    grants.forEach((at, i) => limiter.onAnswer(at, i >= 100));
    const dropped = limiter.rate;
    expect(dropped).toBeCloseTo(0.95 * 100, 5);

    const later = acquireMany(limiter, clock, 1);
    await clock.advanceUntil(() => later.length === 1, clock.now() + 10_000);
    limiter.onAnswer(later[0]!, true);
    expect(limiter.rate).toBeLessThan(dropped);
  });

  it("holds a lowered rate in every window, so the server's window can empty", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(200, clock);
    const before = acquireMany(limiter, clock, 100);
    await clock.advanceUntil(() => before.length === 100, 10_000, 5);
    before.forEach((at, i) => limiter.onAnswer(at, i >= 20));
    const lowered = limiter.rate;
    const loweredAt = clock.now();
    expect(lowered).toBeLessThan(20);

    const after: { at: number; rate: number }[] = [];
    for (let i = 0; i < 30; i++) void limiter.acquire().then((at) => after.push({ at, rate: limiter.rate }));
    await clock.advanceUntil(() => after.length === 30, clock.now() + 10_000, 5);
    const all = [...before, ...after.map((a) => a.at)];
    expect(all.filter((t) => t > loweredAt - 1000).length).toBeGreaterThan(lowered);
    expect(after[0]!.at).toBeGreaterThan(loweredAt + 500);
    // Each call after the drop goes out only when its second holds no more than the rate then.
    for (const { at, rate } of after) {
      expect(all.filter((t) => t + 1000 > at && t <= at).length).toBeLessThanOrEqual(Math.floor(rate));
    }
  });

  it("lets callers wait no longer than asked: an aborted wait rejects and the others go on", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(1, clock);
    const stop = new AbortController();
    const first = limiter.acquire();
    const second = limiter.acquire(stop.signal);
    const third = limiter.acquire();
    await expect(first).resolves.toBe(0);
    expect(limiter.waiting).toBe(2);
    stop.abort();
    await expect(second).rejects.toThrow("cancelled before it was sent");
    expect(limiter.waiting).toBe(1);
    await clock.advanceTo(2000);
    await expect(third).resolves.toBeGreaterThanOrEqual(1000);
  });
});

describe("RateLimiter in simulated time, with a server that counts calls as they arrive", () => {
  it("keeps one caller at its ceiling, and a network's jitter costs it little", async () => {
    const base = { callers: 1, callsEach: 2000, clientCeiling: 200, serverCeiling: 200 };
    const steady = await simulateSharedApp({ ...base, latencyMs: 50, jitterMs: 0 });
    expect(steady.ratePerSecond / 200).toBeGreaterThan(0.96);
    expect(steady.rateLimited).toBe(0);
    const jittery = await simulateSharedApp({ ...base, latencyMs: 300, jitterMs: 100 });
    expect(jittery.ratePerSecond / 200).toBeGreaterThan(0.93);
    expect(jittery.rateLimited / jittery.calls).toBeLessThan(0.01);
    expect(jittery.failed).toBe(0);
  });

  it("lets four callers share one app: together near the ceiling, few rate-limited answers, fair shares", async () => {
    const shared = await simulateSharedApp({
      callers: 4,
      callsEach: 2000,
      clientCeiling: 200,
      serverCeiling: 200,
      latencyMs: 300,
      jitterMs: 100,
    });
    expect(shared.failed).toBe(0);
    expect(shared.ratePerSecond / 200).toBeGreaterThan(0.9);
    expect(shared.rateLimited / shared.calls).toBeLessThan(0.05);
    const fair = shared.ratePerSecond / 4;
    for (const rate of shared.callerRates) {
      expect(rate / fair).toBeGreaterThan(0.85);
      expect(rate / fair).toBeLessThan(1.15);
    }
    expect(shared.busiestServerSecond).toBeLessThanOrEqual(200);
  });

  it("finds a server's lower ceiling", async () => {
    const lower = await simulateSharedApp({
      callers: 1,
      callsEach: 2000,
      clientCeiling: 200,
      serverCeiling: 100,
      latencyMs: 300,
      jitterMs: 100,
    });
    expect(lower.ratePerSecond / 100).toBeGreaterThan(0.9);
    expect(lower.rateLimited / lower.calls).toBeLessThan(0.05);
  });

  it("is not stalled by a faulty server's stray rate-limited answers", async () => {
    const base = {
      callers: 1,
      callsEach: 1000,
      clientCeiling: 200,
      serverCeiling: 200,
      latencyMs: 50,
      jitterMs: 0,
    };
    const clean = await simulateSharedApp(base);
    const faulty = await simulateSharedApp({
      ...base,
      spuriousRateLimitedShare: 0.03,
      noAnswerShare: 0.06,
      timeoutMs: 2000,
    });
    expect(faulty.failed).toBe(0);
    expect(faulty.seconds / clean.seconds).toBeLessThan(2.5);
  });

  it("reaches a bought ceiling of 5,000 calls per second without going over it in any second", async () => {
    const bought = await simulateSharedApp({
      callers: 1,
      callsEach: 20_000,
      clientCeiling: 5000,
      serverCeiling: 5000,
      latencyMs: 20,
      jitterMs: 0,
    });
    expect(bought.ratePerSecond / 5000).toBeGreaterThan(0.95);
    expect(bought.busiestServerSecond).toBeLessThanOrEqual(5000);
    expect(bought.rateLimited).toBe(0);
  });
});
