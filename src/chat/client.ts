import { randomInt } from "node:crypto";
import { judge, type ChatResponse, type Failure } from "./answer.js";
import { systemClock, type Clock } from "./clock.js";
import { baseUrls, commandPath, type Region } from "./endpoint.js";
import { ChatApiError, NOT_ATTEMPTED, type RetryClass } from "./errors.js";
import { CallNotSentError, RateLimiter } from "./limiter.js";
import { Secrets } from "./secrets.js";
import { Transport } from "./transport.js";
import { DEFAULT_USERSIG_LIFETIME_SECONDS, signUserSig } from "./usersig.js";

export type ChatAuth = { secretKey: string } | { userSig: string };

export interface ChatClientOptions {
  sdkAppId: number;
  identifier: string;
  auth: ChatAuth;
  region: Region;
  /** Base URL that replaces the region's domains. */
  endpoint?: string;
  /** Attempts per call for transient failures (rate-limited answers are counted apart). */
  maxAttempts: number;
  requestTimeoutMs: number;
  /** Ceiling on calls per second to each command (the server limits each API separately). */
  maxCallsPerSecond: number;
  /** The run's secrets: every UserSig the client signs is added before it is used. */
  secrets?: Secrets;
  /** Lifetime of the UserSigs the client signs; they are renewed before they expire. */
  userSigLifetimeSeconds?: number;
  /** Called before each retry, with a message free of secrets. */
  onRetry?: (event: RetryEvent) => void;
  /** Base of the exponential back-off in ms. */
  backoffBaseMs?: number;
  clock?: Clock;
}

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

export interface CallSignals {
  /** No attempt starts after this: a call not sent yet fails as NOT_ATTEMPTED, a retry is given up. */
  stop?: AbortSignal;
  /** Cuts the exchange in flight. */
  abort?: AbortSignal;
}

export interface CallResult<T extends ChatResponse = ChatResponse> {
  response: T;
  /** The answer as received, for fields JSON numbers cannot hold exactly. */
  text: string;
  attempts: number;
}

/** Commands whose documented ceiling is below any the caller may set: calls per second per SDKAppID. */
const DOCUMENTED_CEILINGS: ReadonlyMap<string, number> = new Map([
  ["group_open_http_svc/get_appid_group_list", 1],
]);

/** ErrorInfo and other outside text are cut to this many characters wherever they are kept or shown. */
const MAX_INFO_CHARS = 1000;
const BACKOFF_CAP_MS = 8000;
const RATE_LIMITED_PAUSE_MS = 100;
/** Rate-limited answers are the server pacing its callers, not failures: they do not use up maxAttempts, but are retried at most this often. */
export const RATE_LIMITED_RETRIES = 20;
const RETRY_AFTER_CAP_MS = 30_000;
const RESIGN_MARGIN_SECONDS = 300;
const UINT32_RANGE = 2 ** 32;

function boundText(text: string): string {
  const max = MAX_INFO_CHARS;
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/**
 * A client for the Tencent Cloud Chat REST API: signs (and renews) the admin UserSig, lets each call
 * out when its command's limiter says so, retries what FACTS.md calls transient or rate limited with
 * capped exponential back-off and full jitter (or the server's Retry-After), re-signs once on an
 * expired or invalidated UserSig, and keeps every secret out of what it reports.
 */
export class ChatClient {
  private readonly secrets: Secrets;
  /** Text from an answer as it may be kept or shown: free of secrets, bounded. */
  readonly clean = (text: string): string => (text ? boundText(this.secrets.redact(text)) : text);
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly bases: string[];
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly grantListeners = new Set<() => void>();
  private baseIndex = 0;
  private sig: { value: string; renewAt: number } | undefined;

  constructor(private readonly options: ChatClientOptions) {
    this.secrets = options.secrets ?? new Secrets();
    this.clock = options.clock ?? systemClock;
    this.bases = baseUrls(options.region, options.endpoint);
    this.transport = new Transport(options.requestTimeoutMs);
    if ("secretKey" in options.auth) this.secrets.addSecretKey(options.auth.secretKey);
    else this.secrets.addUserSig(options.auth.userSig);
  }

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

  /** The limiter of one command, shared by every call to it through this client. */
  private limiter(command: string): RateLimiter {
    let limiter = this.limiters.get(command);
    if (!limiter) {
      const ceiling = Math.min(this.options.maxCallsPerSecond, DOCUMENTED_CEILINGS.get(command) ?? Infinity);
      limiter = new RateLimiter(ceiling, this.clock, () =>
        this.grantListeners.forEach((listener) => listener()),
      );
      this.limiters.set(command, limiter);
    }
    return limiter;
  }

  /**
   * Makes one call, retrying as allowed. `body` is an object, or JSON text sent as it is. Throws
   * ChatApiError when it does not end with ErrorCode 0; its code is NOT_ATTEMPTED when `signals.stop`
   * came before the call was sent.
   */
  async call<T extends ChatResponse = ChatResponse>(
    command: string,
    body: Record<string, unknown> | string,
    signals: CallSignals = {},
  ): Promise<CallResult<T>> {
    const { stop, abort } = signals;
    const payload = typeof body === "string" ? body : JSON.stringify(body);
    const limiter = this.limiter(command);
    let resigned = false;
    let failures = 0;
    let rateLimited = 0;
    let last: Failure | undefined;
    for (let attempt = 1; ; attempt++) {
      let grantedAt: number;
      try {
        grantedAt = await limiter.acquire(stop);
      } catch (error) {
        if (!(error instanceof CallNotSentError)) throw error;
        throw this.failure(command, last, attempt - 1);
      }
      const userSig = this.userSig();
      const path = commandPath(
        command,
        { sdkAppId: this.options.sdkAppId, identifier: this.options.identifier, userSig },
        randomInt(UINT32_RANGE),
      );
      const outcome = await this.transport.post(this.bases[this.baseIndex]!, path, payload, abort);
      const verdict = judge(outcome, this.clean);
      if (outcome.kind === "answer")
        limiter.onAnswer(grantedAt, !verdict.ok && verdict.retry === "rate-limited");
      if (verdict.ok) {
        return { response: verdict.response as T, text: verdict.text, attempts: attempt };
      }
      last = verdict;
      if (last.retry === "rate-limited") rateLimited++;
      else failures++;
      let delayMs: number;
      if (last.retry === "resign" && !resigned && "secretKey" in this.options.auth) {
        resigned = true;
        this.sig = undefined;
        delayMs = 0;
      } else if (
        ((last.retry === "transient" && failures < this.options.maxAttempts) ||
          (last.retry === "rate-limited" && rateLimited <= RATE_LIMITED_RETRIES)) &&
        !stop?.aborted
      ) {
        delayMs = this.backoff(attempt, last);
        if (last.connectFailure && this.baseIndex < this.bases.length - 1) {
          this.baseIndex++;
          delayMs = 0;
        }
      } else {
        throw this.failure(command, last, attempt);
      }
      this.options.onRetry?.({
        command,
        attempt,
        code: last.code,
        fromServer: last.fromServer,
        info: last.info,
        retry: last.retry,
        delayMs,
      });
      if (delayMs > 0) await this.clock.sleep(delayMs, stop);
      if (stop?.aborted) throw this.failure(command, last, attempt);
    }
  }

  close(): void {
    this.transport.close();
  }

  private failure(command: string, last: Failure | undefined, attempts: number): ChatApiError {
    if (!last)
      return new ChatApiError(command, NOT_ATTEMPTED, "the run stopped before this call was sent", 0, false);
    return new ChatApiError(command, last.code, last.info, attempts, last.fromServer);
  }

  private userSig(): string {
    const { auth } = this.options;
    if ("userSig" in auth) return auth.userSig;
    const nowSeconds = this.clock.epochSeconds();
    if (!this.sig || nowSeconds >= this.sig.renewAt) {
      const lifetime = this.options.userSigLifetimeSeconds ?? DEFAULT_USERSIG_LIFETIME_SECONDS;
      const value = signUserSig(auth.secretKey, {
        identifier: this.options.identifier,
        sdkAppId: this.options.sdkAppId,
        expire: lifetime,
        time: nowSeconds,
      });
      this.secrets.addUserSig(value);
      this.sig = {
        value,
        renewAt: nowSeconds + Math.max(1, lifetime - Math.min(RESIGN_MARGIN_SECONDS, lifetime / 2)),
      };
    }
    return this.sig.value;
  }

  /**
   * Capped exponential back-off with full jitter after a transient failure. A rate-limited call
   * goes back to its limiter after a short random pause: the limiter, now slower, decides when.
   * The server's Retry-After is honoured, within a cap.
   */
  private backoff(attempt: number, failure: Failure): number {
    const base = this.options.backoffBaseMs ?? 250;
    const ceiling =
      failure.retry === "rate-limited"
        ? RATE_LIMITED_PAUSE_MS
        : Math.min(BACKOFF_CAP_MS, base * 2 ** (attempt - 1));
    return Math.max(Math.random() * ceiling, Math.min(failure.retryAfterMs ?? 0, RETRY_AFTER_CAP_MS));
  }
}
