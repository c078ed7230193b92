import { describe, expect, it, vi } from "vitest";
import { systemClock, type Clock } from "../src/chat/clock.js";
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

  it("lets at most a burst's calls out in one turn of the event loop, however long the turn takes", async () => {
    // A process too busy to keep up: each look at the clock finds 1 ms gone, so every call is due.
    let now = 0;
    const busy: Clock = { ...systemClock, now: () => (now += 1) };
    const limiter = new RateLimiter(5000, busy);
    let granted = 0;
    // Each call let through asks for the next at once, as work queued behind the limiter does.
    const next = (): void => void limiter.acquire().then(() => ++granted < 1000 && next());
    const inFirstTurn = new Promise<number>((resolve) => setImmediate(() => resolve(granted)));
    next();

    expect(await inFirstTurn).toBeGreaterThan(0);
    expect(await inFirstTurn).toBeLessThanOrEqual(Math.ceil(5000 * 0.01));
    await vi.waitUntil(() => granted === 1000, { timeout: 5000 });
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

describe("RateLimiter after rate-limited answers", () => {
  it("holds a lowered rate of the calls the server took in every window; a refused call holds no place", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(200, clock);
    const before = acquireMany(limiter, clock, 100);
    await clock.advanceUntil(() => before.length === 100, 10_000, 5);
    const taken = before.slice(0, 20);
    before.forEach((at, i) => limiter.onAnswer(at, i >= 20));
    const lowered = limiter.rate;
    expect(lowered).toBeLessThan(30);

    const after: { at: number; rate: number }[] = [];
    for (let i = 0; i < 30; i++) void limiter.acquire().then((at) => after.push({ at, rate: limiter.rate }));
    await clock.advanceUntil(() => after.length === 30, clock.now() + 10_000, 5);
    // The 80 refused calls do not hold it back until the first of them has left the window.
    expect(after[0]!.at).toBeLessThan(before[20]! + 1000);
    const counted = [...taken, ...after.map((a) => a.at)];
    for (const { at, rate } of after) {
      expect(counted.filter((t) => t + 1000 > at && t <= at).length).toBeLessThanOrEqual(Math.floor(rate));
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

/** Four runs of 1,000 calls sharing one app at 200/s, 300 ± 100 ms from the server. */
const SHARED = {
  callers: 4,
  callsEach: 1000,
  clientCeiling: 200,
  serverCeiling: 200,
  latencyMs: 300,
  jitterMs: 100,
} as const;

/** The last to end over the first. */
function spread(endsMs: readonly number[]): number {
  return Math.max(...endsMs) / Math.min(...endsMs);
}

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
    const shared = await simulateSharedApp({ ...SHARED, callsEach: 2000 });
    expect(shared.failed).toBe(0);
    expect(shared.ratePerSecond / 200).toBeGreaterThan(0.9);
    expect(shared.rateLimited / shared.calls).toBeLessThan(0.055);
    const fair = shared.ratePerSecond / 4;
    for (const rate of shared.callerRates) {
      expect(rate / fair).toBeGreaterThan(0.85);
      expect(rate / fair).toBeLessThan(1.15);
    }
    expect(shared.busiestServerSecond).toBeLessThanOrEqual(200);
  });

  it("ends four runs that start together at about the same time, as the users waiting for them see it", async () => {
    const shared = await simulateSharedApp(SHARED);
    expect(shared.failed).toBe(0);
    expect(shared.wallRatePerSecond / 200).toBeGreaterThan(0.9);
    expect(spread(shared.endsMs)).toBeLessThan(1.1);
    // Most rate-limited answers come while the runs start: four at full pace before any answer.
    const settled = shared.limitedTimes.filter((at) => at > 3000).length;
    expect(settled / shared.calls).toBeLessThan(0.025);
    expect(shared.busiestServerSecond).toBeLessThanOrEqual(200);
  });

  it("ends runs that start up to 400 ms apart at about the same time: the first to start takes no larger share", async () => {
    const skewed = await simulateSharedApp({ ...SHARED, startsMs: [0, 50, 150, 400] });
    expect(skewed.failed).toBe(0);
    expect(skewed.wallRatePerSecond / 200).toBeGreaterThan(0.85);
    expect(spread(skewed.endsMs)).toBeLessThan(1.15);
  });

  it("shares the ceiling with runs that join 5 s apart, each as fast as the others while they overlap", async () => {
    const startsMs = [0, 5000, 10_000, 15_000];
    const staggered = await simulateSharedApp({ ...SHARED, startsMs });
    expect(staggered.failed).toBe(0);
    expect(staggered.busiestServerSecond).toBeLessThanOrEqual(200);
    // The first runs alone for most of its calls; each that joined took the same share of its time.
    const joinedRates = startsMs.slice(1).map((start, i) => 1000 / (staggered.endsMs[i + 1]! - start));
    expect(Math.max(...joinedRates) / Math.min(...joinedRates)).toBeLessThan(1.3);
    expect(staggered.wallRatePerSecond / 200).toBeGreaterThan(0.6);
  });

  it("leaves the share of a run that ends early to the others, which still end together", async () => {
    const early = await simulateSharedApp({ ...SHARED, callsEach: [1000, 1000, 1000, 250] });
    expect(early.failed).toBe(0);
    expect(early.endsMs[3]! / Math.min(...early.endsMs.slice(0, 3))).toBeLessThan(0.4);
    expect(spread(early.endsMs.slice(0, 3))).toBeLessThan(1.1);
    expect(early.wallRatePerSecond / 200).toBeGreaterThan(0.85);
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
    // Its first full window looks like a crowd's, so it starts again low once, then keeps the server's ceiling.
    expect(lower.ratePerSecond / 100).toBeGreaterThan(0.85);
    expect(lower.rateLimited / lower.calls).toBeLessThan(0.06);
    expect(lower.busiestServerSecond).toBeLessThanOrEqual(100);
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
