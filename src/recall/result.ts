import { NOT_ATTEMPTED } from "../chat/errors.js";
import type { Pair } from "./plan.js";

/** How a (group or topic, sender) pair ended: exactly one of these, each counted. */
export type Outcome = "recalled" | "failed" | "skipped" | "not-attempted" | "dry-run";

/** The end of one pair, as the results output and file list it. */
export interface PairResult {
  group: string;
  sender: string;
  topic: string | null;
  outcome: Outcome;
  /** FAIL for outcomes that fail the run (failed, not attempted), else OK. */
  actionStatus: "OK" | "FAIL";
  errorCode: number;
  errorInfo: string;
  /** Calls made for the pair, retries included. */
  attempts: number;
  /** Messages matched in a dry run, or recalled as counted by verify or notify; null when not counted. */
  messages: number | null;
  /** With verify: the sender's messages still not recalled in the window; else null. */
  remaining: number | null;
}

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
