import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { explainCode } from "../chat/errors.js";
import { CallStats, type CommandStats } from "./call-stats.js";
import { COMMANDS } from "./commands.js";
import { answerJson } from "./exact-integers.js";
import { FaultQueue, type Fault } from "./faults.js";
import { ListingCursors } from "./listing-cursors.js";
import { RateWindow } from "./rate-window.js";
import { readBody } from "./request-body.js";
import { RequestLog, type RecordedRequest } from "./request-log.js";
import { Sleeper } from "./sleeper.js";
import { EmulatorError, EmulatorState, type AppConfig } from "./state.js";
import { MAX_CLOCK_SKEW_SECONDS, UserSigCache } from "./usersig-cache.js";

export interface EmulatorOptions {
  apps: AppConfig[];
  /** Port on 127.0.0.1; 0 (the default) lets the OS pick one. */
  port?: number;
  /**
   * Calls per second each app may make to each command. When not given: 200, the documented limit of
   * most commands, and DOCUMENTED_RATE_LIMITS for the commands listed there.
   */
  rateLimitPerSecond?: number;
  /** Per-command limits that replace the others, by command path (e.g. 1 for get_appid_group_list). */
  commandRateLimits?: Readonly<Record<string, number>>;
  /** ErrorCode answered past the limit (default 60007). */
  rateLimitCode?: number;
  /**
   * Network delay before the service sees each request: `fixedMs` plus up to `jitterMs` at random.
   * The call meets the rate window after it; the answer then leaves at once.
   */
  latency?: { fixedMs: number; jitterMs?: number };
  /** Largest request body read; a longer one is answered HTTP 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /** How many of the newest requests `requests` keeps (default 10,000; 0 keeps none). */
  requestLogSize?: number;
  /**
   * Bound of the memory the kept requests take, as estimated (default 64 MiB): past it the oldest are
   * dropped, whatever requestLogSize says.
   */
  requestLogBytes?: number;
  /** First `Next` cursor get_appid_group_list issues (default 1n); e.g. 2n ** 60n to exceed 2^53. */
  listingCursorBase?: bigint;
  /** The most groups one page of get_appid_group_list holds, whatever its Limit asks (default 10,000), so that paging can be tried with few groups. */
  listingPageLimit?: number;
  /** Source of randomness for jitter and probabilistic faults (default Math.random). */
  random?: () => number;
}

export type { RecordedRequest } from "./request-log.js";

export interface Emulator {
  /** Base URL to pass as `endpoint`, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  state: EmulatorState;
  faults: FaultQueue;
  /**
   * The newest requests that passed authentication (a valid UserSig of an app admin, for a known
   * SDKAppID), at most requestLogSize, oldest first; the UserSig is not kept, nor a body of more than
   * 16 KiB as parsed (only its size and the start of its text).
   */
  readonly requests: readonly RecordedRequest[];
  /**
   * How many requests reached the service in all, authenticated or not (bodies over maxBodyBytes and
   * aborted requests do not).
   */
  readonly requestCount: number;
  /** Per command: accepted and rate-limited calls, the busiest second, first and last acceptance. */
  stats(): Record<string, CommandStats>;
  resetStats(): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  contentType: string;
  text: string;
}

/**
 * Documented per-SDKAppID ceilings that apply when rateLimitPerSecond is not given (other commands get
 * 200). get_appid_group_list (documented at 1/s) is left at 200 unless commandRateLimits says so.
 */
export const DOCUMENTED_RATE_LIMITS: Readonly<Record<string, number>> = {
  "im_open_login_svc/account_check": 100,
  "group_open_http_svc/get_joined_group_list": 200,
};

const UINT32 = /^\d{1,10}$/;
const JSON_TYPE = "application/json";

function chat(body: Record<string, unknown>): Reply {
  return { status: 200, contentType: JSON_TYPE, text: answerJson(body) };
}

function fail(code: number, info?: string): Reply {
  return chat({ ActionStatus: "FAIL", ErrorCode: code, ErrorInfo: info ?? explainCode(code) });
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Splits the request target by hand: `new URL` would read `//host/...` as a host. */
function parseTarget(url: string): { path: string; command: string | undefined; query: URLSearchParams } {
  const mark = url.indexOf("?");
  const path = mark < 0 ? url : url.slice(0, mark);
  return {
    path,
    command: path.startsWith("/v4/") ? path.slice(4) : undefined,
    query: new URLSearchParams(mark < 0 ? "" : url.slice(mark + 1)),
  };
}

function faultReply(fault: Fault): Reply | undefined {
  if (fault.body !== undefined) {
    const html = fault.body.trimStart().startsWith("<");
    return {
      status: fault.httpStatus ?? 200,
      contentType: html ? "text/html; charset=utf-8" : JSON_TYPE,
      text: fault.body,
    };
  }
  if (fault.httpStatus) {
    return { status: fault.httpStatus, contentType: "text/plain", text: `emulated HTTP ${fault.httpStatus}` };
  }
  if (fault.errorCode) return fail(fault.errorCode, fault.errorInfo);
  return undefined;
}

function send(res: ServerResponse, reply: Reply, reset?: Fault["reset"]): void {
  if (res.destroyed) return;
  const length = Buffer.byteLength(reply.text);
  res.writeHead(reply.status, { "content-type": reply.contentType, "content-length": length });
  if (typeof reset === "object") {
    const bytes = Buffer.from(reply.text);
    res.flushHeaders();
    res.write(bytes.subarray(0, Math.min(reset.afterBytes, length - 1)), () => res.socket?.resetAndDestroy());
    return;
  }
  // A string lets Node send the headers and the body in one write.
  res.end(reply.text);
}

function sendTooLarge(res: ServerResponse, limit: number): void {
  const text = `request body over ${limit} bytes`;
  res.writeHead(413, {
    "content-type": "text/plain",
    "content-length": Buffer.byteLength(text),
    connection: "close",
  });
  res.end(text);
}

function checkOptions(options: EmulatorOptions): void {
  const { maxBodyBytes, rateLimitPerSecond, commandRateLimits } = options;
  if (maxBodyBytes !== undefined && !(Number.isInteger(maxBodyBytes) && maxBodyBytes > 0)) {
    throw new RangeError("maxBodyBytes must be a positive integer");
  }
  for (const limit of [rateLimitPerSecond, ...Object.values(commandRateLimits ?? {})]) {
    if (limit !== undefined && !(limit > 0)) throw new RangeError("rate limits must be above 0");
  }
}

/** Starts an in-memory emulator of the Chat REST API on loopback. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  checkOptions(options);
  const state = new EmulatorState();
  options.apps.forEach((app) => state.addApp(app));
  const random = options.random ?? Math.random;
  const faults = new FaultQueue(random);
  const log = new RequestLog(options.requestLogSize ?? 10_000, options.requestLogBytes);
  const cursors = new ListingCursors(options.listingCursorBase ?? 1n);
  const listingPageLimit = options.listingPageLimit ?? 10_000;
  const commandLimits = new Map(Object.entries(options.commandRateLimits ?? {}));
  const generalLimit = options.rateLimitPerSecond;
  const limitOf = (command: string): number =>
    commandLimits.get(command) ??
    generalLimit ??
    (Object.hasOwn(DOCUMENTED_RATE_LIMITS, command) ? DOCUMENTED_RATE_LIMITS[command]! : 200);
  const window = new RateWindow();
  const stats = new CallStats();
  const userSigs = new UserSigCache();
  const sleeper = new Sleeper();
  const rateLimitCode = options.rateLimitCode ?? 60007;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const latency = options.latency;

  function authorize(query: URLSearchParams): Reply | number {
    const sdkAppIdText = query.get("sdkappid");
    if (!sdkAppIdText) return fail(60012, "sdkappid is missing");
    if (!/^\d+$/.test(sdkAppIdText)) return fail(60006, `sdkappid ${sdkAppIdText} is invalid`);
    const sdkAppId = Number(sdkAppIdText);
    if (query.get("contenttype") !== "json") return fail(60002, "contenttype must be json");
    const random = query.get("random");
    if (!random || !UINT32.test(random) || Number(random) > 0xffffffff) {
      return fail(60002, "random must be a 32-bit unsigned integer");
    }
    const identifier = query.get("identifier");
    if (!identifier) return fail(60004, "identifier is missing");
    const userSig = query.get("usersig");
    if (!userSig) return fail(70002, "usersig is empty");
    const app = state.app(sdkAppId);
    if (!app) return fail(70020, `SDKAppID ${sdkAppId} not found`);
    const check = userSigs.check(userSig, app.secretKey);
    if (!check.ok && check.reason === "not-url-safe") {
      return fail(70003, "UserSig is not in TLSSigAPIv2's URL-safe base64 (* - _ instead of + / =)");
    }
    if (!check.ok && check.reason === "malformed") return fail(70003, "UserSig could not be decoded");
    if (check.claims && check.claims.sdkAppId !== sdkAppId)
      return fail(70014, "SDKAppID does not match the UserSig");
    if (check.claims && check.claims.identifier !== identifier) {
      return fail(70013, "identifier does not match the UserSig");
    }
    if (!check.ok && check.reason === "bad-signature")
      return fail(70009, "UserSig was not signed with this app's key");
    if (!check.ok && check.reason === "future") {
      const ahead = check.claims.time - Math.floor(Date.now() / 1000);
      return fail(
        70003,
        `UserSig TLS.time is ${ahead} s ahead of the server's clock (at most ${MAX_CLOCK_SKEW_SECONDS} s allowed)`,
      );
    }
    if (!check.ok) return fail(70001, "UserSig expired");
    if (!app.admins.has(identifier)) return fail(10007, `${identifier} is not an app admin`);
    return sdkAppId;
  }

  function answer(
    method: string | undefined,
    target: ReturnType<typeof parseTarget>,
    sdkAppId: Reply | number,
    parsed: unknown,
    rawBody: string,
  ): Reply {
    if (method !== "POST") return fail(60002, "use POST");
    if (typeof sdkAppId !== "number") return sdkAppId;
    const command = target.command;
    const handler = command === undefined ? undefined : COMMANDS.get(command);
    if (command === undefined || !handler) {
      return fail(10003, `invalid command word ${command ?? target.path}`);
    }
    if (!isObject(parsed)) return fail(60003, "request body is not a JSON object");
    const now = performance.now();
    if (!window.admit(`${sdkAppId} ${command}`, now, limitOf(command))) {
      stats.rateLimited(command);
      return fail(rateLimitCode, "REST API call frequency over the limit");
    }
    stats.accepted(command, now);
    try {
      const result = handler({ state, sdkAppId, body: parsed, rawBody, cursors, listingPageLimit });
      return chat({ ActionStatus: "OK", ErrorInfo: "", ErrorCode: 0, ...result });
    } catch (error) {
      if (error instanceof EmulatorError) return fail(error.code, error.message);
      throw error;
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, maxBodyBytes);
    if ("aborted" in body) return;
    if ("tooLarge" in body) return sendTooLarge(res, maxBodyBytes);
    if (latency) await sleeper.sleep(latency.fixedMs + random() * (latency.jitterMs ?? 0));
    if (res.destroyed) return;

    const target = parseTarget(req.url ?? "/");
    log.received();
    // Checked before any fault plays, so that the log holds every authenticated request the client
    // made, whatever it was answered; the body of any other is neither parsed nor kept.
    const sdkAppId = authorize(target.query);
    const parsed = typeof sdkAppId === "number" ? parseJson(body.text) : undefined;
    if (typeof sdkAppId === "number") {
      log.record({
        command: target.command ?? target.path,
        sdkAppId: target.query.get("sdkappid"),
        identifier: target.query.get("identifier"),
        random: target.query.get("random"),
        text: body.text,
        parsed,
      });
    }

    const fault = faults.take(target.command ?? target.path);
    if (fault?.hangMs) await sleeper.sleep(fault.hangMs);
    if (fault?.reset === true) {
      req.socket.resetAndDestroy();
      return;
    }
    const reply = (fault && faultReply(fault)) ?? answer(req.method, target, sdkAppId, parsed, body.text);
    send(res, reply, fault?.reset);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const text = `emulator error: ${(error as Error).message}`;
      res.writeHead(500, { "content-type": "text/plain", "content-length": Buffer.byteLength(text) });
      res.end(text);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    faults,
    get requests() {
      return log.entries();
    },
    get requestCount() {
      return log.count;
    },
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        sleeper.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
