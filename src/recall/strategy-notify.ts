import { ChatApiError, explainCode } from "../chat/errors.js";
import { recallSeqs, RECALL_BY_SEQ_COMMAND, type SeqOutcome } from "./notify.js";
import { resultOf } from "./result.js";
import { startForScope, type Strategy, type StrategyContext } from "./strategy.js";
import type { Pair, Scope } from "./types.js";
import { verifyScope, type Recalled } from "./verify.js";
import { bySender, windowOrFailure } from "./window.js";

/** Notify: recalls each sender's messages of the window by seq with group_msg_recall, so that clients see it at once. */
export function notifyRecall(ctx: StrategyContext): Strategy {
  return { start: (scope, pairs) => startForScope(ctx, pairs, () => recallScope(ctx, scope, pairs)) };
}

async function recallScope(ctx: StrategyContext, scope: Scope, pairs: Pair[]): Promise<void> {
  const { client, ledger, settings } = ctx;
  const window = await windowOrFailure(ctx, scope);
  if (window instanceof ChatApiError) return pairs.forEach((pair) => ledger.recordFailure(pair, window));
  const counts = bySender(window.messages, settings.senders);
  const seqs = pairs.flatMap((pair) => counts.get(pair.sender)!.kept);
  const { outcomes, attempts } =
    seqs.length > 0
      ? await recallSeqs(client, scope, seqs, ledger.signals)
      : { outcomes: new Map<number, SeqOutcome>(), attempts: 0 };
  const calls = window.attempts + attempts;
  const recalled: Recalled[] = [];
  for (const pair of pairs) {
    const mine = counts.get(pair.sender)!.kept.map((seq) => ({ seq, outcome: outcomes.get(seq)! }));
    const failed = mine.filter((m) => m.outcome.code !== 0);
    if (failed.length > 0) {
      const recalledMessages = mine.length - failed.length;
      ledger.recordFailure(
        pair,
        seqFailure(failed, mine.length, calls),
        { messages: recalledMessages },
        recalledMessages > 0,
      );
    } else if (settings.verify) {
      recalled.push({ pair, attempts: calls });
    } else {
      const detail = { code: 0, info: "", fromServer: true, attempts: calls, messages: mine.length };
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
