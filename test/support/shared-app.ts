import { RateLimiter } from "../../src/chat/limiter.js";
import { ManualClock, seeded } from "./manual-clock.js";

/**
 * Callers sharing one app's calls-per-second limit, in simulated time: each caller's calls go
 * through its own limiter, reach the server after a latency with jitter, are counted against the
 * server's one-second window on arrival and answered at once; rate-limited calls are retried after
 * a back-off, as the client does.
 */
export interface SharedAppScenario {
  callers: number;
  callsEach: number;
  clientCeiling: number;
  serverCeiling: number;
  latencyMs: number;
  jitterMs: number;
  seed?: number;
  maxAttempts?: number;
  /** Share of attempts answered "rate limited" whatever the load (a faulty server). */
  spuriousRateLimitedShare?: number;
  /** Share of attempts that get no answer, given up after `timeoutMs`. */
  noAnswerShare?: number;
  timeoutMs?: number;
}

export interface SharedAppFigures {
  /** Admitted calls per second over the span of their arrivals, all callers together. */
  ratePerSecond: number;
  /** Each caller's admitted calls per second, from the first admitted call of all to its own last. */
  callerRates: number[];
  rateLimited: number;
  calls: number;
  failed: number;
  /** Most calls the server admitted in any one-second window. */
  busiestServerSecond: number;
  /** From the first admitted call to the last. */
  seconds: number;
}

const WAITING = 16;
/** As the client does: a rate-limited call goes back to its limiter after a short random pause. */
const RATE_LIMITED_BACKOFF_MS = 100;

function busiest(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; first < sorted.length; first++) {
    while (last < sorted.length && sorted[last]! < sorted[first]! + 1000) last++;
    most = Math.max(most, last - first);
  }
  return most;
}

export async function simulateSharedApp(s: SharedAppScenario): Promise<SharedAppFigures> {
  const clock = new ManualClock();
  const random = seeded(s.seed ?? 1);
  const admitted: number[] = [];
  const byCaller: number[][] = Array.from({ length: s.callers }, () => []);
  let rateLimited = 0;
  let failed = 0;
  let finished = 0;
  const maxAttempts = s.maxAttempts ?? 5;

  async function call(limiter: RateLimiter, caller: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const grantedAt = await limiter.acquire();
      const fault = random();
      const spurious = fault < (s.spuriousRateLimitedShare ?? 0);
      if (!spurious && fault < (s.spuriousRateLimitedShare ?? 0) + (s.noAnswerShare ?? 0)) {
        await clock.sleep(s.timeoutMs ?? 2000);
        if (attempt === maxAttempts) return void failed++;
        continue;
      }
      await clock.sleep(s.latencyMs + (random() * 2 - 1) * s.jitterMs);
      const now = clock.now();
      while (admitted.length > 0 && admitted[0]! <= now - 1000) admitted.shift();
      const ok = !spurious && admitted.length < s.serverCeiling;
      if (ok) {
        admitted.push(now);
        byCaller[caller]!.push(now);
      }
      limiter.onAnswer(grantedAt, !ok);
      if (ok) return;
      rateLimited++;
      if (attempt === maxAttempts) {
        failed++;
        return;
      }
      await clock.sleep(random() * RATE_LIMITED_BACKOFF_MS);
    }
  }

  for (let caller = 0; caller < s.callers; caller++) {
    // As the work pool does: keep a few calls waiting at the limiter, start another as one goes out.
    let started = 0;
    const refill = (): void => {
      while (started < s.callsEach && limiter.waiting < WAITING) {
        started++;
        void call(limiter, caller).then(() => finished++);
      }
    };
    const limiter: RateLimiter = new RateLimiter(s.clientCeiling, clock, () => queueMicrotask(refill));
    refill();
  }
  const total = s.callers * s.callsEach;
  await clock.advanceUntil(() => finished === total, 3_600_000, 100);
  const all = byCaller.flat();
  const span = (Math.max(...all) - Math.min(...all)) / 1000;
  return {
    ratePerSecond: all.length / span,
    callerRates: byCaller.map((times) => times.length / ((Math.max(...times) - Math.min(...all)) / 1000)),
    rateLimited,
    calls: all.length + rateLimited,
    failed,
    busiestServerSecond: busiest(all),
    seconds: span,
  };
}
