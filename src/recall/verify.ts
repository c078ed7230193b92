import { ChatApiError, REMAINING_MESSAGES } from "../chat/errors.js";
import { resultOf } from "./result.js";
import type { StrategyContext } from "./strategy.js";
import type { Pair, Scope } from "./types.js";
import { bySender, historyOrFailure, sendersQuery } from "./window.js";

/** A pair whose recall was answered OK, with the calls it took, waiting for verify. */
export interface Recalled {
  pair: Pair;
  attempts: number;
  /** History read before the recall (a recall by seq). */
  reads?: number;
  /** The messages it recalled, when known (a recall by seq); else verify counts those recalled in the window. */
  messages?: number;
}

/** Verify: counts each recalled pair's messages in the window, recalled and left; any left fails the pair. */
export async function verifyScope(ctx: StrategyContext, scope: Scope, recalled: readonly Recalled[]) {
  const { ledger } = ctx;
  const window = await historyOrFailure(ctx, scope, sendersQuery(ctx.settings));
  if (window instanceof ChatApiError) {
    const info = `the recall was answered OK, but verify could not read the history: ${window.info}`;
    for (const { pair, attempts, reads = 0 } of recalled) {
      const { command, code, fromServer } = window;
      const error = new ChatApiError(command, code, info, attempts, fromServer);
      ledger.recordFailure(pair, error, { reads: reads + window.attempts }, true);
    }
    return;
  }
  const counts = bySender(window.messages, ctx.settings.senders);
  for (const { pair, attempts, reads = 0, messages: known } of recalled) {
    const { kept, recalled: inWindow } = counts.get(pair.sender)!;
    const messages = known ?? inWindow;
    const detail = {
      fromServer: false,
      attempts,
      reads: reads + window.attempts,
      messages,
      remaining: kept.length,
    };
    if (kept.length === 0) {
      ledger.record({ result: resultOf(pair, "recalled", { ...detail, code: 0, info: "" }) });
    } else {
      const seqs = kept.slice(0, 10).map((m) => m.seq);
      const info = `${kept.length} message(s) still not recalled in the window after the recall (seq ${seqs.join(", ")}${kept.length > 10 ? ", …" : ""})`;
      const error = new ChatApiError("verify", REMAINING_MESSAGES, info, detail.attempts, false);
      ledger.recordFailure(pair, error, detail);
    }
  }
}
