export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Share of the ceiling the limiter aims for, leaving room for timer and network jitter. */
const HEADROOM = 0.97;
/** The server counts calls over one second; so does the limiter when it estimates its share. */
const WINDOW_MS = 1000;
/** After a rate-limited answer the rate drops to at most this share of the calls the server accepted... */
const SHARE_KEPT = 0.95;
/** ...and at least by this factor... */
const DECREASE_FACTOR = 0.9;
/** ...at most once per this many ms, so one crowded second does not lower it over and over. */
const DECREASE_COOLDOWN_MS = 1000;
/** Once this long has passed without a rate-limited answer, the rate climbs back... */
const CALM_BEFORE_RECOVERY_MS = 1000;
/** ...closing its gap to the ceiling by this share per second (e^-k): the further below, the faster. */
const RECOVERY_RATE = 1.5;
const MIN_RATE_SHARE = 0.05;

/** Event times within the last window, oldest first. */
class RecentTimes {
  private times: number[] = [];
  private first = 0;

  constructor(private readonly windowMs: number) {}

  add(now: number): void {
    this.times.push(now);
    this.forgetBefore(now);
  }

  count(now: number): number {
    this.forgetBefore(now);
    return this.times.length - this.first;
  }

  /** When the oldest event still in the window happened; call `count` first. */
  oldest(): number | undefined {
    return this.times[this.first];
  }

  private forgetBefore(now: number): void {
    while (this.first < this.times.length && this.times[this.first]! <= now - this.windowMs) this.first++;
    if (this.first > 256 && this.first * 2 > this.times.length) {
      this.times = this.times.slice(this.first);
      this.first = 0;
    }
  }
}

/**
 * Holds calls to a smooth rate below a calls-per-second ceiling, shared by every concurrent call
 * that awaits `acquire()`. Calls are spaced evenly (one interval apart, with at most one call of
 * slack), so no one-second window holds more than the ceiling.
 *
 * When the server answers "rate limited", others are using the same app's limit: the rate drops to
 * what the server accepted from this limiter over the last second (a little less, so that together
 * the callers stay below the limit), and climbs back steadily once the answers have been calm for a
 * second. Callers sharing a limit converge on fair shares, as with additive increase and
 * multiplicative decrease.
 */
export class RateLimiter {
  readonly ceiling: number;
  /** Calls any one window may hold, whatever the spacing: the slack of one call must not break the ceiling. */
  private readonly windowCap: number;
  private target: number;
  private nextSlot = -Infinity;
  private readonly granted = new RecentTimes(WINDOW_MS);
  private readonly limited = new RecentTimes(WINDOW_MS);
  private lastDecrease = -Infinity;
  private lastLimited = -Infinity;
  private lastAdjust: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    ceilingPerSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(ceilingPerSecond > 0)) throw new RangeError("ceilingPerSecond must be positive");
    this.ceiling = ceilingPerSecond;
    this.windowCap = Math.max(1, Math.floor(ceilingPerSecond * HEADROOM));
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
    this.limited.add(now);
    this.lastLimited = now;
    if (now - this.lastDecrease < DECREASE_COOLDOWN_MS) return;
    this.recover();
    const floor = this.ceiling * MIN_RATE_SHARE;
    this.target = Math.max(
      floor,
      Math.min(this.target * DECREASE_FACTOR, this.acceptedRate(now) * SHARE_KEPT),
    );
    this.lastDecrease = now;
    this.lastAdjust = now;
  }

  /**
   * Calls the server accepted from this limiter over the last window (one second). A limiter younger
   * than the window still counts over a whole one: the server's window holds others' calls too.
   */
  private acceptedRate(now: number): number {
    const accepted = this.granted.count(now) - this.limited.count(now);
    return Math.max(0, accepted);
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const interval = 1000 / this.rate;
      const now = this.clock.now();
      const windowFull = this.granted.count(now) >= this.windowCap;
      const earliest = Math.max(
        this.nextSlot - interval,
        windowFull ? this.granted.oldest()! + WINDOW_MS : -Infinity,
      );
      if (now >= earliest) {
        this.nextSlot = Math.max(this.nextSlot, now) + interval;
        this.granted.add(now);
        return;
      }
      await this.clock.sleep(earliest - now);
    }
  }

  private recover(): void {
    const now = this.clock.now();
    const calmSince = Math.max(this.lastAdjust, this.lastLimited + CALM_BEFORE_RECOVERY_MS);
    if (now <= calmSince) return;
    const cap = this.ceiling * HEADROOM;
    this.target = cap - (cap - this.target) * Math.exp((-RECOVERY_RATE * (now - calmSince)) / 1000);
    this.lastAdjust = now;
  }
}
