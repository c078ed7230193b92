import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { explainCode } from "../chat/errors.js";
import { verifyUserSig } from "../chat/usersig.js";
import { COMMANDS } from "./commands.js";
import { FaultQueue } from "./faults.js";
import { RateWindow } from "./rate-window.js";
import { EmulatorError, EmulatorState, type AppConfig } from "./state.js";

export interface EmulatorOptions {
  apps: AppConfig[];
  /** Port on 127.0.0.1; 0 (the default) lets the OS pick one. */
  port?: number;
  /** Calls per second each app may make to each command (default 200, the documented limit). */
  rateLimitPerSecond?: number;
  /** ErrorCode answered past the limit (default 60007). */
  rateLimitCode?: number;
  /** Delay added to every answer: `fixedMs` plus up to `jitterMs` at random. */
  latency?: { fixedMs: number; jitterMs?: number };
}

export interface RecordedRequest {
  command: string;
  sdkAppId: string | null;
  identifier: string | null;
  random: string | null;
  body: unknown;
}

export interface Emulator {
  /** Base URL to pass as `endpoint`, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  state: EmulatorState;
  faults: FaultQueue;
  /** Every request received, in order (the UserSig is not kept). */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const UINT32 = /^\d{1,10}$/;

function fail(code: number, info?: string) {
  return { ActionStatus: "FAIL", ErrorCode: code, ErrorInfo: info ?? explainCode(code) };
}

function delay(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

/** Starts an in-memory emulator of the Chat REST API on loopback. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const state = new EmulatorState();
  options.apps.forEach((app) => state.addApp(app));
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const window = new RateWindow(options.rateLimitPerSecond ?? 200);
  const rateLimitCode = options.rateLimitCode ?? 60007;
  const timers = new Set<NodeJS.Timeout>();

  function authorize(query: URLSearchParams): ReturnType<typeof fail> | number {
    const sdkAppIdText = query.get("sdkappid");
    if (!sdkAppIdText) return fail(60012, "sdkappid is missing");
    const sdkAppId = Number(sdkAppIdText);
    if (!/^\d+$/.test(sdkAppIdText)) return fail(60006, `sdkappid ${sdkAppIdText} is invalid`);
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
    const check = verifyUserSig(userSig, app.secretKey);
    if (!check.ok && check.reason === "malformed") return fail(70003, "UserSig could not be decoded");
    if (check.claims && check.claims.sdkAppId !== sdkAppId)
      return fail(70014, "SDKAppID does not match the UserSig");
    if (check.claims && check.claims.identifier !== identifier) {
      return fail(70013, "identifier does not match the UserSig");
    }
    if (!check.ok && check.reason === "bad-signature")
      return fail(70009, "UserSig was not signed with this app's key");
    if (!check.ok) return fail(70001, "UserSig expired");
    if (!app.admins.has(identifier)) return fail(10007, `${identifier} is not an app admin`);
    return sdkAppId;
  }

  async function answer(req: IncomingMessage, text: string): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const match = /^\/v4\/(.+)$/.exec(url.pathname);
    const command = match?.[1] ?? url.pathname;
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    requests.push({
      command,
      sdkAppId: url.searchParams.get("sdkappid"),
      identifier: url.searchParams.get("identifier"),
      random: url.searchParams.get("random"),
      body: parsed ?? text,
    });

    const fault = faults.take(command);
    if (fault?.hangMs) await delay(fault.hangMs, timers);
    if (fault?.httpStatus) return { status: fault.httpStatus, body: `emulated HTTP ${fault.httpStatus}` };
    if (fault?.errorCode) return { status: 200, body: fail(fault.errorCode, fault.errorInfo) };

    if (req.method !== "POST") return { status: 200, body: fail(60002, "use POST") };
    const auth = authorize(url.searchParams);
    if (typeof auth !== "number") return { status: 200, body: auth };
    const handler = match ? COMMANDS[command] : undefined;
    if (!handler) return { status: 200, body: fail(10003, `invalid command word ${command}`) };
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      return { status: 200, body: fail(60003, "request body is not a JSON object") };
    }
    if (!window.admit(`${auth} ${command}`)) {
      return { status: 200, body: fail(rateLimitCode, "REST API call frequency over the limit") };
    }
    try {
      const result = handler(state, auth, parsed as Record<string, unknown>);
      return { status: 200, body: { ActionStatus: "OK", ErrorInfo: "", ErrorCode: 0, ...result } };
    } catch (error) {
      if (error instanceof EmulatorError) return { status: 200, body: fail(error.code, error.message) };
      throw error;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { status, body } = await answer(req, Buffer.concat(chunks).toString("utf8"));
    if (options.latency) {
      await delay(options.latency.fixedMs + Math.random() * (options.latency.jitterMs ?? 0), timers);
    }
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain" : "application/json" });
    res.end(text);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`emulator error: ${(error as Error).message}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        timers.forEach((t) => clearTimeout(t));
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
