import type { CallSignals, ChatClient } from "../chat/client.js";
import type { Scope } from "./types.js";

export const HISTORY_COMMAND = "group_open_http_svc/group_msg_get_simple";
/** delete_group_msg_by_sender looks at a group's (or topic's) newest messages, this many. */
export const RECALL_WINDOW = 1000;
/** The most messages one page of group_msg_get_simple may ask for. */
const PAGE_SIZE = 20;

export type MessageState = "kept" | "recalled" | "gone";

export interface WindowMessage {
  seq: number;
  from: string;
  /** Seconds since the epoch. */
  time: number;
  state: MessageState;
}

interface SimpleMessage {
  From_Account?: unknown;
  IsPlaceMsg?: unknown;
  MsgSeq?: unknown;
  MsgTimeStamp?: unknown;
}

function stateOf(isPlaceMsg: unknown): MessageState {
  return isPlaceMsg === 0 ? "kept" : isPlaceMsg === 2 ? "recalled" : "gone";
}

/**
 * The messages of the recall window (the newest RECALL_WINDOW seqs of a group or topic), recalled
 * ones included, newest first; and the calls it took. Pages go down from the newest seq, each from
 * the smallest seq of the one before minus one; `IsFinished` does not mean the end of history, so
 * paging stops at seq 1 or at the window's edge.
 */
export async function readWindow(
  client: ChatClient,
  scope: Scope,
  signals: CallSignals,
): Promise<{ messages: WindowMessage[]; attempts: number }> {
  const messages: WindowMessage[] = [];
  let attempts = 0;
  let next: number | undefined;
  let edge = -Infinity;
  for (let page = 0; page <= RECALL_WINDOW / PAGE_SIZE + 1; page++) {
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
      }));
    if (next === undefined) {
      if (seen.length === 0) break;
      edge = Math.max(...seen.map((m) => m.seq)) - RECALL_WINDOW;
    }
    messages.push(...seen);
    const lowest = seen.length > 0 ? Math.min(...seen.map((m) => m.seq)) : next! - PAGE_SIZE + 1;
    next = lowest - 1;
    if (next < 1 || next <= edge) break;
  }
  return { messages, attempts };
}
