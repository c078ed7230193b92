import { ChatApiError } from "../chat/errors.js";
import { resultOf } from "./result.js";
import { startForScope, type Strategy, type StrategyContext } from "./strategy.js";
import { bySender, failUnread, historyOrFailure, sendersQuery } from "./window.js";

/** Dry run: counts each sender's messages that the settings select and are not recalled yet, and recalls nothing. */
export function dryRun(ctx: StrategyContext): Strategy {
  const { ledger } = ctx;
  return {
    start: (scope, pairs) =>
      startForScope(ctx, pairs, async () => {
        const window = await historyOrFailure(ctx, scope, sendersQuery(ctx.settings));
        if (window instanceof ChatApiError) return failUnread(ctx, pairs, window);
        const counts = bySender(window.messages, ctx.settings.senders);
        for (const pair of pairs) {
          const detail = {
            code: 0,
            info: "",
            fromServer: true,
            reads: window.attempts,
            messages: counts.get(pair.sender)!.kept.length,
          };
          ledger.record({ result: resultOf(pair, "dry-run", detail) });
        }
      }),
  };
}
