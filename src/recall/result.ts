import { NOT_ATTEMPTED } from "../chat/errors.js";
import type { Outcome, Pair, PairResult } from "./types.js";

export interface ResultDetail {
  code: number;
  info: string;
  /** True when `code` is the server's ErrorCode. */
  fromServer: boolean;
  attempts?: number;
  reads?: number;
  messages?: number | null;
  remaining?: number | null;
}

const FAILING: ReadonlySet<Outcome> = new Set(["failed", "not-attempted"]);
/** What a pair that ended well says when its messages were counted and the sender had none there. */
export const NOTHING_TO_RECALL = "nothing to recall";

/** Whether a pair ended well with its messages counted, and none of the sender's there. */
export function hadNothing(result: PairResult): boolean {
  return !FAILING.has(result.outcome) && result.messages === 0 && !result.remaining;
}

export function resultOf(pair: Pair, outcome: Outcome, detail: ResultDetail): PairResult {
  const result: PairResult = {
    group: pair.group,
    sender: pair.sender,
    topic: pair.topic ?? null,
    outcome,
    actionStatus: FAILING.has(outcome) ? "FAIL" : "OK",
    errorCode: detail.code,
    errorInfo: detail.info,
    attempts: detail.attempts ?? 0,
    reads: detail.reads ?? 0,
    messages: detail.messages ?? null,
    remaining: detail.remaining ?? null,
  };
  return hadNothing(result) && !result.errorInfo ? { ...result, errorInfo: NOTHING_TO_RECALL } : result;
}

export function notAttempted(pair: Pair, why: string): PairResult {
  return resultOf(pair, "not-attempted", { code: NOT_ATTEMPTED, info: why, fromServer: false });
}
