import type { HttpOutcome } from "../../src/chat/http-outcome.js";
import type { Transport } from "../../src/chat/transport.js";

/** A request as the in-memory transport received it. */
export interface SentRequest {
  base: string;
  command: string;
  query: URLSearchParams;
  body: string;
}

/** What the transport gives back: the outcomes in order (the last one repeats), or one per request. */
export type Script = HttpOutcome[] | ((request: SentRequest, index: number) => HttpOutcome);

/** A transport without sockets: each request is kept in `requests` and gets what the script says. */
export class MemoryTransport implements Transport {
  readonly requests: SentRequest[] = [];
  closed = false;

  constructor(private readonly script: Script) {}

  post(base: string, path: string, payload: string): Promise<HttpOutcome> {
    const url = new URL(path, "http://memory");
    const request = {
      base,
      command: url.pathname.replace(/^\/v4\//, ""),
      query: url.searchParams,
      body: payload,
    };
    const index = this.requests.push(request) - 1;
    const { script } = this;
    return Promise.resolve(
      typeof script === "function" ? script(request, index) : script[Math.min(index, script.length - 1)]!,
    );
  }

  close(): void {
    this.closed = true;
  }
}

function answer(status: number, body: string, retryAfterMs?: number): HttpOutcome {
  return { kind: "answer", status, body, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

/** Outcomes for scripts. */
export const reply = {
  ok: (fields: Record<string, unknown> = {}): HttpOutcome =>
    answer(200, JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", ...fields })),
  error: (code: number, info = ""): HttpOutcome =>
    answer(200, JSON.stringify({ ActionStatus: "FAIL", ErrorCode: code, ErrorInfo: info })),
  status: (status: number, retryAfterMs?: number): HttpOutcome => answer(status, "", retryAfterMs),
  body: (body: string): HttpOutcome => answer(200, body),
  refused: (): HttpOutcome => ({
    kind: "no-answer",
    reason: "network error: ECONNREFUSED",
    connectFailure: true,
  }),
  timeout: (ms = 2000): HttpOutcome => ({
    kind: "no-answer",
    reason: `no answer within ${ms} ms`,
    connectFailure: false,
  }),
};
