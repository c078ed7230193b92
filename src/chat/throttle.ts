import type { Send } from "./attempt.js";
import type { Clock } from "./clock.js";
import { RateLimiter } from "./limiter.js";

/** Commands whose documented ceiling is below any the caller may set: calls per second per SDKAppID. */
const DOCUMENTED_CEILINGS: ReadonlyMap<string, number> = new Map([
  ["group_open_http_svc/get_appid_group_list", 1],
  ["im_open_login_svc/account_check", 100],
]);

/** One limiter per command (the server limits each API separately), shared by every call to it. */
export class CommandLimiters {
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly grantListeners = new Set<() => void>();

  constructor(
    /** Ceiling on calls per second to each command. */
    private readonly maxCallsPerSecond: number,
    private readonly clock: Clock,
  ) {}

  /** Calls waiting for their command's limiter. */
  get waiting(): number {
    let waiting = 0;
    for (const limiter of this.limiters.values()) waiting += limiter.waiting;
    return waiting;
  }

  /** Calls `listener` whenever waiting calls were let through; returns a function that stops it. */
  onGrant(listener: () => void): () => void {
    this.grantListeners.add(listener);
    return () => this.grantListeners.delete(listener);
  }

  of(command: string): RateLimiter {
    let limiter = this.limiters.get(command);
    if (!limiter) {
      const ceiling = Math.min(this.maxCallsPerSecond, DOCUMENTED_CEILINGS.get(command) ?? Infinity);
      limiter = new RateLimiter(ceiling, this.clock, () =>
        this.grantListeners.forEach((listener) => listener()),
      );
      this.limiters.set(command, limiter);
    }
    return limiter;
  }
}

/**
 * Lets each attempt out when its command's limiter says so, and tells the limiter of each answer
 * the server gave. Rejects with CallNotSentError when the call's stop comes while it waits.
 */
export function throttle(limiters: CommandLimiters, next: Send): Send {
  return async (attempt) => {
    const { command, signals } = attempt.call;
    const limiter = limiters.of(command);
    const grantedAt = await limiter.acquire(signals.stop);
    const tried = await next(attempt);
    if (tried.answered) limiter.onAnswer(grantedAt, !tried.ok && tried.retry === "rate-limited");
    return tried;
  };
}
