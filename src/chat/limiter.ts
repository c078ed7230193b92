export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Share of the ceiling the limiter aims for, leaving room for timer and network jitter. */
const HEADROOM = 0.97;
/** After a rate-limited answer: the rate is multiplied by this... */
const DECREASE_FACTOR = 0.9;
/** ...at most once per this many ms (the server counts calls over one second)... */
const DECREASE_COOLDOWN_MS = 1000;
/** ...and raised again by this share of the ceiling per second once that cooldown has passed. */
const RECOVERY_PER_SECOND = 0.2;
const MIN_RATE_SHARE = 0.05;

/**
 * Holds calls to a smooth rate below a calls-per-second ceiling, shared by every concurrent call
 * that awaits `acquire()`. Calls are spaced evenly (one interval apart, with at most one call of
 * slack), so no one-second window holds more than the ceiling. Rate-limited answers lower the rate
 * for a while; it then climbs back to the ceiling.
 */
export class RateLimiter {
  readonly ceiling: number;
  private target: number;
  private nextSlot = -Infinity;
  private lastDecrease = -Infinity;
  private lastAdjust: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    ceilingPerSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(ceilingPerSecond > 0)) throw new RangeError("ceilingPerSecond must be positive");
    this.ceiling = ceilingPerSecond;
    this.target = ceilingPerSecond * HEADROOM;
    this.lastAdjust = clock.now();
  }

  /** The calls per second the limiter currently lets through. */
  get rate(): number {
    this.recover();
    return this.target;
  }

  /** Resolves when the caller may send one call. Callers are served in order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn;
    return turn;
  }

  /** Tells the limiter that the server answered "rate limited". */
  onRateLimited(): void {
    const now = this.clock.now();
    if (now - this.lastDecrease < DECREASE_COOLDOWN_MS) return;
    this.recover();
    this.target = Math.max(this.ceiling * MIN_RATE_SHARE, this.target * DECREASE_FACTOR);
    this.lastDecrease = now;
    this.lastAdjust = now;
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const interval = 1000 / this.rate;
      const now = this.clock.now();
      const earliest = this.nextSlot - interval;
      if (now >= earliest) {
        this.nextSlot = Math.max(this.nextSlot, now) + interval;
        return;
      }
      await this.clock.sleep(earliest - now);
    }
  }

  private recover(): void {
    const now = this.clock.now();
    const calmSince = Math.max(this.lastAdjust, this.lastDecrease + DECREASE_COOLDOWN_MS);
    if (now <= calmSince) return;
    const cap = this.ceiling * HEADROOM;
    this.target = Math.min(
      cap,
      this.target + (this.ceiling * RECOVERY_PER_SECOND * (now - calmSince)) / 1000,
    );
    this.lastAdjust = now;
  }
}
