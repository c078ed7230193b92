import * as http from "node:http";
import type * as https from "node:https";
import { isIP } from "node:net";
import type { Duplex } from "node:stream";
import { onAbort } from "./abort.js";
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

/**
 * POSTs JSON over keep-alive connections, directly or through the proxy `env` names (`https_proxy`,
 * `no_proxy`: see proxy.ts); a proxy setting that cannot be used fails each attempt at once, unsent.
 * TLS certificates are always verified. Every exchange ends within the
 * request timeout, whatever the server or proxy does: a stalled answer, a stalled CONNECT, a reset
 * mid-answer or an oversized body ends the attempt at once and frees its socket. Redirects are not
 * followed. `close` destroys every connection, so the process can exit.
 */
export class HttpTransport implements Transport {
  private readonly agents = new Map<string, http.Agent>();
  private readonly routes = new Map<string, Promise<Route>>();
  private readonly live = new Set<http.ClientRequest>();

  constructor(
    private readonly timeoutMs: number,
    private readonly env: ProxyEnv = process.env,
  ) {}

  async post(base: string, path: string, payload: string, signal?: AbortSignal): Promise<HttpOutcome> {
    if (signal?.aborted) return noAnswer("cancelled before the request was sent");
    const route = await this.route(base);
    if ("refused" in route)
      return { kind: "no-answer", reason: route.refused, connectFailure: false, refused: true };
    const headers = { ...route.headers, "content-length": Buffer.byteLength(payload) };
    return new Promise<HttpOutcome>((resolve) => {
      let settled = false;
      const req = route.request({ ...route.options, path: route.pathPrefix + path, headers });
      const finish = (outcome: HttpOutcome, destroy = false): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        forget();
        this.live.delete(req);
        if (destroy) req.destroy();
        resolve(outcome);
      };
      const timer = setTimeout(
        () => finish(noAnswer(`no answer within ${this.timeoutMs} ms`), true),
        this.timeoutMs,
      );
      const forget = onAbort(signal, () => finish(noAnswer("cancelled before the answer"), true));
      this.live.add(req);

      req.on("error", (error: NodeJS.ErrnoException) => finish(networkFailure(error), true));
      req.on("response", (res) => {
        const declared = Number(res.headers["content-length"]);
        if (declared > MAX_ANSWER_BYTES) {
          return finish(
            noAnswer(`answer of ${declared} bytes is over the ${MAX_ANSWER_BYTES}-byte limit`),
            true,
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            finish(noAnswer(`answer is over the ${MAX_ANSWER_BYTES}-byte limit`), true);
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => {
          const retryAfter = retryAfterMs(res.headers["retry-after"]);
          finish({
            kind: "answer",
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
          });
        });
        res.on("error", () => finish(noAnswer("connection closed in the middle of the answer"), true));
        res.on("close", () => finish(noAnswer("connection closed in the middle of the answer"), true));
      });
      req.end(payload);
    });
  }

  close(): void {
    for (const req of this.live) req.destroy();
    this.live.clear();
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
    this.routes.clear();
  }

  /** How to reach the server at `base`: directly, or through the proxy the environment names. Worked out once. */
  private route(base: string): Promise<Route> {
    let route = this.routes.get(base);
    if (!route) this.routes.set(base, (route = this.findRoute(new URL(base))));
    return route;
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
