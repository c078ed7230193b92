import * as http from "node:http";
import type * as https from "node:https";
import { isIP } from "node:net";
import type { Duplex } from "node:stream";
import { onAbort } from "./abort.js";
import { systemClock } from "./clock.js";
import { LinkedList, type Link } from "./linked-list.js";
import { proxyFor, ProxyError, type ProxyEnv } from "./proxy.js";

/** Answers longer than this are not read: the attempt fails instead. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

const CONNECT_FAILURES = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH"]);

/** What one HTTP exchange gave: an answer with its status and body, or none at all. */
export type HttpOutcome =
  | { kind: "answer"; status: number; body: string; retryAfterMs?: number }
  | {
      kind: "no-answer";
      reason: string;
      connectFailure: boolean;
      /**
       * Trying again would not change the outcome: nothing was sent (the proxy setting cannot be
       * used), or the server does not speak TLS.
       */
      refused?: true;
    };

/** How the client reaches the server: one request at a time, each ending in an outcome. */
export interface Transport {
  /**
   * POSTs `payload` to `path` (with its query) on the server at `base`. A network failure, a
   * timeout or `signal` aborting is an outcome, not a rejection.
   */
  post(base: string, path: string, payload: string, signal?: AbortSignal): Promise<HttpOutcome>;
  /** Ends every exchange in flight and frees every connection, so the process can exit. */
  close(): void;
}

function noAnswer(reason: string, connectFailure = false): HttpOutcome {
  return { kind: "no-answer", reason, connectFailure };
}

/**
 * OpenSSL's words for a TLS handshake answered by something that is not TLS, such as a plain-HTTP
 * server (the emulator) behind an https:// URL; Node gives them as EPROTO with the reason in the message.
 */
const NOT_TLS = /wrong version number|packet length too long|WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG/i;

function notTls(error: Error): boolean {
  return NOT_TLS.test(error.message) || NOT_TLS.test((error as NodeJS.ErrnoException).code ?? "");
}

/** What a failed exchange says: a server that does not speak TLS is named as such, not by OpenSSL's words. */
function networkFailure(error: NodeJS.ErrnoException): HttpOutcome {
  if (notTls(error)) {
    // Trying again would get the same answer.
    return {
      kind: "no-answer",
      reason: "this endpoint does not speak TLS (https); use http:// for a loopback emulator",
      connectFailure: false,
      refused: true,
    };
  }
  return noAnswer(
    `network error: ${[error.code, error.message].filter(Boolean).join(" ")}`,
    error.code !== undefined && CONNECT_FAILURES.has(error.code),
  );
}

/** `Retry-After` as seconds or an HTTP date, in ms from now. */
function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (header.trim() !== "" && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

let httpsModule: typeof https | undefined;
/** Loaded on first use: a run against a loopback emulator never needs TLS. */
async function loadHttps(): Promise<typeof https> {
  return (httpsModule ??= await import("node:https"));
}

/** Where the server (or proxy) of a URL listens, and whether it is spoken to over TLS. */
function addressOf(url: URL): { host: string; port: number | string; tls: boolean } {
  const tls = url.protocol === "https:";
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: url.port || (tls ? 443 : 80), tls };
}

const KEEP_ALIVE: http.AgentOptions = { keepAlive: true, scheduling: "lifo" };

/**
 * What every TLS connection we open is checked with, whatever the environment says: the server's
 * certificate is verified (NODE_TLS_REJECT_UNAUTHORIZED=0 cannot turn that off; a private CA goes in
 * NODE_EXTRA_CA_CERTS), against the host name unless the host is an IP address (SNI carries names only).
 */
function tlsOptions(host: string): https.RequestOptions {
  return { rejectUnauthorized: true, ...(isIP(host) ? {} : { servername: host }) };
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username && !proxy.password) return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { "proxy-authorization": `Basic ${Buffer.from(credentials).toString("base64")}` };
}

/**
 * How requests reach one server: the request function, fixed options and headers, and what goes
 * before each path; or why they cannot be sent at all.
 */
type Route =
  | {
      request: typeof http.request;
      options: https.RequestOptions;
      headers: http.OutgoingHttpHeaders;
      pathPrefix: string;
    }
  | { refused: string };

/** The value of the first header of that (lower-case) name, without building `res.headers`. */
function rawHeader(res: http.IncomingMessage, name: string): string | undefined {
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && key.toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}

const EXCHANGE = Symbol("exchange");

/** A request or its answer, with the exchange it belongs to. */
type Tagged<T> = T & { [EXCHANGE]?: Exchange };

/**
 * One exchange in flight: when it must have ended, what of the answer came so far, and how it ends.
 * Its events are handled by functions shared by every exchange, which find it on the request or answer.
 */
class Exchange {
  private size = 0;
  private first: Buffer | undefined;
  private rest: Buffer[] | undefined;
  private readonly link: Link<Exchange>;
  private readonly forget: () => void;

  constructor(
    readonly req: http.ClientRequest,
    signal: AbortSignal | undefined,
    readonly deadline: number,
    private readonly live: LinkedList<Exchange>,
    private readonly ended: () => void,
    private readonly resolve: (outcome: HttpOutcome) => void,
  ) {
    this.link = live.push(this);
    this.forget = onAbort(signal, () => this.finish(noAnswer("cancelled before the answer"), true));
  }

  /** Ends the exchange with `outcome`, unless it has ended; `destroy` frees its socket. */
  finish(outcome: HttpOutcome, destroy = false): void {
    if (!this.live.remove(this.link)) return;
    this.forget();
    this.ended();
    if (destroy) this.req.destroy();
    this.resolve(outcome);
  }

  /** Keeps a chunk of the answer; false when the answer is over the limit. */
  keep(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > MAX_ANSWER_BYTES) return false;
    if (!this.first) this.first = chunk;
    else (this.rest ??= [this.first]).push(chunk);
    return true;
  }

  get body(): string {
    if (this.rest) return Buffer.concat(this.rest).toString("utf8");
    return this.first ? this.first.toString("utf8") : "";
  }
}

function onRequestError(this: Tagged<http.ClientRequest>, error: NodeJS.ErrnoException): void {
  this[EXCHANGE]?.finish(networkFailure(error), true);
}

function onResponse(this: Tagged<http.ClientRequest>, res: Tagged<http.IncomingMessage>): void {
  const exchange = this[EXCHANGE];
  if (!exchange) return;
  const declared = Number(rawHeader(res, "content-length"));
  if (declared > MAX_ANSWER_BYTES) {
    exchange.finish(noAnswer(`answer of ${declared} bytes is over the ${MAX_ANSWER_BYTES}-byte limit`), true);
    return;
  }
  res[EXCHANGE] = exchange;
  res.on("data", onAnswerData);
  res.on("end", onAnswerEnd);
  res.on("error", onAnswerCut);
  res.on("close", onAnswerCut);
}

function onAnswerData(this: Tagged<http.IncomingMessage>, chunk: Buffer): void {
  const exchange = this[EXCHANGE]!;
  if (!exchange.keep(chunk))
    exchange.finish(noAnswer(`answer is over the ${MAX_ANSWER_BYTES}-byte limit`), true);
}

function onAnswerEnd(this: Tagged<http.IncomingMessage>): void {
  const exchange = this[EXCHANGE]!;
  const retryAfter = retryAfterMs(rawHeader(this, "retry-after"));
  exchange.finish({
    kind: "answer",
    status: this.statusCode ?? 0,
    body: exchange.body,
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
  });
}

function onAnswerCut(this: Tagged<http.IncomingMessage>): void {
  this[EXCHANGE]!.finish(noAnswer("connection closed in the middle of the answer"), true);
}

/**
 * POSTs JSON over keep-alive connections, directly or through the proxy `env` names (`https_proxy`,
 * `no_proxy`: see proxy.ts); a proxy setting that cannot be used fails each attempt at once, unsent.
 * TLS certificates are always verified. Every exchange ends within the
 * request timeout, whatever the server or proxy does: a stalled answer, a stalled CONNECT, a reset
 * mid-answer or an oversized body ends the attempt at once and frees its socket. Redirects are not
 * followed. `close` destroys every connection, so the process can exit.
 *
 * Thousands of exchanges may be in flight at once: they share one timer (all have the same timeout,
 * so they are due in the order they started).
 */
export class HttpTransport implements Transport {
  private readonly agents = new Map<string, http.Agent>();
  /** How to reach each base URL: a promise while it is worked out, so that later exchanges start at once. */
  private readonly routes = new Map<string, Route | Promise<Route>>();
  /** Exchanges in flight, in the order they started, which is the order they are due. */
  private readonly live = new LinkedList<Exchange>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly env: ProxyEnv = process.env,
  ) {}

  post(base: string, path: string, payload: string, signal?: AbortSignal): Promise<HttpOutcome> {
    if (signal?.aborted) return Promise.resolve(noAnswer("cancelled before the request was sent"));
    const route = this.routes.get(base) ?? this.findRouteOnce(base);
    if (!(route instanceof Promise)) return this.send(route, path, payload, signal);
    return route.then((found) =>
      signal?.aborted ? noAnswer("cancelled before the answer") : this.send(found, path, payload, signal),
    );
  }

  close(): void {
    for (const exchange of this.live.values()) exchange.finish(noAnswer("the transport was closed"), true);
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
    this.routes.clear();
  }

  private send(route: Route, path: string, payload: string, signal?: AbortSignal): Promise<HttpOutcome> {
    if ("refused" in route)
      return Promise.resolve({
        kind: "no-answer",
        reason: route.refused,
        connectFailure: false,
        refused: true,
      });
    return new Promise<HttpOutcome>((resolve) => {
      const headers = { ...route.headers, "content-length": Buffer.byteLength(payload) };
      const req: Tagged<http.ClientRequest> = route.request({
        ...route.options,
        path: route.pathPrefix + path,
        headers,
      });
      const deadline = systemClock.now() + this.timeoutMs;
      const exchange = new Exchange(req, signal, deadline, this.live, this.ended, resolve);
      req[EXCHANGE] = exchange;
      this.timer ??= setTimeout(this.expire, this.timeoutMs);
      req.on("error", onRequestError);
      req.on("response", onResponse);
      req.end(payload);
    });
  }

  /** No exchange is in flight any more: nothing is due. */
  private readonly ended = (): void => {
    if (this.live.size > 0 || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  };

  /** Ends every exchange past its deadline, and waits for the next one due. */
  private readonly expire = (): void => {
    this.timer = undefined;
    const at = systemClock.now();
    for (let exchange = this.live.first(); exchange; exchange = this.live.first()) {
      if (exchange.deadline > at) {
        this.timer = setTimeout(this.expire, Math.max(1, Math.ceil(exchange.deadline - at)));
        return;
      }
      exchange.finish(noAnswer(`no answer within ${this.timeoutMs} ms`), true);
    }
  };

  /** Works out how to reach `base` (directly, or through the proxy the environment names), once. */
  private findRouteOnce(base: string): Promise<Route> {
    const finding = this.findRoute(new URL(base));
    this.routes.set(base, finding);
    void finding.then(
      (found) => this.routes.get(base) === finding && this.routes.set(base, found),
      () => {},
    );
    return finding;
  }

  private async findRoute(url: URL): Promise<Route> {
    const { host, port, tls } = addressOf(url);
    const headers = { "content-type": "application/json", "user-agent": "tencent-chat-recall" };
    const pathPrefix = url.pathname.replace(/\/+$/, "");
    if (!tls) {
      // Plain http is for loopback only (see endpointProblem), which no proxy serves.
      const agent = this.agent("http", () => new http.Agent(KEEP_ALIVE));
      return { request: http.request, options: { method: "POST", host, port, agent }, headers, pathPrefix };
    }
    let proxy: URL | undefined;
    try {
      proxy = proxyFor(url, this.env);
    } catch (error) {
      if (error instanceof ProxyError) return { refused: error.message };
      throw error;
    }
    const https = await loadHttps();
    const agent = proxy
      ? this.agent(`https via ${proxy.href}`, () => tunnelAgent(https, proxy, this.timeoutMs))
      : this.agent("https", () => new https.Agent(KEEP_ALIVE));
    return {
      request: https.request,
      options: { method: "POST", host, port, agent, ...tlsOptions(host) },
      headers,
      pathPrefix,
    };
  }

  private agent<T extends http.Agent>(key: string, create: () => T): T {
    let agent = this.agents.get(key) as T | undefined;
    if (!agent) this.agents.set(key, (agent = create()));
    return agent;
  }
}

/**
 * An https agent whose connections are tunnels through a proxy (CONNECT, over TLS for an https://
 * proxy; both TLS connections verified whatever the environment says), each bounded by the request timeout, and destroyed with the agent even while the proxy
 * has not answered.
 */
function tunnelAgent(https: typeof import("node:https"), proxy: URL, timeoutMs: number): https.Agent {
  const pending = new Set<http.ClientRequest>();
  const agent = new https.Agent(KEEP_ALIVE);
  const address = addressOf(proxy);
  const direct = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const done = callback as (err: Error | null, stream?: Duplex) => void;
    const authority = `${options.host}:${options.port}`;
    const connect = (address.tls ? https : http).request({
      host: address.host,
      port: address.port,
      method: "CONNECT",
      path: authority,
      headers: { host: authority, ...proxyAuthorization(proxy) },
      agent: false,
      timeout: timeoutMs,
      ...(address.tls ? tlsOptions(address.host) : {}),
    });
    pending.add(connect);
    connect.once("connect", (res, socket) => {
      pending.delete(connect);
      if (res.statusCode !== 200) {
        socket.destroy();
        return done(new Error(`the proxy answered CONNECT with HTTP ${res.statusCode}`));
      }
      const tls = tlsOptions(String(options.host ?? ""));
      done(null, direct({ ...options, socket, ...tls } as https.RequestOptions) ?? undefined);
    });
    connect.once("timeout", () =>
      connect.destroy(new Error(`the proxy did not answer within ${timeoutMs} ms`)),
    );
    connect.once("error", (error) => {
      pending.delete(connect);
      // Named here, or the endpoint would be blamed for the proxy.
      done(
        notTls(error)
          ? new Error(
              `the proxy ${proxy.host} does not speak TLS (https); give it as http:// if it is plain HTTP`,
            )
          : error,
      );
    });
    connect.end();
    return undefined;
  };
  const destroy = agent.destroy.bind(agent);
  agent.destroy = () => {
    for (const connect of pending) connect.destroy();
    pending.clear();
    destroy();
  };
  return agent;
}
