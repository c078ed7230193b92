import type { RetryEvent } from "../chat/client.js";

/*
 * The words of a recall run that every part of it and every front door share. This module imports
 * nothing of the recall layer, so the parts can all depend on it.
 */

export type SettingName =
  | "group"
  | "group-file"
  | "exclude-group"
  | "group-type"
  | "sender"
  | "sender-file"
  | "topic"
  | "sdk-app-id"
  | "secret-key"
  | "user-sig"
  | "identifier"
  | "region"
  | "endpoint"
  | "max-attempts"
  | "request-timeout"
  | "max-calls-per-second"
  | "api-ceilings"
  | "preflight"
  | "dry-run"
  | "verify"
  | "mode"
  | "since"
  | "until"
  | "depth"
  | "reason"
  | "archive"
  | "joined-groups";

export type IdKind = "group" | "user" | "topic";

/** Where messages are recalled: a group, or one topic of a Community group. */
export interface Scope {
  group: string;
  topic?: string;
}

/** One (group or topic, sender) pair: one recall. */
export interface Pair extends Scope {
  sender: string;
}

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
  /** Attempts of the pair's recall calls, retries included. */
  attempts: number;
  /** Calls that read history for the pair (dry run, verify, a recall by seq), apart from its recall. */
  reads: number;
  /** Messages matched in a dry run, or recalled as counted by verify or notify; null when not counted. */
  messages: number | null;
  /** With verify: the sender's messages still not recalled in the window; else null. */
  remaining: number | null;
}

/** Why a run stopped starting calls before the end. */
export interface StopCause {
  reason: "app-wide" | "no-answer" | "rate-limited" | "cancelled" | "refused" | "listing";
  /** What happened and what to do about it, in one paragraph. */
  message: string;
  code?: number;
}

export interface ResultEvent {
  result: PairResult;
  /** For a pair that did not end well: one line saying what happened. */
  message?: string;
  /** The failure concerns the whole app; the stop cause says it once. */
  appWide?: boolean;
}

/** What a session tells its front door as it goes. */
export interface SessionEvents {
  result?(event: ResultEvent): void;
  /** Something worth saying on the way: what a fan-out found. */
  notice?(message: string): void;
  retry?(event: RetryEvent): void;
  warning?(message: string): void;
  /** The run stopped starting calls, and why: said once. */
  stopped?(cause: StopCause): void;
}

export interface Counts {
  recalled: number;
  failed: number;
  skipped: number;
  notAttempted: number;
  dryRun: number;
}

export interface MessageCounts {
  /** Messages a dry run found to recall. */
  matchedMessages: number;
  /** Messages counted as recalled, by verify or notify. */
  recalledMessages: number;
  /** Messages verify found still not recalled. */
  remainingMessages: number;
  /** Pairs that ended well with their messages counted, and none of the sender's there. */
  nothingToRecall: number;
}

export interface Progress extends Counts {
  done: number;
  /** Pairs in all, when known. */
  total?: number;
  elapsedMs: number;
}

export interface RecallSummary extends Counts, MessageCounts {
  total: number;
  /** Messages written to the archive, and its file, when there is one. */
  archivedMessages?: number;
  archiveFile?: string;
  /** The first failure to complete, with its message. */
  firstFailure?: ResultEvent;
  stopCause?: StopCause;
}
