import { INCONSISTENT_ANSWER, NO_ANSWER, retryClass, type RetryClass } from "./errors.js";
import { repeatedTopLevelKeys } from "./exact-json.js";
import type { HttpOutcome } from "./http-outcome.js";

export interface ChatResponse {
  ActionStatus: "OK";
  ErrorCode: 0;
  ErrorInfo: string;
  [field: string]: unknown;
}

export interface Failure {
  code: number;
  /** True when `code` is the server's ErrorCode, false when it is one of ours (NO_ANSWER, INCONSISTENT_ANSWER). */
  fromServer: boolean;
  info: string;
  retry: RetryClass;
  /** The host could not be reached at all: another domain may be tried. */
  connectFailure?: boolean;
  retryAfterMs?: number;
}

export interface Success {
  ok: true;
  response: ChatResponse;
  /** The answer as received. */
  text: string;
}

export type Verdict = Success | ({ ok: false } & Failure);

/** The fields an answer is judged by: each must come once. */
const JUDGED_FIELDS = ["ActionStatus", "ErrorCode", "ErrorInfo"] as const;

/** How much of a body that is not a Chat API answer is shown. */
const SHOWN_BODY_CHARS = 200;

function infoText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Decides what an HTTP exchange means. Success is `ActionStatus` "OK" and `ErrorCode` the number 0,
 * nothing less. A non-zero numeric ErrorCode is the server's failure, whatever ActionStatus says;
 * any other combination is an inconsistent answer, and so is an answer that holds one of the fields
 * it is judged by more than once (JSON.parse would keep the last and hide the others). A body that is not a JSON object, an HTTP error
 * and no answer at all carry no ErrorCode: they are retried when a later attempt may fare better (not
 * when the transport refused to send, nor when the server does not speak TLS).
 * Every text taken from the exchange goes through `clean` (redaction and a length bound) before it
 * is cut or kept.
 */
export function judge(outcome: HttpOutcome, clean: (text: string) => string): Verdict {
  if (outcome.kind === "no-answer") {
    return {
      ok: false,
      code: NO_ANSWER,
      fromServer: false,
      info: clean(outcome.reason),
      retry: outcome.refused ? "permanent" : "transient",
      connectFailure: outcome.connectFailure,
    };
  }
  const { status, body } = outcome;
  const retryAfter = outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs };
  if (status !== 200) {
    const retry: RetryClass = status === 429 ? "rate-limited" : status >= 500 ? "transient" : "permanent";
    return { ok: false, code: NO_ANSWER, fromServer: false, info: `HTTP ${status}`, retry, ...retryAfter };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    const shown = clean(body).replace(/\s+/g, " ").trim().slice(0, SHOWN_BODY_CHARS);
    return {
      ok: false,
      code: NO_ANSWER,
      fromServer: false,
      info: `HTTP 200 with a body that is not a Chat API answer: ${shown || "(empty)"}`,
      retry: "transient",
    };
  }
  const [repeated] = repeatedTopLevelKeys(body, JUDGED_FIELDS);
  if (repeated !== undefined) {
    return {
      ok: false,
      code: INCONSISTENT_ANSWER,
      fromServer: false,
      info: `the answer has ${repeated} more than once, so it cannot be judged`,
      retry: retryClass(INCONSISTENT_ANSWER, false),
    };
  }
  const answer = parsed as Record<string, unknown>;
  const { ActionStatus: actionStatus, ErrorCode: code } = answer;
  const info = infoText(answer.ErrorInfo);
  if (actionStatus === "OK" && code === 0) {
    answer.ErrorInfo = clean(info);
    return { ok: true, response: answer as ChatResponse, text: body };
  }
  if (typeof code === "number" && Number.isInteger(code) && code !== 0) {
    return { ok: false, code, fromServer: true, info: clean(info), retry: retryClass(code) };
  }
  const shape = `ActionStatus ${JSON.stringify(actionStatus ?? null)} with ErrorCode ${JSON.stringify(code ?? null)}`;
  return {
    ok: false,
    code: INCONSISTENT_ANSWER,
    fromServer: false,
    info: clean(info ? `${shape}: ${info}` : shape),
    retry: retryClass(INCONSISTENT_ANSWER, false),
  };
}
