import type { ChatResponse, Failure } from "./answer.js";
import type { Call, Failed, Send } from "./attempt.js";
import type { Clock } from "./clock.js";
import { ChatApiError, NOT_ATTEMPTED, type RetryClass } from "./errors.js";
import { CallNotSentError } from "./limiter.js";

export interface RetryEvent {
  command: string;
  attempt: number;
  code: number;
  fromServer: boolean;
  info: string;
  /** Why it is retried: rate-limited retries do not use up the attempts. */
  retry: RetryClass;
  delayMs: number;
}

export interface CallResult<T extends ChatResponse = ChatResponse> {
  response: T;
  /** The answer as received, for fields JSON numbers cannot hold exactly. */
  text: string;
  attempts: number;
}

export interface RetryPolicy {
  /** Attempts per call for transient failures (rate-limited answers are counted apart). */
  maxAttempts: number;
  /** Base of the exponential back-off in ms. */
  backoffBaseMs?: number;
  /** Called before each retry, with a message free of secrets. */
  onRetry?: (event: RetryEvent) => void;
  /** Random numbers in [0, 1), for the jitter. */
  random?: () => number;
  clock: Clock;
}

/** Rate-limited answers are the server pacing its callers, not failures: they do not use up maxAttempts, but are retried at most this often. */
export const RATE_LIMITED_RETRIES = 20;
/** ...and for at most this long from the first of them, Retry-After or not. */
const RATE_LIMITED_BUDGET_MS = 60_000;
const DEFAULT_BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 8000;
const RATE_LIMITED_PAUSE_MS = 100;
const RETRY_AFTER_CAP_MS = 30_000;

/** What a call has used of its budgets so far. */
interface Tally {
  /** Failures that use up an attempt: every one but rate-limited answers. */
  used: number;
  /** Transient failures, for the back-off. */
  transient: number;
  rateLimited: number;
  /** When the first rate-limited answer came. */
  rateLimitedSince?: number;
}

/**
 * Whether a failure is worth another attempt: a transient one within maxAttempts, a rate-limited one
 * within RATE_LIMITED_RETRIES (and RATE_LIMITED_BUDGET_MS), an expired UserSig only when a fresh one
 * is at hand.
 */
function retryable(failure: Failed, tally: Tally, maxAttempts: number): boolean {
  switch (failure.retry) {
    case "transient":
      return tally.used < maxAttempts;
    case "rate-limited":
      return tally.rateLimited <= RATE_LIMITED_RETRIES;
    case "resign":
      return failure.mend !== undefined;
    case "permanent":
      return false;
  }
}

/**
 * Capped exponential back-off with full jitter after a transient failure, the exponent counting the
 * call's transient failures only. A rate-limited call goes back to its limiter after a short random
 * pause: the limiter, now slower, decides when. The server's Retry-After is honoured, within a cap.
 */
function backoffMs(failure: Failure, tally: Tally, baseMs: number, random: () => number): number {
  const ceiling =
    failure.retry === "rate-limited"
      ? RATE_LIMITED_PAUSE_MS
      : Math.min(BACKOFF_CAP_MS, baseMs * 2 ** (tally.transient - 1));
  return Math.max(random() * ceiling, Math.min(failure.retryAfterMs ?? 0, RETRY_AFTER_CAP_MS));
}

function callFailure(command: string, last: Failure | undefined, attempts: number): ChatApiError {
  if (!last)
    return new ChatApiError(command, NOT_ATTEMPTED, "the run stopped before this call was sent", 0, false);
  const rateLimited = last.retry === "rate-limited";
  return new ChatApiError(command, last.code, last.info, attempts, last.fromServer, rateLimited);
}

/**
 * Makes attempts until one succeeds or the call must give up, and throws ChatApiError then. A failure
 * that a layer mended is retried at once, any other after its back-off. No attempt starts once the
 * call's stop has come: its code is NOT_ATTEMPTED when nothing was sent.
 */
export function retry(policy: RetryPolicy, next: Send): (call: Call) => Promise<CallResult> {
  const { maxAttempts, clock, onRetry } = policy;
  const baseMs = policy.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const random = policy.random ?? Math.random;
  return async (call) => {
    const { command, signals } = call;
    const tally: Tally = { used: 0, transient: 0, rateLimited: 0 };
    let last: Failed | undefined;
    for (let attempt = 1; ; attempt++) {
      let tried;
      try {
        tried = await next({ call });
      } catch (error) {
        throw error instanceof CallNotSentError ? callFailure(command, last, attempt - 1) : error;
      }
      if (tried.ok) return { response: tried.response, text: tried.text, attempts: attempt };
      last = tried;
      if (tried.retry === "rate-limited") {
        tally.rateLimited++;
        tally.rateLimitedSince ??= clock.now();
      } else tally.used++;
      if (tried.retry === "transient") tally.transient++;
      if (!retryable(tried, tally, maxAttempts) || signals.stop?.aborted)
        throw callFailure(command, tried, attempt);
      let delayMs = 0;
      if (tried.mend) tried.mend();
      else delayMs = backoffMs(tried, tally, baseMs, random);
      if (
        tried.retry === "rate-limited" &&
        clock.now() + delayMs - tally.rateLimitedSince! > RATE_LIMITED_BUDGET_MS
      )
        throw callFailure(command, tried, attempt);
      const { code, fromServer, info } = tried;
      onRetry?.({ command, attempt, code, fromServer, info, retry: tried.retry, delayMs });
      if (delayMs > 0) await clock.sleep(delayMs, signals.stop);
      if (signals.stop?.aborted) throw callFailure(command, tried, attempt);
    }
  };
}
