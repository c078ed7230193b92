import type { CallSignals, ChatClient } from "../chat/client.js";
import type { Selection } from "./settings.js";
import type { Scope } from "./types.js";

export const HISTORY_COMMAND = "group_open_http_svc/group_msg_get_simple";
/** The most messages one page of group_msg_get_simple may ask for. */
const PAGE_SIZE = 20;

export type MessageState = "kept" | "recalled" | "gone";

export interface HistoryMessage {
  seq: number;
  from: string;
  /** Seconds since the epoch. */
  time: number;
  state: MessageState;
  /** `MsgRandom` and `MsgBody` as the server answered them, for the messages of `HistoryQuery.senders`. */
  random?: unknown;
  body?: unknown;
}

/** What to read of a group's or topic's history. */
export interface HistoryQuery extends Selection {
  /** Only these senders' messages, with their bodies; every sender's, without, when not given. */
  senders?: ReadonlySet<string>;
}

interface SimpleMessage {
  From_Account?: unknown;
  IsPlaceMsg?: unknown;
  MsgSeq?: unknown;
  MsgTimeStamp?: unknown;
  MsgRandom?: unknown;
  MsgBody?: unknown;
}

function stateOf(isPlaceMsg: unknown): MessageState {
  return isPlaceMsg === 0 ? "kept" : isPlaceMsg === 2 ? "recalled" : "gone";
}

/**
 * The messages among the newest `depth` seqs of a group or topic that the query selects, recalled
 * ones included, newest first; and the calls it took. Pages go down from the newest seq, each from
 * the smallest seq of the one before minus one. `IsFinished` does not mean the end of history, so
 * paging stops at seq 1, at the depth, at the end of the roaming history (`IsFinished` 2, or a
 * whole page of deleted or expired messages), or once messages are older than `since`.
 */
export async function readHistory(
  client: ChatClient,
  scope: Scope,
  query: HistoryQuery,
  signals: CallSignals,
): Promise<{ messages: HistoryMessage[]; attempts: number }> {
  const { depth, since, until, senders } = query;
  const messages: HistoryMessage[] = [];
  let attempts = 0;
  let next: number | undefined;
  let edge = -Infinity;
  // Each page moves `next` down by at least one seq, so this bound is never what ends a good read.
  for (let page = 0; page <= depth; page++) {
    const body = {
      GroupId: scope.group,
      ReqMsgNumber: PAGE_SIZE,
      ...(next === undefined ? {} : { ReqMsgSeq: next }),
      WithRecalledMsg: 1,
      ...(scope.topic ? { TopicId: scope.topic } : {}),
    };
    const result = await client.call(HISTORY_COMMAND, body, signals);
    attempts += result.attempts;
    const list = Array.isArray(result.response.RspMsgList)
      ? (result.response.RspMsgList as SimpleMessage[])
      : [];
    const seen = list
      .filter(
        (m) => typeof m.MsgSeq === "number" && m.MsgSeq > edge && (next === undefined || m.MsgSeq <= next),
      )
      .map((m) => ({
        seq: m.MsgSeq as number,
        from: typeof m.From_Account === "string" ? m.From_Account : "",
        time: typeof m.MsgTimeStamp === "number" ? m.MsgTimeStamp : 0,
        state: stateOf(m.IsPlaceMsg),
        message: m,
      }));
    if (next === undefined) {
      if (seen.length === 0) break;
      edge = Math.max(...seen.map((m) => m.seq)) - depth;
    }
    for (const { message, ...m } of seen) {
      if ((since !== undefined && m.time < since) || (until !== undefined && m.time > until)) continue;
      if (!senders) messages.push(m);
      else if (senders.has(m.from)) messages.push({ ...m, random: message.MsgRandom, body: message.MsgBody });
    }
    const lowest = seen.length > 0 ? Math.min(...seen.map((m) => m.seq)) : next! - PAGE_SIZE + 1;
    next = lowest - 1;
    const endOfRoaming =
      result.response.IsFinished === 2 ||
      (seen.length === PAGE_SIZE && seen.every((m) => m.state === "gone"));
    const olderThanSince = since !== undefined && seen.some((m) => m.time > 0 && m.time < since);
    if (next < 1 || next <= edge || endOfRoaming || olderThanSince) break;
  }
  return { messages, attempts };
}
