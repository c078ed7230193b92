import { ChatApiError } from "../chat/errors.js";
import { readWindow, type WindowMessage } from "./history.js";
import type { StrategyContext } from "./strategy.js";
import type { Scope } from "./types.js";

export interface SenderMessages {
  /** Seqs of the sender's messages that are not recalled. */
  kept: number[];
  recalled: number;
}

/** The window of a group or topic, or the failure that kept it from being read. */
export async function windowOrFailure(
  { client, ledger }: StrategyContext,
  scope: Scope,
): Promise<{ messages: WindowMessage[]; attempts: number } | ChatApiError> {
  try {
    const window = await readWindow(client, scope, ledger.signals);
    ledger.answered();
    return window;
  } catch (error) {
    if (!(error instanceof ChatApiError)) throw error;
    return error;
  }
}

/** The messages each listed sender has in a window, by state. */
export function bySender(
  messages: readonly WindowMessage[],
  senders: readonly string[],
): Map<string, SenderMessages> {
  const counts = new Map(senders.map((s) => [s, { kept: [] as number[], recalled: 0 }]));
  for (const m of messages) {
    const entry = counts.get(m.from);
    if (!entry) continue;
    if (m.state === "kept") entry.kept.push(m.seq);
    else if (m.state === "recalled") entry.recalled++;
  }
  return counts;
}
