import { RateLimiter } from "../../src/chat/limiter.js";
import { ManualClock, seeded } from "./manual-clock.js";

/**
 * Callers sharing one app's calls-per-second limit, in simulated time: each caller, from its start,
 * sends its calls through its own limiter; they reach the server after a latency with jitter, are
 * counted against the server's one-second window on arrival and answered at once; rate-limited
 * calls are retried after a back-off, as the client does.
 */
export interface SharedAppScenario {
  callers: number;
  /** Calls each caller makes, or the calls of each caller in turn. */
  callsEach: number | readonly number[];
  /** When each caller starts (ms), all at 0 when not given. */
  startsMs?: readonly number[];
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
  /** When each rate-limited answer came (ms from the start). */
  limitedTimes: number[];
  /** When each caller had its last answer (ms from the start), as its user waits for it. */
  endsMs: number[];
  /** Admitted calls per second from the first start to the last caller's end: what users waiting for all of them see. */
  wallRatePerSecond: number;
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
  const endsMs: number[] = [];
  const limitedTimes: number[] = [];
  const callsOf = (caller: number): number =>
    typeof s.callsEach === "number" ? s.callsEach : s.callsEach[caller]!;
  const startOf = (caller: number): number => s.startsMs?.[caller] ?? 0;
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
      limitedTimes.push(now);
      if (attempt === maxAttempts) {
        failed++;
        return;
      }
      await clock.sleep(random() * RATE_LIMITED_BACKOFF_MS);
    }
  }

  async function run(caller: number): Promise<void> {
    await clock.sleep(startOf(caller));
    // As the work pool does: keep a few calls waiting at the limiter, start another as one goes out.
    let started = 0;
    let ended = 0;
    const calls = callsOf(caller);
    const refill = (): void => {
      while (started < calls && limiter.waiting < WAITING) {
        started++;
        void call(limiter, caller).then(() => {
          finished++;
          if (++ended === calls) endsMs[caller] = clock.now();
        });
      }
    };
    const limiter: RateLimiter = new RateLimiter(s.clientCeiling, clock, () => queueMicrotask(refill));
    refill();
  }

  const callers = Array.from({ length: s.callers }, (_, caller) => caller);
  callers.forEach((caller) => void run(caller));
  const total = callers.reduce((sum, caller) => sum + callsOf(caller), 0);
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
    endsMs,
    limitedTimes,
    wallRatePerSecond: all.length / ((Math.max(...endsMs) - Math.min(...callers.map(startOf))) / 1000),
  };
}
