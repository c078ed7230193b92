import { ChatApiError } from "../chat/errors.js";
import { readHistory, type HistoryMessage, type HistoryQuery } from "./history.js";
import type { RecallSettings } from "./settings.js";
import type { StrategyContext } from "./strategy.js";
import type { Pair, Scope } from "./types.js";

export interface SenderMessages {
  /** The sender's messages that are not recalled, newest first. */
  kept: HistoryMessage[];
  recalled: number;
}

/** What a run reads of each history: the listed senders' messages that its settings select, with their bodies when `bodies`. */
export function sendersQuery(settings: RecallSettings, bodies = false): HistoryQuery {
  return { ...settings.selection, senders: new Set(settings.senders), bodies };
}

/** The messages of a group or topic that the query selects, or the failure that kept them from being read. */
export async function historyOrFailure(
  { client, ledger }: StrategyContext,
  scope: Scope,
  query: HistoryQuery,
): Promise<{ messages: HistoryMessage[]; attempts: number } | ChatApiError> {
  try {
    const history = await readHistory(client, scope, query, ledger.signals);
    ledger.answered();
    return history;
  } catch (error) {
    if (!(error instanceof ChatApiError)) throw error;
    return error;
  }
}

/** Ends each pair with the failure that kept its history from being read: the calls it made were reads. */
export function failUnread({ ledger }: StrategyContext, pairs: readonly Pair[], error: ChatApiError): void {
  pairs.forEach((pair) => ledger.recordFailure(pair, error, { attempts: 0, reads: error.attempts }));
}

/** The messages each listed sender has among those read, by state. */
export function bySender(
  messages: readonly HistoryMessage[],
  senders: readonly string[],
): Map<string, SenderMessages> {
  const counts = new Map(senders.map((s) => [s, { kept: [] as HistoryMessage[], recalled: 0 }]));
  for (const m of messages) {
    const entry = counts.get(m.from);
    if (!entry) continue;
    if (m.state === "kept") entry.kept.push(m);
    else if (m.state === "recalled") entry.recalled++;
  }
  return counts;
}
