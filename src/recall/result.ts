import { NOT_ATTEMPTED } from "../chat/errors.js";
import type { Outcome, Pair, PairResult } from "./types.js";

export interface ResultDetail {
  code: number;
  info: string;
  /** True when `code` is the server's ErrorCode. */
  fromServer: boolean;
  attempts?: number;
  messages?: number | null;
  remaining?: number | null;
}

const FAILING: ReadonlySet<Outcome> = new Set(["failed", "not-attempted"]);

export function resultOf(pair: Pair, outcome: Outcome, detail: ResultDetail): PairResult {
  return {
    group: pair.group,
    sender: pair.sender,
    topic: pair.topic ?? null,
    outcome,
    actionStatus: FAILING.has(outcome) ? "FAIL" : "OK",
    errorCode: detail.code,
    errorInfo: detail.info,
    attempts: detail.attempts ?? 0,
    messages: detail.messages ?? null,
    remaining: detail.remaining ?? null,
  };
}

export function notAttempted(pair: Pair, why: string): PairResult {
  return resultOf(pair, "not-attempted", { code: NOT_ATTEMPTED, info: why, fromServer: false });
}
