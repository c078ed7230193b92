import { ARCHIVE_FAILED, ChatApiError, explainCode } from "../chat/errors.js";
import { recallSeqs, RECALL_BY_SEQ_COMMAND, type SeqOutcome } from "./recall-seqs.js";
import { resultOf } from "./result.js";
import { startForScope, type Strategy, type StrategyContext } from "./strategy.js";
import type { Pair, Scope } from "./types.js";
import { verifyScope, type Recalled } from "./verify.js";
import { bySender, failUnread, historyOrFailure, sendersQuery } from "./window.js";

/**
 * By seq: finds each sender's messages that the settings select (depth, time window), archives them
 * when asked, and recalls exactly those with group_msg_recall, which clients see at once.
 */
export function recallBySeq(ctx: StrategyContext): Strategy {
  return { start: (scope, pairs) => startForScope(ctx, pairs, () => recallScope(ctx, scope, pairs)) };
}

async function recallScope(ctx: StrategyContext, scope: Scope, pairs: Pair[]): Promise<void> {
  const { client, ledger, settings, archive } = ctx;
  const history = await historyOrFailure(ctx, scope, sendersQuery(settings, archive !== undefined));
  if (history instanceof ChatApiError) return failUnread(ctx, pairs, history);
  const counts = bySender(history.messages, settings.senders);
  const found = pairs.flatMap((pair) => counts.get(pair.sender)!.kept);
  if (ledger.stopped.aborted) return pairs.forEach((pair) => ledger.recordNotAttempted(pair));
  if (archive) {
    try {
      archive.write(scope, found);
    } catch (error) {
      const info = `the messages could not be written to the archive ${archive.path}, so none was recalled: ${(error as Error).message}`;
      const failure = new ChatApiError("archive", ARCHIVE_FAILED, info, 0, false);
      return pairs.forEach((pair) => ledger.recordFailure(pair, failure, { reads: history.attempts }));
    }
  }
  const seqs = found.map((m) => m.seq);
  const { outcomes, attempts } =
    seqs.length > 0
      ? await recallSeqs(client, scope, seqs, settings.reason, ledger.signals)
      : { outcomes: new Map<number, SeqOutcome>(), attempts: 0 };
  const reads = history.attempts;
  const recalled: Recalled[] = [];
  for (const pair of pairs) {
    const mine = counts.get(pair.sender)!.kept.map((m) => ({ seq: m.seq, outcome: outcomes.get(m.seq)! }));
    const failed = mine.filter((m) => m.outcome.code !== 0);
    if (failed.length > 0) {
      const recalledMessages = mine.length - failed.length;
      ledger.recordFailure(
        pair,
        seqFailure(failed, mine.length, attempts),
        { messages: recalledMessages, reads },
        recalledMessages > 0,
      );
    } else if (settings.verify) {
      recalled.push({ pair, attempts, reads, messages: mine.length });
    } else {
      const detail = { code: 0, info: "", fromServer: true, attempts, reads, messages: mine.length };
      ledger.record({ result: resultOf(pair, "recalled", detail) });
    }
  }
  if (recalled.length > 0) await verifyScope(ctx, scope, recalled);
}

/** One failure for a pair some of whose messages could not be recalled, with the first ten of them. */
function seqFailure(failed: { seq: number; outcome: SeqOutcome }[], of: number, calls: number): ChatApiError {
  const first = failed[0]!.outcome;
  const list = failed
    .slice(0, 10)
    .map((m) => `seq ${m.seq}: ${m.outcome.code} (${explainCode(m.outcome.code, m.outcome.fromServer)})`)
    .join(", ");
  const info = `${failed.length} of ${of} message(s) could not be recalled: ${list}${failed.length > 10 ? ", …" : ""}`;
  return new ChatApiError(RECALL_BY_SEQ_COMMAND, first.code, info, calls, first.fromServer);
}
