import { randomInt } from "node:crypto";
import { HttpClient } from "@actions/http-client";
import { baseUrls, commandUrl, redactUserSig, type Region } from "./endpoint.js";
import { ChatApiError, NO_RESPONSE_CODE, retryClass, type RetryClass } from "./errors.js";
import type { RateLimiter } from "./limiter.js";
import { DEFAULT_USERSIG_LIFETIME_SECONDS, signUserSig } from "./usersig.js";

export type ChatAuth = { secretKey: string } | { userSig: string };

export interface ChatClientOptions {
  sdkAppId: number;
  identifier: string;
  auth: ChatAuth;
  region: Region;
  /** Base URL that replaces the region's domains. */
  endpoint?: string;
  maxAttempts: number;
  requestTimeoutMs: number;
  limiter?: RateLimiter;
  /** Lifetime of the UserSigs the client signs; they are renewed before they expire. */
  userSigLifetimeSeconds?: number;
  /** Called with every UserSig the client signs, before it is used (to mask it in logs). */
  onSecret?: (secret: string) => void;
  /** Called before each retry, with a message free of secrets. */
  onRetry?: (event: RetryEvent) => void;
  /** Base of the exponential back-off in ms. */
  backoffBaseMs?: number;
}

export interface RetryEvent {
  command: string;
  attempt: number;
  code: number;
  info: string;
  delayMs: number;
}

export interface ChatResponse {
  ActionStatus: string;
  ErrorCode: number;
  ErrorInfo: string;
  [field: string]: unknown;
}

export interface CallResult<T extends ChatResponse = ChatResponse> {
  response: T;
  attempts: number;
}

const BACKOFF_CAP_MS = 8000;
const RESIGN_MARGIN_SECONDS = 300;
const UINT32_RANGE = 2 ** 32;
const CONNECT_FAILURES = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH"]);

interface Outcome {
  code: number;
  info: string;
  response?: ChatResponse;
  connectFailure?: boolean;
  /** How to handle an answer that carries no ErrorCode (an HTTP error, a body that is not JSON). */
  retry?: RetryClass;
}

/**
 * A client for the Tencent Cloud Chat REST API: signs (and renews) the admin UserSig, spaces calls
 * through the limiter, retries what FACTS.md calls transient or rate limited with capped exponential
 * back-off and full jitter, re-signs once on an expired or invalidated UserSig, and keeps every
 * secret out of what it reports.
 */
export class ChatClient {
  private readonly http: HttpClient;
  private readonly bases: string[];
  private baseIndex = 0;
  private sig: { value: string; renewAt: number } | undefined;
  private latencyEwmaMs?: number;

  constructor(private readonly options: ChatClientOptions) {
    this.bases = baseUrls(options.region, options.endpoint);
    this.http = new HttpClient("tencent-chat-recall", [], {
      keepAlive: true,
      allowRetries: false,
      allowRedirects: false,
      socketTimeout: options.requestTimeoutMs,
      headers: { "content-type": "application/json" },
    });
  }

  /** Calls per second the client's limiter lets through now (Infinity without a limiter). */
  get rate(): number {
    return this.options.limiter?.rate ?? Infinity;
  }

  /** Mean time of recent HTTP exchanges, or undefined before the first one. */
  get latencyMs(): number | undefined {
    return this.latencyEwmaMs;
  }

  async call<T extends ChatResponse = ChatResponse>(
    command: string,
    body: Record<string, unknown>,
  ): Promise<CallResult<T>> {
    const payload = JSON.stringify(body);
    let resigned = false;
    for (let attempt = 1; ; attempt++) {
      await this.options.limiter?.acquire();
      const outcome = await this.attempt(command, payload);
      if (outcome.code === 0 && outcome.response) {
        return { response: outcome.response as T, attempts: attempt };
      }
      const kind = outcome.retry ?? retryClass(outcome.code);
      if (kind === "rate-limited") this.options.limiter?.onRateLimited();
      let delayMs: number;
      if (kind === "resign" && !resigned && "secretKey" in this.options.auth) {
        resigned = true;
        this.sig = undefined;
        delayMs = 0;
      } else if ((kind === "transient" || kind === "rate-limited") && attempt < this.options.maxAttempts) {
        delayMs = this.backoff(attempt);
        if (outcome.connectFailure && this.baseIndex < this.bases.length - 1) {
          this.baseIndex++;
          delayMs = 0;
        }
      } else {
        throw new ChatApiError(command, outcome.code, outcome.info, attempt);
      }
      this.options.onRetry?.({ command, attempt, code: outcome.code, info: outcome.info, delayMs });
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  close(): void {
    this.http.dispose();
  }

  private async attempt(command: string, payload: string): Promise<Outcome> {
    const userSig = this.userSig();
    const url = commandUrl(
      this.bases[this.baseIndex]!,
      command,
      { sdkAppId: this.options.sdkAppId, identifier: this.options.identifier, userSig },
      randomInt(UINT32_RANGE),
    );
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Outcome>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            code: NO_RESPONSE_CODE,
            info: `no answer within ${this.options.requestTimeoutMs} ms`,
          }),
        this.options.requestTimeoutMs,
      );
    });
    try {
      const outcome = await Promise.race([this.exchange(url, payload, userSig), deadline]);
      if (outcome.response) this.recordLatency(performance.now() - started);
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  private async exchange(url: string, payload: string, userSig: string): Promise<Outcome> {
    let status: number;
    let text: string;
    try {
      const res = await this.http.post(url, payload);
      status = res.message.statusCode ?? 0;
      text = await res.readBody();
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      return {
        code: NO_RESPONSE_CODE,
        info: redactUserSig(`network error: ${err.code ?? ""} ${err.message}`, userSig)
          .replace(/\s+/g, " ")
          .trim(),
        connectFailure: err.code !== undefined && CONNECT_FAILURES.has(err.code),
      };
    }
    if (status !== 200) {
      const retry = status === 429 ? "rate-limited" : status >= 500 ? "transient" : "permanent";
      return { code: NO_RESPONSE_CODE, info: `HTTP ${status}`, retry };
    }
    const response = parseResponse(text);
    if (!response) {
      const shown = redactUserSig(text, userSig).replace(/\s+/g, " ").slice(0, 120);
      return {
        code: NO_RESPONSE_CODE,
        info: `HTTP 200 with a body that is not a Chat API answer: ${shown}`,
        retry: "permanent",
      };
    }
    return { code: response.ErrorCode, info: redactUserSig(response.ErrorInfo, userSig), response };
  }

  private userSig(): string {
    const { auth } = this.options;
    if ("userSig" in auth) return auth.userSig;
    const nowSeconds = Math.floor(Date.now() / 1000);
    if (!this.sig || nowSeconds >= this.sig.renewAt) {
      const lifetime = this.options.userSigLifetimeSeconds ?? DEFAULT_USERSIG_LIFETIME_SECONDS;
      const value = signUserSig(auth.secretKey, {
        identifier: this.options.identifier,
        sdkAppId: this.options.sdkAppId,
        expire: lifetime,
        time: nowSeconds,
      });
      this.options.onSecret?.(value);
      this.sig = {
        value,
        renewAt: nowSeconds + Math.max(1, lifetime - Math.min(RESIGN_MARGIN_SECONDS, lifetime / 2)),
      };
    }
    return this.sig.value;
  }

  private backoff(attempt: number): number {
    const base = this.options.backoffBaseMs ?? 250;
    return Math.random() * Math.min(BACKOFF_CAP_MS, base * 2 ** (attempt - 1));
  }

  private recordLatency(ms: number): void {
    this.latencyEwmaMs = this.latencyEwmaMs === undefined ? ms : this.latencyEwmaMs * 0.8 + ms * 0.2;
  }
}

function parseResponse(text: string): ChatResponse | undefined {
  try {
    const body = JSON.parse(text) as Partial<ChatResponse>;
    if (typeof body.ErrorCode !== "number") return undefined;
    return {
      ...body,
      ActionStatus: String(body.ActionStatus ?? ""),
      ErrorCode: body.ErrorCode,
      ErrorInfo: String(body.ErrorInfo ?? ""),
    };
  } catch {
    return undefined;
  }
}
