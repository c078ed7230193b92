import { APIS } from "../chat/throttle.js";
import { unlessListOfObjects, type Unreadable } from "../chat/attempt.js";
import type { CallSignals, ChatClient } from "../chat/client.js";
import type { Selection } from "./settings.js";
import type { Scope } from "./types.js";

export const HISTORY_COMMAND = APIS.group_msg_get_simple.command;
/** The most messages one page of group_msg_get_simple may ask for. */
const PAGE_SIZE = 20;

export type MessageState = "kept" | "recalled" | "gone";

export interface HistoryMessage {
  seq: number;
  from: string;
  /** Seconds since the epoch. */
  time: number;
  state: MessageState;
  /** `MsgRandom` and `MsgBody` as the server answered them, when `HistoryQuery.bodies` asks for them. */
  random?: unknown;
  body?: unknown;
}

/** What to read of a group's or topic's history. */
export interface HistoryQuery extends Selection {
  /** Only these senders' messages; every sender's when not given. */
  senders?: ReadonlySet<string>;
  /** Keep `MsgRandom` and `MsgBody` of each selected message (they are dropped with the page otherwise). */
  bodies?: boolean;
}

interface SimpleMessage {
  From_Account?: unknown;
  IsPlaceMsg?: unknown;
  MsgSeq?: unknown;
  MsgTimeStamp?: unknown;
  MsgRandom?: unknown;
  MsgBody?: unknown;
}

/** A message of a page that passed `unreadablePage`. */
interface ReadableMessage extends SimpleMessage {
  From_Account: string;
  IsPlaceMsg: 0 | 1 | 2;
  MsgSeq: number;
  MsgTimeStamp: number;
}

/** `IsPlaceMsg`: 0 a message, 1 deleted or expired, 2 recalled. */
const STATES: Record<0 | 1 | 2, MessageState> = { 0: "kept", 1: "gone", 2: "recalled" };

/**
 * Ranges read at once, below the first page, at most: enough to keep the limiter busy on one deep
 * history, few enough that a stop wastes little. Reading starts with one, and another joins after
 * each range while the limiters want more calls, so that many histories read together do not queue
 * pages by the thousand.
 */
const PAGES_AT_ONCE = 20;

/** What one page, or one range of pages, held: the messages the query selects, and where reading stands. */
interface Read {
  messages: HistoryMessage[];
  /** The smallest and largest seqs that came back, selected or not. */
  lowest?: number;
  highest?: number;
  /** The end of the roaming history, or a page all older than `since`, came back: older pages hold nothing to select. */
  past: boolean;
  attempts: number;
}

/**
 * The messages among the newest `depth` seqs of a group or topic that the query selects, recalled
 * ones included, newest first; and the calls it took. The first page gives the newest seq; the seqs
 * below it are then read in ranges of a page, several at once, each reader taking the next range. `IsFinished` does not mean the end
 * of history: a range that comes back short is read on from its smallest seq minus one. Reading
 * stops at seq 1, at the depth, at the end of the roaming history (`IsFinished` 2: all expired), or
 * at a page whose messages are all older than `since`.
 */
export async function readHistory(
  client: ChatClient,
  scope: Scope,
  query: HistoryQuery,
  signals: CallSignals,
): Promise<{ messages: HistoryMessage[]; attempts: number }> {
  const first = await readPage(client, scope, query, signals);
  if (first.highest === undefined) return first;
  const bottom = Math.max(1, first.highest - query.depth + 1);
  const page = (top: number, count: number) => readPage(client, scope, query, signals, top, count, bottom);
  const reads = [first];
  let top = first.lowest! - 1;
  let past = first.past;
  let failure: { error: unknown } | undefined;
  const more = (): boolean => top >= bottom && !past && !failure;
  const readers: Promise<void>[] = [];
  const reader = async (): Promise<void> => {
    try {
      while (more()) {
        const high = top;
        top -= PAGE_SIZE;
        const read = await readRange(page, Math.max(bottom, high - PAGE_SIZE + 1), high);
        reads.push(read);
        past ||= read.past;
        if (readers.length < PAGES_AT_ONCE && client.wantsMore && more()) readers.push(reader());
      }
    } catch (error) {
      failure ??= { error };
    }
  };
  readers.push(reader());
  for (let i = 0; i < readers.length; i++) await readers[i];
  if (failure) throw failure.error;
  // A page may hold seqs below its range, which the next range reads again: the last read of a seq counts.
  const selected = reads.flatMap((r) => r.messages).filter((m) => m.seq >= bottom);
  const messages = selected.sort((a, b) => b.seq - a.seq).filter((m, i) => m.seq !== selected[i + 1]?.seq);
  return { messages, attempts: sum(reads.map((r) => r.attempts)) };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** The seqs from `high` down to `low`: a page, and more pages from where a short one ended. */
async function readRange(
  page: (top: number, count: number) => Promise<Read>,
  low: number,
  high: number,
): Promise<Read> {
  const range: Read = { messages: [], past: false, attempts: 0 };
  for (let next = high; next >= low;) {
    const read = await page(next, Math.min(PAGE_SIZE, next - low + 1));
    range.messages.push(...read.messages);
    range.past ||= read.past;
    range.attempts += read.attempts;
    next = (read.lowest ?? next - PAGE_SIZE + 1) - 1;
  }
  return range;
}

function entry(i: number): string {
  return `RspMsgList[${i}]`;
}

const listOfMessages = unlessListOfObjects("RspMsgList");

/** Why a page of history cannot be read: every field the recall relies on, present and of its documented type. */
function unreadablePage(top: number | undefined): Unreadable {
  return (response) => {
    const notObjects = listOfMessages(response);
    if (notObjects) return notObjects;
    const list = response.RspMsgList as SimpleMessage[];
    /** The seqs so far, once one was not below all before it: until then, none can come twice. */
    let seen: Set<unknown> | undefined;
    let lowest = Infinity;
    for (let i = 0; i < list.length; i++) {
      const m = list[i]!;
      const seq = m.MsgSeq;
      if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1)
        return `${entry(i)}.MsgSeq is missing or not a positive integer`;
      if (top !== undefined && seq > top) return `${entry(i)}.MsgSeq ${seq} is above the ${top} asked for`;
      if (seen || seq >= lowest) {
        seen ??= new Set(list.slice(0, i).map((earlier) => earlier.MsgSeq));
        if (seen.has(seq)) return `MsgSeq ${seq} comes twice`;
        seen.add(seq);
      }
      lowest = Math.min(lowest, seq);
      if (m.IsPlaceMsg !== 0 && m.IsPlaceMsg !== 1 && m.IsPlaceMsg !== 2)
        return `${entry(i)}.IsPlaceMsg is missing or not 0, 1 or 2`;
      if (typeof m.From_Account !== "string") return `${entry(i)}.From_Account is missing or not text`;
      if (typeof m.MsgTimeStamp !== "number" || !Number.isSafeInteger(m.MsgTimeStamp))
        return `${entry(i)}.MsgTimeStamp is missing or not a whole number`;
    }
    return undefined;
  };
}

/**
 * One call of group_msg_get_simple: up to `count` messages from seq `top` down (the newest, without
 * it), keeping those at or above `bottom`.
 */
async function readPage(
  client: ChatClient,
  scope: Scope,
  query: HistoryQuery,
  signals: CallSignals,
  top?: number,
  count = PAGE_SIZE,
  bottom = 1,
): Promise<Read> {
  const body: Record<string, unknown> = { GroupId: scope.group, ReqMsgNumber: count };
  if (top !== undefined) body.ReqMsgSeq = top;
  body.WithRecalledMsg = 1;
  if (scope.topic) body.TopicId = scope.topic;
  const { response, attempts } = await client.call(HISTORY_COMMAND, body, signals, unreadablePage(top));
  const { since, until, senders } = query;
  const messages: HistoryMessage[] = [];
  let lowest = Infinity;
  let highest = -Infinity;
  let allOlder = true;
  for (const m of response.RspMsgList as ReadableMessage[]) {
    const seq = m.MsgSeq;
    if (seq < bottom) continue;
    lowest = Math.min(lowest, seq);
    highest = Math.max(highest, seq);
    const time = m.MsgTimeStamp;
    if (since === undefined || time >= since) allOlder = false;
    if ((since !== undefined && time < since) || (until !== undefined && time > until)) continue;
    const from = m.From_Account;
    if (senders && !senders.has(from)) continue;
    const state = STATES[m.IsPlaceMsg];
    messages.push(
      query.bodies
        ? { seq, from, time, state, random: m.MsgRandom, body: m.MsgBody }
        : { seq, from, time, state },
    );
  }
  const expired = response.IsFinished === 2;
  const older = since !== undefined && highest >= lowest && allOlder;
  return {
    messages,
    ...(highest >= lowest ? { lowest, highest } : {}),
    past: expired || older,
    attempts,
  };
}
