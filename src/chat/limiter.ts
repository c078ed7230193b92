import { onAbort } from "./abort.js";
import { systemClock, type Clock } from "./clock.js";

/** Share of the ceiling the limiter aims for, leaving room for timer and network jitter. */
const HEADROOM = 0.97;
/** The server counts calls over one second; so does the limiter. */
const WINDOW_MS = 1000;
/** Calls may go out this early (in ms of their spacing) to make up for late timers, so high rates are reachable. */
const BURST_MS = 5;
/** When at least this share of last second's answers were rate limited, the server's window is full... */
const FULL_WINDOW_SHARE = 0.1;
/** Shares are taken of at least this share of a second's calls at the target rate, so that a few early answers do not count for a whole second. */
const MIN_ANSWERS_SHARE = 0.5;
/** ...and the rate drops at once to this share of the calls the server admitted from this limiter over that second. */
const SHARE_KEPT = 0.95;
/** Fewer rate-limited answers lower the rate by their share, at most by this share and once per this many ms. */
const MAX_TRIM = 0.03;
const TRIM_INTERVAL_MS = 1000;
/** Callers of one app usually share its ceiling: a drop to within this share of an even split of the ceiling takes that split. */
const EVEN_SPLIT_TOLERANCE = 0.15;
/**
 * The rate climbs by this share of the ceiling per second, the same for every caller, so that
 * callers sharing a limit converge on fair shares (additive increase, multiplicative decrease)...
 */
const CLIMB_PER_SECOND = 0.0025;
/** ...and by this share of itself once no answer was rate limited for CALM_MS, to take up capacity others left. */
const FAST_CLIMB_PER_SECOND = 0.2;
const CALM_MS = 15_000;
const MIN_RATE_SHARE = 0.05;

/** Event times within the last window, oldest first. */
class RecentTimes {
  private times: number[] = [];
  private first = 0;

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
    while (this.first < this.times.length && this.times[this.first]! + WINDOW_MS <= now) this.first++;
    if (this.first > 1024 && this.first * 2 > this.times.length) {
      this.times = this.times.slice(this.first);
      this.first = 0;
    }
  }
}

interface Waiter {
  resolve(grantedAt: number): void;
  done: boolean;
}

export class CallNotSentError extends Error {
  override readonly name = "CallNotSentError";
}

/**
 * Decides when each call may go out, for every caller that awaits `acquire()` (in order of asking).
 * Calls are spaced evenly at a target rate below a calls-per-second ceiling, and no one-second window
 * of calls let through holds more than the target (at most the ceiling).
 *
 * The target follows the server's "rate limited" answers, which mean others use the same limit (or
 * the server's limit is lower). When many answers of the last second were rate limited, the server's
 * window is full: the target drops at once to a little less than what the server admitted from this
 * limiter over that second (or the even split of the ceiling close to it), and the window holds no
 * more than that, so the server's window can empty; answers to calls sent before that drop do not
 * lower it again. A few rate-limited answers trim the target by their share (at most 3 %), at most
 * once a second. The target climbs by a small share of
 * the ceiling per second, and faster after a calm spell, so callers that share one limit settle on
 * fair shares where few answers are rate limited, and one that runs alone stays at its ceiling.
 */
export class RateLimiter {
  private readonly ceiling: number;
  private target: number;
  /** When the next call is due by the spacing alone. */
  private nextDue = -Infinity;
  private readonly granted = new RecentTimes();
  private readonly admitted = new RecentTimes();
  private readonly limited = new RecentTimes();
  /** When the target last dropped for a full window, and when it was last trimmed. */
  private lastDrop = -Infinity;
  private lastTrim = -Infinity;
  private lastLimited = -Infinity;
  private lastAdjust: number;
  private queue: Waiter[] = [];
  private head = 0;
  private waitingCount = 0;
  private wakeScheduled = false;

  constructor(
    ceilingPerSecond: number,
    private readonly clock: Clock = systemClock,
    /** Called after calls were let through, so that more work can be queued. */
    private readonly onGrant: () => void = () => {},
  ) {
    if (!(ceilingPerSecond > 0)) throw new RangeError("ceilingPerSecond must be positive");
    this.ceiling = ceilingPerSecond;
    this.target = ceilingPerSecond * HEADROOM;
    this.lastAdjust = clock.now();
  }

  /** The calls per second the limiter currently lets through. */
  get rate(): number {
    this.recover(this.clock.now());
    return this.target;
  }

  /** Calls waiting for their turn. */
  get waiting(): number {
    return this.waitingCount;
  }

  /**
   * Resolves with the time the call was let through; rejects with CallNotSentError when `signal`
   * is aborted first.
   */
  acquire(signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) return Promise.reject(new CallNotSentError("cancelled before it was sent"));
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = {
        done: false,
        resolve: (at) => {
          forget();
          resolve(at);
        },
      };
      const forget = onAbort(signal, () => {
        if (waiter.done) return;
        waiter.done = true;
        this.waitingCount--;
        reject(new CallNotSentError("cancelled before it was sent"));
      });
      this.queue.push(waiter);
      this.waitingCount++;
      this.pump();
    });
  }

  /** Tells the limiter how the server answered a call let through at `grantedAt`. */
  onAnswer(grantedAt: number, rateLimited: boolean): void {
    const now = this.clock.now();
    if (!rateLimited) {
      this.admitted.add(now);
      return;
    }
    this.recover(now);
    this.limited.add(now);
    this.lastLimited = now;
    const admitted = this.admitted.count(now);
    const limited = this.limited.count(now);
    const share = limited / Math.max(admitted + limited, this.target * MIN_ANSWERS_SHARE);
    const floor = this.ceiling * MIN_RATE_SHARE;
    if (share >= FULL_WINDOW_SHARE && grantedAt >= this.lastDrop) {
      this.target = Math.max(floor, Math.min(this.target, this.evenSplit(admitted)) * SHARE_KEPT);
      this.lastDrop = this.lastTrim = now;
    } else if (now - this.lastTrim >= TRIM_INTERVAL_MS) {
      this.target = Math.max(floor, this.target * (1 - Math.min(share, MAX_TRIM)));
      this.lastTrim = now;
    }
  }

  /**
   * The server admitted `admitted` calls from this limiter over a full second. When that is close
   * to the ceiling shared evenly by a whole number of callers, those callers are taken to be the
   * app's other users, and the even share is kept: every caller that shares the ceiling then starts
   * from the same rate, not from its luck in the second the window filled.
   */
  private evenSplit(admitted: number): number {
    const callers = Math.max(1, Math.round(this.ceiling / Math.max(admitted, 1)));
    const share = this.ceiling / callers;
    return Math.abs(share - admitted) <= EVEN_SPLIT_TOLERANCE * admitted ? share : admitted;
  }

  private pump(): void {
    if (this.wakeScheduled) return;
    let granted = 0;
    for (;;) {
      const waiter = this.nextWaiter();
      if (!waiter) break;
      const now = this.clock.now();
      const wait = this.earliest(now) - now;
      if (wait > 0) {
        this.wakeScheduled = true;
        void this.clock.sleep(wait).then(() => {
          this.wakeScheduled = false;
          this.pump();
        });
        break;
      }
      this.nextDue = Math.max(this.nextDue, now) + 1000 / this.target;
      this.granted.add(now);
      this.head++;
      waiter.done = true;
      this.waitingCount--;
      granted++;
      waiter.resolve(now);
    }
    if (granted > 0) this.onGrant();
  }

  private nextWaiter(): Waiter | undefined {
    while (this.head < this.queue.length && this.queue[this.head]!.done) this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return this.queue[this.head];
  }

  /** When the next call may go: by the spacing (with a little burst), and when the window has room. */
  private earliest(now: number): number {
    this.recover(now);
    const interval = 1000 / this.target;
    let earliest = this.nextDue - Math.max(interval, BURST_MS);
    if (this.granted.count(now) >= Math.max(1, Math.floor(this.target))) {
      earliest = Math.max(earliest, this.granted.oldest()! + WINDOW_MS);
    }
    return earliest;
  }

  /** Climbs slowly since the last adjustment, and fast for the part of that time that was calm. */
  private recover(now: number): void {
    const from = this.lastAdjust;
    if (now <= from) return;
    this.lastAdjust = now;
    const calmFrom = Math.max(from, Math.min(now, this.lastLimited + CALM_MS));
    const slow = this.target + (this.ceiling * CLIMB_PER_SECOND * (calmFrom - from)) / 1000;
    const fast = slow * (1 + (FAST_CLIMB_PER_SECOND * (now - calmFrom)) / 1000);
    this.target = Math.min(this.ceiling * HEADROOM, fast);
  }
}
