import type { ChatResponse } from "./answer.js";
import type { Call, CallSignals, Unreadable } from "./attempt.js";
import { systemClock, type Clock } from "./clock.js";
import { baseUrls, type Region } from "./endpoint.js";
import { exchange } from "./exchange.js";
import { failover } from "./failover.js";
import { retry, type CallResult, type RetryEvent } from "./retry.js";
import { Secrets } from "./secrets.js";
import { sign, Signer, type ChatAuth } from "./signing.js";
import { apiCommand, CommandLimiters, throttle } from "./throttle.js";
import { HttpTransport, type Transport } from "./transport.js";

export type { CallSignals } from "./attempt.js";
export { RATE_LIMITED_RETRIES, type CallResult, type RetryEvent } from "./retry.js";
export type { ChatAuth } from "./signing.js";

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
  /** Ceilings of particular APIs, by their short names (`group_msg_get_simple`), over `maxCallsPerSecond`. */
  apiCeilings?: Readonly<Record<string, number>>;
  /** The run's secrets: every UserSig the client signs is added before it is used. */
  secrets?: Secrets;
  /** Lifetime of the UserSigs the client signs; they are renewed before they expire. */
  userSigLifetimeSeconds?: number;
  /** Called before each retry, with a message free of secrets. */
  onRetry?: (event: RetryEvent) => void;
  /** Base of the exponential back-off in ms. */
  backoffBaseMs?: number;
  clock?: Clock;
  /** Random numbers in [0, 1), for the back-off's jitter. */
  random?: () => number;
  /** How requests reach the server: HTTP(S) with `requestTimeoutMs` unless given. The client closes it. */
  transport?: Transport;
}

/** Calls kept waiting at the limiters, so that they always have one to let through. */
const WAITING_TARGET = 16;

/** ErrorInfo and other outside text are cut to this many characters wherever they are kept or shown. */
const MAX_INFO_CHARS = 1000;

function boundText(text: string): string {
  const max = MAX_INFO_CHARS;
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/**
 * A client for the Tencent Cloud Chat REST API: signs (and renews) the admin UserSig, lets each call
 * out when its command's limiter says so, retries what FACTS.md calls transient or rate limited with
 * capped exponential back-off and full jitter (or the server's Retry-After), re-signs once on an
 * expired or invalidated UserSig, moves to the backup domain when the main one cannot be reached,
 * and keeps every secret out of what it reports.
 */
export class ChatClient {
  private readonly secrets: Secrets;
  /** Text from an answer as it may be kept or shown: free of secrets, bounded. */
  readonly clean = (text: string): string => (text ? boundText(this.secrets.redact(text)) : text);
  private readonly transport: Transport;
  private readonly limiters: CommandLimiters;
  private readonly send: (call: Call) => Promise<CallResult>;

  constructor(options: ChatClientOptions) {
    const clock = options.clock ?? systemClock;
    const caller = { sdkAppId: options.sdkAppId, identifier: options.identifier };
    this.secrets = options.secrets ?? new Secrets();
    this.transport = options.transport ?? new HttpTransport(options.requestTimeoutMs);
    const ceilings = Object.entries(options.apiCeilings ?? {}).map(([api, n]) => {
      const command = apiCommand(api);
      if (command === undefined) throw new RangeError(`apiCeilings names an unknown API: ${api}`);
      return [command, n] as const;
    });
    this.limiters = new CommandLimiters(options.maxCallsPerSecond, clock, new Map(ceilings));
    const signer = new Signer(options.auth, caller, this.secrets, clock, options.userSigLifetimeSeconds);
    const bases = baseUrls(options.region, options.endpoint);

    this.send = retry(
      { ...options, clock },
      throttle(this.limiters, failover(bases, sign(signer, exchange(this.transport, caller, this.clean)))),
    );
  }

  /**
   * Whether the limiters have fewer calls waiting than keep them busy: more work may start. Work
   * started beyond that only waits, holding memory.
   */
  get wantsMore(): boolean {
    return this.limiters.waiting < WAITING_TARGET;
  }

  /** Calls `listener` whenever waiting calls were let through; returns a function that stops it. */
  onGrant(listener: () => void): () => void {
    return this.limiters.onGrant(listener);
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
    unreadable?: Unreadable,
  ): Promise<CallResult<T>> {
    const payload = typeof body === "string" ? body : JSON.stringify(body);
    const call = { command, payload, signals, resigned: false, ...(unreadable && { unreadable }) };
    return (await this.send(call)) as CallResult<T>;
  }

  close(): void {
    this.transport.close();
  }
}
