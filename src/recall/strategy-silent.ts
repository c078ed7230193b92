import { APIS } from "../chat/throttle.js";
import { ChatApiError } from "../chat/errors.js";
import { resultOf } from "./result.js";
import type { Strategy, StrategyContext } from "./strategy.js";
import type { Pair } from "./types.js";
import { verifyScope, type Recalled } from "./verify.js";

export const RECALL_COMMAND = APIS.delete_group_msg_by_sender.command;

/**
 * Recalls each pair with delete_group_msg_by_sender, which clients see when they pull history; with
 * verify, the pairs of a scope wait for one count of its window once all of them were answered.
 */
export function silentRecall(ctx: StrategyContext): Strategy {
  const { pool, ledger } = ctx;
  return {
    async start(scope, pairs) {
      const recalls: Promise<Recalled | undefined>[] = [];
      for (const pair of pairs) {
        if (await pool.admit(ledger.stopped)) recalls.push(pool.start(() => recallPair(ctx, pair)));
        else ledger.recordNotAttempted(pair);
      }
      if (!ctx.settings.verify) return;
      pool.after(recalls, (results) => {
        const recalled = results.filter((r) => r !== undefined);
        return recalled.length > 0 ? pool.start(() => verifyScope(ctx, scope, recalled)) : Promise.resolve();
      });
    },
  };
}

/** Recalls one pair; with verify, an answered pair is returned to wait for the count instead of ending. */
async function recallPair({ client, ledger, settings }: StrategyContext, pair: Pair) {
  const body = {
    GroupId: pair.group,
    Sender_Account: pair.sender,
    ...(pair.topic ? { TopicId: pair.topic } : {}),
  };
  try {
    const { response, attempts } = await client.call(RECALL_COMMAND, body, ledger.signals);
    ledger.answered();
    if (settings.verify) return { pair, attempts };
    const detail = { code: 0, info: response.ErrorInfo, fromServer: true, attempts };
    ledger.record({ result: resultOf(pair, "recalled", detail) });
  } catch (error) {
    if (!(error instanceof ChatApiError)) throw error;
    ledger.recordFailure(pair, error);
  }
  return undefined;
}
