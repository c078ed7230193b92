import { describe, expect, it } from "vitest";
import { RateLimiter, type Clock } from "../src/chat/limiter.js";
import { RateWindow } from "../src/emulator/rate-window.js";

/** A clock that moves only when told to, firing sleepers in time order. */
class ManualClock implements Clock {
  private time = 0;
  private sleepers: { at: number; wake: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ at: this.time + Math.max(0, ms), wake }));
  }

  /** Moves to `until`, waking each sleeper at its time and letting what it starts run. */
  async advanceTo(until: number): Promise<void> {
    for (;;) {
      await settle();
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > until) break;
      this.sleepers.shift();
      this.time = Math.max(this.time, next.at);
      next.wake();
    }
    this.time = Math.max(this.time, until);
    await settle();
  }

  /** Advances until `done` holds, at most to `limit`. */
  async advanceUntil(done: () => boolean, limit: number, stepMs = 50): Promise<void> {
    while (!done() && this.time < limit) await this.advanceTo(this.time + stepMs);
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The most calls any one-second window [t, t + 1000) holds. */
function busiestSecond(times: readonly number[]): number {
  let most = 0;
  for (let first = 0, last = 0; first < times.length; first++) {
    while (last < times.length && times[last]! < times[first]! + 1000) last++;
    most = Math.max(most, last - first);
  }
  return most;
}

/** Deterministic pseudo-random numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
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

describe("RateLimiter after rate-limited answers", () => {
  it("drops to a little under what the server accepted, then climbs back to the ceiling", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(200, clock);
    const fullSecond = acquireMany(limiter, clock, 194);
    await clock.advanceUntil(() => fullSecond.length === 194, 10_000);
    const fullRate = limiter.rate;
    expect(fullRate).toBeGreaterThan(190);

    limiter.onRateLimited();
    const firstDrop = limiter.rate;
    expect(firstDrop).toBeLessThanOrEqual(0.9 * fullRate);

    // For the next second every other call comes back rate limited: the server takes half of them.
    let answered = 0;
    let halfRejected = false;
    const started = clock.now();
    void (async () => {
      while (clock.now() - started < 1100) {
        await limiter.acquire();
        if (++answered % 2 === 0) limiter.onRateLimited();
      }
      halfRejected = true;
    })();
    await clock.advanceUntil(() => halfRejected, started + 5000, 5);
    const acceptedPerSecond = firstDrop / 2;
    const lowered = limiter.rate;
    expect(lowered).toBeLessThanOrEqual(0.95 * acceptedPerSecond + 1);
    expect(lowered).toBeGreaterThan(0.8 * acceptedPerSecond);

    await clock.advanceTo(clock.now() + 900);
    expect(limiter.rate).toBe(lowered);

    await clock.advanceTo(clock.now() + 600);
    const recovering = limiter.rate;
    expect(recovering).toBeGreaterThan(lowered);
    await clock.advanceTo(clock.now() + 1000);
    expect(limiter.rate).toBeGreaterThan(recovering);
    await clock.advanceTo(clock.now() + 5000);
    expect(limiter.rate).toBeGreaterThan(0.99 * fullRate);
    expect(limiter.rate).toBeLessThanOrEqual(fullRate);
  });

  it("lowers the rate once for a crowded second, not once per answer", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(200, clock);
    const times = acquireMany(limiter, clock, 194);
    await clock.advanceUntil(() => times.length === 194, 10_000);

    limiter.onRateLimited();
    const once = limiter.rate;
    expect(once).toBeLessThan(0.9 * 194 + 1e-9);
    for (let i = 0; i < 5; i++) limiter.onRateLimited();
    expect(limiter.rate).toBeGreaterThan(once * 0.95);
  });

  it("spaces calls at the lowered rate", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(200, clock);
    const first = acquireMany(limiter, clock, 100);
    await clock.advanceUntil(() => first.length === 100, 10_000);
    for (let i = 0; i < 60; i++) limiter.onRateLimited();
    const lowered = limiter.rate;

    const times = acquireMany(limiter, clock, 30);
    await clock.advanceUntil(() => times.length === 30, 10_000, 5);
    const callsPerSecond = (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
    expect(callsPerSecond).toBeLessThanOrEqual(lowered * 1.05);
  });

  it("lets two callers that share one app's limit both finish with every call accepted in time", async () => {
    const clock = new ManualClock();
    const server = new RateWindow(200, () => clock.now());
    const random = seeded(42);
    const limiters = [new RateLimiter(200, clock), new RateLimiter(200, clock)];
    const LATENCY_MS = 50;
    const MAX_ATTEMPTS = 5;
    let accepted = 0;
    let failed = 0;
    const mostAttempts = { value: 0 };
    const lowest = limiters.map((l) => l.rate);
    const finishedAt: number[] = [];

    async function call(limiter: RateLimiter): Promise<void> {
      for (let attempt = 1; ; attempt++) {
        await limiter.acquire();
        const admitted = server.admit("app");
        await clock.sleep(LATENCY_MS);
        if (admitted) {
          accepted++;
          mostAttempts.value = Math.max(mostAttempts.value, attempt);
          return;
        }
        limiter.onRateLimited();
        if (attempt === MAX_ATTEMPTS) {
          failed++;
          return;
        }
        await clock.sleep(random() * Math.min(8000, 250 * 2 ** (attempt - 1)));
      }
    }

    async function batch(index: number, calls: number, workers: number): Promise<void> {
      const limiter = limiters[index]!;
      let next = 0;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (next < calls) {
            next++;
            await call(limiter);
            lowest[index] = Math.min(lowest[index]!, limiter.rate);
          }
        }),
      );
      finishedAt[index] = clock.now();
    }

    const both = Promise.all([batch(0, 2000, 25), batch(1, 2000, 25)]);
    await clock.advanceUntil(() => finishedAt.filter((t) => t > 0).length === 2, 120_000);
    expect(finishedAt.filter((t) => t > 0)).toHaveLength(2);
    await both;

    expect(failed).toBe(0);
    expect(accepted).toBe(4000);
    expect(mostAttempts.value).toBeLessThan(MAX_ATTEMPTS);
    for (const rate of lowest) expect(rate).toBeLessThan(150);
    const seconds = Math.max(...finishedAt) / 1000;
    expect(4000 / seconds).toBeGreaterThan(0.9 * 200);
    for (const limiter of limiters) expect(limiter.rate).toBeGreaterThan(100);
  });
});
