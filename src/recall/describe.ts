import type { RetryEvent } from "../chat/client.js";
import { explainCode, NO_ANSWER } from "../chat/errors.js";
import { countsMade, recallsBySeq, type Discovery, type RecallSettings, type Selection } from "./settings.js";
import type { PairResult, Progress, RecallSummary } from "./types.js";

/*
 * The words every front door uses for a run: what it is about to do, how each pair ended, and how
 * the whole run ended.
 */

export function describePair(pair: { group: string; sender: string; topic?: string | null }): string {
  return `sender ${pair.sender} in ${pair.topic ? `topic ${pair.topic}` : `group ${pair.group}`}`;
}

/** One line on a pair that did not end well, for logs, annotations and errors. */
export function describeFailure(result: PairResult, fromServer: boolean): string {
  if (result.outcome === "not-attempted")
    return `Recall of ${describePair(result)} was not attempted: ${result.errorInfo}`;
  const what =
    result.errorCode === NO_ANSWER && !fromServer
      ? `no answer after ${result.attempts} attempt(s)`
      : `${fromServer ? "ErrorCode" : "code"} ${result.errorCode} (${explainCode(result.errorCode, fromServer)})`;
  return `Recall of ${describePair(result)} failed: ${what}: ${result.errorInfo || "no ErrorInfo"}`;
}

/** Where a fan-out looks, in words. */
function describeDiscovery(discover: Discovery): string {
  const groups =
    discover.groups === "all"
      ? `every ${discover.types.join(", ")} group of the app${discover.exclude.size ? ` but ${discover.exclude.size} excluded` : ""}`
      : `${discover.groups.length} group(s)`;
  const joined = discover.joined ? " and every group each sender is a member of" : "";
  return `${groups}${joined}${discover.everyTopic ? ", in every topic of each Community group" : ""}`;
}

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** Which messages, in words: "the last 1,000", and the time window when there is one. */
function describeSelection({ depth, since, until }: Selection): string {
  const window = [
    since === undefined ? "" : `sent since ${isoTime(since)}`,
    until === undefined ? "" : `sent until ${isoTime(until)}`,
  ]
    .filter(Boolean)
    .join(" and ");
  return `the last ${depth.toLocaleString("en-US")}${window ? `, ${window},` : ""}`;
}

/** What the run is about to do, in one line. */
export function describePlan(settings: RecallSettings): string {
  const pairs = settings.discover
    ? `${settings.senders.length} sender(s) in ${describeDiscovery(settings.discover)}`
    : `${settings.scopes.length * settings.senders.length} (group or topic, sender) pair(s)`;
  const which = describeSelection(settings.selection);
  if (settings.dryRun)
    return `Dry run: counting the messages of ${pairs} in ${which} of each group or topic; nothing is recalled${settings.archive ? " or archived" : ""}.`;
  const how = !recallsBySeq(settings)
    ? "with delete_group_msg_by_sender (silently: clients see it when they pull history)"
    : `among ${which} of each group or topic${settings.archive ? ", each written first to the archive file," : ""} by seq with group_msg_recall, so that clients see it at once${settings.reason ? `, with a reason` : ""}`;
  return `Recalling the messages of ${pairs} ${how}, at up to ${settings.connection.maxCallsPerSecond} calls/s${settings.verify ? ", then counting what was recalled" : ""}.`;
}

/** How the run ended, in one line, without its first failure. */
export function describeOutcome(summary: RecallSummary, settings: RecallSettings): string {
  const { total, recalled, failed, skipped, notAttempted, dryRun } = summary;
  const nothing = summary.nothingToRecall > 0 ? ` (${summary.nothingToRecall} with nothing to recall)` : "";
  if (settings.dryRun) {
    return `Dry run: ${dryRun} of ${total} pair(s) counted${nothing}, ${failed} failed, ${skipped} skipped, ${notAttempted} not attempted; ${summary.matchedMessages} message(s) would be recalled. Nothing was recalled.`;
  }
  const made = countsMade(settings);
  const counted = made.recalled
    ? `; ${summary.recalledMessages} message(s) recalled${made.remaining ? `, ${summary.remainingMessages} left` : ""}`
    : "";
  const archived =
    summary.archiveFile === undefined ? "" : ` ${summary.archivedMessages} message(s) archived.`;
  return `${recalled} of ${total} pair(s) recalled${nothing}, ${failed} failed, ${skipped} skipped, ${notAttempted} not attempted${counted}.${archived}`;
}

/** How the run ended, in one line, with its first failure when there was one. */
export function describeEnd(summary: RecallSummary, settings: RecallSettings): string {
  const first = summary.firstFailure?.message;
  return `${describeOutcome(summary, settings)}${first ? ` First failure: ${first}` : ""}`;
}

/** A run failed when any pair did not end well or it stopped before the end. */
export function runFailed(summary: RecallSummary): boolean {
  return summary.firstFailure !== undefined || summary.stopCause !== undefined;
}

export function describeRetry(e: RetryEvent): string {
  return `Retrying ${e.command} in ${Math.round(e.delayMs)} ms: attempt ${e.attempt} got code ${e.code}: ${e.info}`;
}

export function describeDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m ${s % 60}s`
      : seconds < 1
        ? `${seconds.toFixed(1)}s`
        : `${s}s`;
}

/** Where a run stands, in one line: pairs done (of how many), by outcome, the rate and the time left. */
export function describeProgress(p: Progress): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.done / seconds : 0;
  const of = p.total === undefined ? "" : ` of ${p.total}`;
  const left =
    p.total !== undefined && rate > 0 ? `, about ${describeDuration((p.total - p.done) / rate)} left` : "";
  const counts = [
    `${p.recalled + p.dryRun} OK`,
    `${p.failed} failed`,
    ...(p.skipped ? [`${p.skipped} skipped`] : []),
    ...(p.notAttempted ? [`${p.notAttempted} not attempted`] : []),
  ].join(", ");
  return `${p.done}${of} pair(s) done (${counts}) in ${describeDuration(seconds)}, ${rate.toFixed(1)} pairs/s${left}`;
}
