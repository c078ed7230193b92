import type { Send } from "./attempt.js";
import type { Clock } from "./clock.js";
import { RateLimiter } from "./limiter.js";

/**
 * The APIs a recall calls, by their short names, with their documented ceilings (calls per second
 * per SDKAppID) where those are below what a caller may set for every API.
 */
export const APIS = {
  delete_group_msg_by_sender: { command: "group_open_http_svc/delete_group_msg_by_sender" },
  group_msg_recall: { command: "group_open_http_svc/group_msg_recall" },
  group_msg_get_simple: { command: "group_open_http_svc/group_msg_get_simple" },
  get_group_info: { command: "group_open_http_svc/get_group_info" },
  get_appid_group_list: { command: "group_open_http_svc/get_appid_group_list", documentedCeiling: 1 },
  get_joined_group_list: { command: "group_open_http_svc/get_joined_group_list" },
  get_topic: { command: "million_group_open_http_svc/get_topic" },
  account_check: { command: "im_open_login_svc/account_check", documentedCeiling: 100 },
} as const satisfies Readonly<Record<string, Api>>;

interface Api {
  command: string;
  documentedCeiling?: number;
}

/** The command of an API named by its short name, or undefined when the name is not one of `APIS`. */
export function apiCommand(name: string): string | undefined {
  return Object.hasOwn(APIS, name) ? APIS[name as keyof typeof APIS].command : undefined;
}

const DOCUMENTED_CEILINGS: ReadonlyMap<string, number> = new Map(
  Object.values<Api>(APIS).flatMap(({ command, documentedCeiling }) =>
    documentedCeiling === undefined ? [] : [[command, documentedCeiling] as const],
  ),
);

/** One limiter per command (the server limits each API separately), shared by every call to it. */
export class CommandLimiters {
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly grantListeners = new Set<() => void>();

  constructor(
    /** Ceiling on calls per second to each command, but those whose documented ceiling is lower. */
    private readonly maxCallsPerSecond: number,
    private readonly clock: Clock,
    /** Ceilings set for particular commands (a bought limit, or a lower one), by command path. */
    private readonly ceilings: ReadonlyMap<string, number> = new Map(),
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
      const ceiling =
        this.ceilings.get(command) ??
        Math.min(this.maxCallsPerSecond, DOCUMENTED_CEILINGS.get(command) ?? Infinity);
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
