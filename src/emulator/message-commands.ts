import type { Handler } from "./command-call.js";
import {
  optionalInteger,
  optionalString,
  requireGroupId,
  requireInteger,
  requireString,
  type Body,
} from "./fields.js";
import { EmulatorError, type StoredMessage } from "./state.js";

const MAX_PAGE = 20;
const MAX_RECALL_SEQS = 10;
const MAX_REASON_BYTES = 100;

const IS_PLACE_MSG = { normal: 0, deletedOrExpired: 1, recalled: 2 } as const;

function textOf(msgBody: unknown): string {
  if (!Array.isArray(msgBody)) return "";
  return msgBody
    .map((el: { MsgContent?: { Text?: unknown } }) =>
      typeof el?.MsgContent?.Text === "string" ? el.MsgContent.Text : "",
    )
    .join("");
}

function historyEntry(message: StoredMessage, expired: boolean) {
  const placeholder =
    message.deleted || expired
      ? IS_PLACE_MSG.deletedOrExpired
      : message.recalled
        ? IS_PLACE_MSG.recalled
        : IS_PLACE_MSG.normal;
  return {
    From_Account: message.from,
    IsPlaceMsg: placeholder,
    MsgBody:
      placeholder === IS_PLACE_MSG.normal
        ? [{ MsgType: "TIMTextElem", MsgContent: { Text: message.text } }]
        : [],
    MsgPriority: "Normal",
    MsgRandom: message.random,
    MsgSeq: message.seq,
    MsgTimeStamp: message.time,
  };
}

function requireSeqList(body: Body): number[] {
  const list = body.MsgSeqList;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_RECALL_SEQS) {
    throw new EmulatorError(10004, `MsgSeqList must hold 1 to ${MAX_RECALL_SEQS} entries`);
  }
  return list.map((entry: unknown, i) => {
    const seq = (entry as { MsgSeq?: unknown } | null)?.MsgSeq;
    if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) {
      throw new EmulatorError(10004, `MsgSeqList[${i}].MsgSeq must be a positive integer`);
    }
    return seq;
  });
}

export const MESSAGE_COMMANDS: [string, Handler][] = [
  [
    "group_open_http_svc/delete_group_msg_by_sender",
    ({ state, sdkAppId, body }) => {
      const groupId = requireGroupId(body);
      const sender = requireString(body, "Sender_Account");
      const topicId = optionalString(body, "TopicId");
      state.recallBySender(sdkAppId, groupId, sender, topicId);
      return {};
    },
  ],

  [
    "group_open_http_svc/send_group_msg",
    ({ state, sdkAppId, body }) => {
      const groupId = requireGroupId(body);
      const from = optionalString(body, "From_Account") ?? "administrator";
      const random = typeof body.Random === "number" ? body.Random : 0;
      const topicId = optionalString(body, "TopicId");
      const seq = state.sendMessage(sdkAppId, groupId, from, textOf(body.MsgBody), topicId, random);
      return { MsgSeq: seq, MsgTime: Math.floor(Date.now() / 1000) };
    },
  ],

  [
    "group_open_http_svc/group_msg_get_simple",
    ({ state, sdkAppId, body }) => {
      const groupId = requireGroupId(body);
      const topicId = optionalString(body, "TopicId");
      const count = requireInteger(body, "ReqMsgNumber", 1, MAX_PAGE);
      const reqSeq = optionalInteger(body, "ReqMsgSeq", 1, Number.MAX_SAFE_INTEGER);
      const withRecalled = optionalInteger(body, "WithRecalledMsg", 0, 1) === 1;
      const group = state.requireGroup(sdkAppId, groupId);
      if (group.type === "AVChatRoom") {
        throw new EmulatorError(10004, "AVChatRoom groups keep no message history");
      }
      const channel = state.channel(group, topicId);
      const last = Math.min(reqSeq ?? Infinity, channel.nextSeq - 1);
      const first = Math.max(1, last - count + 1);
      const page = [];
      let leftOut = 0;
      let expiredCount = 0;
      for (let seq = last; seq >= first; seq--) {
        const message = channel.messages[seq - 1];
        if (!message) continue;
        const expired = state.isExpired(sdkAppId, message);
        if (expired) expiredCount++;
        if (message.recalled && !message.deleted && !expired && !withRecalled) leftOut++;
        else page.push(historyEntry(message, expired));
      }
      // 1: the whole range came back; 0: some was left out; 2: as 0, but all of it has expired.
      const isFinished = page.length > 0 && expiredCount === page.length ? 2 : leftOut === 0 ? 1 : 0;
      return { GroupId: groupId, IsFinished: isFinished, RspMsgList: page };
    },
  ],

  [
    "group_open_http_svc/group_msg_recall",
    ({ state, sdkAppId, body }) => {
      const groupId = requireGroupId(body);
      const topicId = optionalString(body, "TopicId");
      const seqs = requireSeqList(body);
      const reason = body.Reason;
      if (
        reason !== undefined &&
        (typeof reason !== "string" || Buffer.byteLength(reason) > MAX_REASON_BYTES)
      ) {
        throw new EmulatorError(10004, `Reason must be a string of at most ${MAX_REASON_BYTES} bytes`);
      }
      return { RecallRetList: state.recallBySeq(sdkAppId, groupId, seqs, topicId, reason) };
    },
  ],
];
