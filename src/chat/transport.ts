import { channel } from "node:diagnostics_channel";
import { connect as connectTcp, isIP } from "node:net";
import type * as tls from "node:tls";
import { onAbort } from "./abort.js";
import { systemClock } from "./clock.js";
import { ConnectionPool, type Dial, type Receiver } from "./connection.js";
import { noAnswer, refused, type HttpOutcome } from "./http-outcome.js";
import { LinkedList, type Link } from "./linked-list.js";
import { proxyFor, ProxyError, type ProxyEnv } from "./proxy.js";
import { addressOf, openTunnel } from "./tunnel.js";

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

let tlsModules: { tls: typeof tls; https: typeof import("node:https") } | undefined;
/** Loaded on first use: a run against a loopback emulator never needs TLS. */
async function loadTls(): Promise<NonNullable<typeof tlsModules>> {
  return (tlsModules ??= { tls: await import("node:tls"), https: await import("node:https") });
}

/**
 * What every TLS connection we open is checked with, whatever the environment says: the server's
 * certificate is verified (NODE_TLS_REJECT_UNAUTHORIZED=0 cannot turn that off; a private CA goes in
 * NODE_EXTRA_CA_CERTS), against the host name unless the host is an IP address (SNI carries names only).
 */
function tlsOptions(host: string): tls.ConnectionOptions {
  return { rejectUnauthorized: true, ...(isIP(host) ? {} : { servername: host }) };
}

/**
 * Each request is published on this diagnostics channel as `{ path }` when it is handed to a
 * connection, as node:http's client publishes its requests on "http.client.request.start".
 */
export const REQUEST_CHANNEL = "tencent-chat-recall:http.request";
const requests = channel(REQUEST_CHANNEL);

/** How an exchange ends when its signal aborts it, and when the transport closes first. */
const cancelled = (): HttpOutcome => noAnswer("cancelled before the answer");
const transportClosed = (): HttpOutcome => noAnswer("the transport was closed");

/** Characters a request line's path may hold as they are. */
const PATH_CHARACTERS = /^[\x21-\x7e]*$/;

/**
 * How requests reach one server: its connections, and the text of each request around the path
 * and the payload's length; or why they cannot be sent at all.
 */
type Route = { pool: ConnectionPool; start: string; headers: string } | { refused: string };

/**
 * One exchange in flight: when it must have ended, and how it ends: by its connection's outcome,
 * its deadline, its signal or the transport closing, whichever comes first.
 */
class Exchange implements Receiver {
  connection: { destroy(): void } | undefined;
  private readonly link: Link<Exchange>;
  private readonly forget: () => void;

  constructor(
    signal: AbortSignal | undefined,
    readonly deadline: number,
    private readonly live: LinkedList<Exchange>,
    private readonly ended: () => void,
    private readonly resolve: (outcome: HttpOutcome) => void,
  ) {
    this.link = live.push(this);
    this.forget = onAbort(signal, () => this.finish(cancelled(), true));
  }

  settle(outcome: HttpOutcome): void {
    this.finish(outcome);
  }

  /** Ends the exchange with `outcome`, unless it has ended; `destroy` ends its connection. */
  finish(outcome: HttpOutcome, destroy = false): void {
    if (!this.live.remove(this.link)) return;
    this.forget();
    this.ended();
    if (destroy) this.connection?.destroy();
    this.resolve(outcome);
  }
}

/**
 * POSTs JSON over keep-alive HTTP/1.1 connections, directly or through the proxy `env` names
 * (`https_proxy`, `no_proxy`: see proxy.ts); a proxy setting that cannot be used fails each attempt
 * at once, unsent. Each request is written whole and its answer read by AnswerReader, on sockets
 * of its own rather than Node's HTTP client, which costs more CPU than the rest of a call. TLS
 * certificates are always verified. Every exchange ends within the request timeout, whatever the
 * server or proxy does: a stalled answer, a stalled CONNECT, a reset mid-answer or an oversized
 * body ends the attempt at once and frees its connection. Redirects are not followed. `close`
 * destroys every connection, so the process can exit.
 *
 * Thousands of exchanges may be in flight at once: they share one timer (all have the same timeout,
 * so they are due in the order they started).
 */
export class HttpTransport implements Transport {
  /** How to reach each base URL: a promise while it is worked out, so that later exchanges start at once. */
  private readonly routes = new Map<string, Route | Promise<Route>>();
  private readonly pools: ConnectionPool[] = [];
  /** Exchanges in flight, in the order they started, which is the order they are due. */
  private readonly live = new LinkedList<Exchange>();
  private timer: NodeJS.Timeout | undefined;
  /** How many times the transport was closed: an exchange that waited for its route while it was closed is not sent. */
  private closings = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly env: ProxyEnv = process.env,
  ) {}

  post(base: string, path: string, payload: string, signal?: AbortSignal): Promise<HttpOutcome> {
    if (signal?.aborted) return Promise.resolve(noAnswer("cancelled before the request was sent"));
    const route = this.routes.get(base) ?? this.findRouteOnce(base);
    if (!(route instanceof Promise)) return this.send(route, path, payload, signal);
    const closings = this.closings;
    return route.then((found) => {
      if (closings !== this.closings) return transportClosed();
      if (signal?.aborted) return cancelled();
      return this.send(found, path, payload, signal);
    });
  }

  close(): void {
    this.closings++;
    for (const exchange of this.live.values()) exchange.finish(transportClosed(), true);
    for (const pool of this.pools.splice(0)) pool.destroy();
    this.routes.clear();
  }

  private send(route: Route, path: string, payload: string, signal?: AbortSignal): Promise<HttpOutcome> {
    if ("refused" in route) return Promise.resolve(refused(route.refused));
    if (!PATH_CHARACTERS.test(path))
      return Promise.resolve(refused("the request's path holds characters a URL cannot carry unescaped"));
    return new Promise<HttpOutcome>((resolve) => {
      const deadline = systemClock.now() + this.timeoutMs;
      const exchange = new Exchange(signal, deadline, this.live, this.ended, resolve);
      this.timer ??= setTimeout(this.expire, this.timeoutMs);
      const request = `${route.start}${path}${route.headers}${Buffer.byteLength(payload)}\r\n\r\n${payload}`;
      exchange.connection = route.pool.send(request, exchange);
      if (requests.hasSubscribers) requests.publish({ path });
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
    const start = `POST ${url.pathname.replace(/\/+$/, "")}`;
    const headers = ` HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nUser-Agent: tencent-chat-recall\r\nContent-Length: `;
    const route = (dial: Dial): Route => {
      const pool = new ConnectionPool(dial);
      this.pools.push(pool);
      return { pool, start, headers };
    };
    // Plain http is for loopback only (see endpointProblem), which no proxy serves.
    if (!tls) return route(() => connectTcp({ host, port }));
    let proxy: URL | undefined;
    try {
      proxy = proxyFor(url, this.env);
    } catch (error) {
      if (error instanceof ProxyError) return { refused: error.message };
      throw error;
    }
    const modules = await loadTls();
    // A session from an earlier connection lets the next skip the full handshake.
    let session: Buffer | undefined;
    const secure = (options: tls.ConnectionOptions): tls.TLSSocket =>
      modules.tls
        .connect({ ...options, ...tlsOptions(host), session })
        .once("session", (issued: Buffer) => (session = issued));
    if (!proxy) return route(() => secure({ host, port }));
    const through = proxy;
    return route(() => {
      const tunnel = openTunnel(through, `${url.hostname}:${port}`, this.timeoutMs, {
        https: modules.https,
        options: tlsOptions,
      });
      // `host` names the endpoint the certificate must be for, also when it is an IP address.
      return { ready: tunnel.ready.then((socket) => secure({ socket, host })), cancel: tunnel.cancel };
    });
  }
}
