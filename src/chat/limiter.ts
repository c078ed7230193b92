import { onAbort } from "./abort.js";
import { systemClock, type Clock } from "./clock.js";
import { RateTarget } from "./rate-target.js";
import { RecentTimes, WINDOW_MS } from "./recent-times.js";

/**
 * Calls may go out this early (in ms of their spacing) to make up for late timers and a busy event
 * loop, so that high rates are reachable; no window of a second holds more than the rate all the same.
 */
const BURST_MS = 10;

/**
 * At most the calls of a burst go out in one turn of the event loop, the rest in the next, after
 * answers that came were read: a process too busy to send at the rate then sends as fast as it
 * reads, instead of sending while answers pile up unread.
 */
function perTurn(rate: number): number {
  return Math.max(1, Math.ceil((rate * BURST_MS) / 1000));
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
 * Calls are spaced evenly at the rate a RateTarget sets below a calls-per-second ceiling, and no
 * one-second window of calls let through holds more than that rate: after a drop, the server's
 * window can empty before more calls go.
 */
export class RateLimiter {
  private readonly target: RateTarget;
  /** When the next call is due by the spacing alone. */
  private nextDue = -Infinity;
  private readonly granted = new RecentTimes();
  /** Waiters in order of asking; those let through or gone are cleared, so that they can be collected at once. */
  private queue: (Waiter | undefined)[] = [];
  private head = 0;
  private waitingCount = 0;
  private wakeScheduled = false;
  /** Calls let through in this turn of the event loop, and whether the next turn must let more through. */
  private turnGrants = 0;
  private turnWait = false;

  constructor(
    ceilingPerSecond: number,
    private readonly clock: Clock = systemClock,
    /** Called after calls were let through, so that more work can be queued. */
    private readonly onGrant: () => void = () => {},
  ) {
    if (!(ceilingPerSecond > 0)) throw new RangeError("ceilingPerSecond must be positive");
    this.target = new RateTarget(ceilingPerSecond, clock.now());
  }

  /** The calls per second the limiter currently lets through. */
  get rate(): number {
    return this.target.at(this.clock.now());
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
    this.target.answered(this.clock.now(), grantedAt, rateLimited);
    // A call the server refused took no place in its window, so it holds none in the limiter's.
    if (rateLimited) this.granted.takeBack(grantedAt);
  }

  private pump(): void {
    if (this.wakeScheduled) return;
    let granted = 0;
    for (;;) {
      const waiter = this.nextWaiter();
      if (!waiter) break;
      const now = this.clock.now();
      const rate = this.target.at(now);
      if (this.turnGrants >= perTurn(rate)) {
        this.wakeScheduled = this.turnWait = true;
        break;
      }
      const wait = this.earliest(now, rate) - now;
      if (wait > 0) {
        this.wakeScheduled = true;
        void this.clock.sleep(wait).then(() => {
          this.wakeScheduled = false;
          this.pump();
        });
        break;
      }
      this.nextDue = Math.max(this.nextDue, now) + 1000 / rate;
      this.granted.add(now);
      if (this.turnGrants++ === 0) void this.clock.nextTurn().then(this.turnEnded);
      this.queue[this.head++] = undefined;
      waiter.done = true;
      this.waitingCount--;
      granted++;
      waiter.resolve(now);
    }
    if (granted > 0) this.onGrant();
  }

  private readonly turnEnded = (): void => {
    this.turnGrants = 0;
    if (!this.turnWait) return;
    this.wakeScheduled = this.turnWait = false;
    this.pump();
  };

  private nextWaiter(): Waiter | undefined {
    while (this.head < this.queue.length && this.queue[this.head]!.done) this.queue[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return this.queue[this.head];
  }

  /** When the next call may go: by the spacing (with a little burst), and when the window has room. */
  private earliest(now: number, rate: number): number {
    const interval = 1000 / rate;
    let earliest = this.nextDue - Math.max(interval, BURST_MS);
    if (this.granted.count(now) >= Math.max(1, Math.floor(rate))) {
      earliest = Math.max(earliest, this.granted.oldest()! + WINDOW_MS);
    }
    return earliest;
  }
}
