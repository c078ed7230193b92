import { unlessListOfObjects } from "../chat/attempt.js";
import { APIS } from "../chat/throttle.js";
import type { CallSignals, ChatClient } from "../chat/client.js";
import { ChatApiError, INCONSISTENT_ANSWER, NOT_AN_ACCOUNT } from "../chat/errors.js";
import { batchesOf } from "./batches.js";
import { closest } from "./closest.js";
import { quote } from "./input-error.js";
import { startForScope, type Strategy, type StrategyContext } from "./strategy.js";
import type { Pair, Scope } from "./types.js";
import { failUnread, historyOrFailure } from "./window.js";

export const ACCOUNT_CHECK_COMMAND = APIS.account_check.command;
/** account_check takes at most this many user IDs per call. */
const IDS_PER_CALL = 100;
/** Senders named as likely meant, at most. */
const SUGGESTIONS = 3;

/** What the service says of a sender: an account of the app, not one (never made, or deleted), or no word. */
export type SenderCheck = "account" | "not-account" | ChatApiError;

interface ResultItem {
  UserID?: unknown;
  ResultCode?: unknown;
  ResultInfo?: unknown;
  AccountStatus?: unknown;
}

/** Checks every sender with account_check, at most 100 a call; a call that fails gives its failure to each of its senders. */
export async function checkSenders(
  client: ChatClient,
  senders: readonly string[],
  signals: CallSignals,
): Promise<Map<string, SenderCheck>> {
  const checks = new Map<string, SenderCheck>();
  await Promise.all(
    batchesOf(senders, IDS_PER_CALL).map(async (batch) => {
      try {
        const body = { CheckItem: batch.map((UserID) => ({ UserID })) };
        const { response, attempts } = await client.call(
          ACCOUNT_CHECK_COMMAND,
          body,
          signals,
          unlessListOfObjects("ResultItem"),
        );
        const items = response.ResultItem as ResultItem[];
        for (const sender of batch) {
          const item = items.find((i) => i.UserID === sender);
          const code = item?.ResultCode;
          const status = code === 0 ? item!.AccountStatus : undefined;
          if (status === "Imported") checks.set(sender, "account");
          else if (status === "NotImported") checks.set(sender, "not-account");
          else if (typeof code === "number" && Number.isInteger(code) && code !== 0) {
            const info = typeof item!.ResultInfo === "string" ? client.clean(item!.ResultInfo) : "";
            checks.set(sender, new ChatApiError(ACCOUNT_CHECK_COMMAND, code, info, attempts, true));
          } else {
            const info = `account_check gave no AccountStatus for ${quote(sender)}`;
            const error = new ChatApiError(ACCOUNT_CHECK_COMMAND, INCONSISTENT_ANSWER, info, attempts, false);
            checks.set(sender, error);
          }
        }
      } catch (error) {
        if (!(error instanceof ChatApiError)) throw error;
        for (const sender of batch) checks.set(sender, error);
      }
    }),
  );
  return checks;
}

/**
 * The pairs of senders that are not accounts (never made, or deleted since): a deleted spammer's
 * messages stay in the groups, so the history is read first (as far back as the run looks). A
 * sender with messages there (recalled ones too: a second run says "nothing to recall") goes on to
 * the strategy; one without fails, naming the senders there whose IDs are closest to it, as a typo
 * is the likely cause.
 */
export function startUnknownSenders(
  ctx: StrategyContext,
  strategy: Strategy,
  scope: Scope,
  pairs: readonly Pair[],
): Promise<void> {
  return startForScope(ctx, pairs, async () => {
    const withMessages = await sendersWithMessages(ctx, scope, pairs);
    if (withMessages.length > 0) ctx.pool.after([], () => strategy.start(scope, withMessages));
  });
}

async function sendersWithMessages(ctx: StrategyContext, scope: Scope, pairs: readonly Pair[]) {
  const { client, ledger, settings } = ctx;
  const { depth } = settings.selection;
  const history = await historyOrFailure(ctx, scope, { depth });
  if (history instanceof ChatApiError) {
    failUnread(ctx, pairs, history);
    return [];
  }
  const present = new Set(history.messages.map((m) => m.from));
  const withMessages: Pair[] = [];
  for (const pair of pairs) {
    if (present.has(pair.sender)) {
      withMessages.push(pair);
      continue;
    }
    const likely = closest(pair.sender, present, SUGGESTIONS).map((id) => client.clean(id));
    const where = `${pair.topic ? "topic" : "group"}'s last ${depth.toLocaleString("en-US")} message(s)`;
    const info = `${quote(pair.sender)} is not an account of this app and has no messages among the ${where}, so nothing was recalled. ${
      likely.length > 0
        ? `Senders there with the closest IDs: ${likely.map((id) => quote(id)).join(", ")}.`
        : "No sender there has a similar ID."
    } Check the sender ID.`;
    ledger.recordFailure(
      pair,
      new ChatApiError("account_check", NOT_AN_ACCOUNT, info, history.attempts, false),
    );
  }
  return withMessages;
}
