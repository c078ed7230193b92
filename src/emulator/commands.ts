import { EmulatorError, groupType, type EmulatorState } from "./state.js";

type Body = Record<string, unknown>;
type Handler = (state: EmulatorState, sdkAppId: number, body: Body) => Record<string, unknown>;

const GROUP_ID_MAX_BYTES = 48;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

function requireString(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") {
    throw new EmulatorError(10004, `${field} is required and must be a non-empty string`);
  }
  return value;
}

function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "")
    throw new EmulatorError(10004, `${field} must be a non-empty string`);
  return value;
}

function requireGroupId(body: Body): string {
  const id = requireString(body, "GroupId");
  if (!PRINTABLE_ASCII.test(id) || Buffer.byteLength(id) > GROUP_ID_MAX_BYTES) {
    throw new EmulatorError(10015, `invalid GroupId ${id}`);
  }
  return id;
}

/** Custom IDs: printable ASCII, at most 48 bytes; `@TGS#` is reserved, but Community IDs must start with `@TGS#_`. */
function checkCustomGroupId(id: string, type: string): void {
  if (!PRINTABLE_ASCII.test(id) || Buffer.byteLength(id) > GROUP_ID_MAX_BYTES) {
    throw new EmulatorError(10015, `invalid GroupId ${id}`);
  }
  const community = groupType(type) === "Community";
  if (community ? !id.startsWith("@TGS#_") : id.startsWith("@TGS#")) {
    throw new EmulatorError(
      10015,
      community
        ? "a Community group ID must start with @TGS#_"
        : "custom group IDs must not start with @TGS#",
    );
  }
}

function textOf(msgBody: unknown): string {
  if (!Array.isArray(msgBody)) return "";
  return msgBody
    .map((el: { MsgContent?: { Text?: unknown } }) =>
      typeof el?.MsgContent?.Text === "string" ? el.MsgContent.Text : "",
    )
    .join("");
}

/** The REST commands the emulator answers, by their path below /v4/. */
export const COMMANDS: Record<string, Handler> = {
  "group_open_http_svc/delete_group_msg_by_sender": (state, sdkAppId, body) => {
    const groupId = requireGroupId(body);
    const sender = requireString(body, "Sender_Account");
    const topicId = optionalString(body, "TopicId");
    state.recallBySender(sdkAppId, groupId, sender, topicId);
    return {};
  },

  "group_open_http_svc/create_group": (state, sdkAppId, body) => {
    const type = requireString(body, "Type");
    if (!groupType(type)) throw new EmulatorError(10004, `Type ${type} is not a group type`);
    const name = requireString(body, "Name");
    const groupId = optionalString(body, "GroupId");
    if (groupId !== undefined) checkCustomGroupId(groupId, type);
    const owner = optionalString(body, "Owner_Account");
    return {
      GroupId: state.createGroup(sdkAppId, {
        type,
        name,
        ...(groupId ? { groupId } : {}),
        ...(owner ? { owner } : {}),
      }),
    };
  },

  "group_open_http_svc/send_group_msg": (state, sdkAppId, body) => {
    const groupId = requireGroupId(body);
    const from = optionalString(body, "From_Account") ?? "administrator";
    const random = typeof body.Random === "number" ? body.Random : 0;
    const topicId = optionalString(body, "TopicId");
    const seq = state.sendMessage(sdkAppId, groupId, from, textOf(body.MsgBody), topicId, random);
    return { MsgSeq: seq, MsgTime: Math.floor(Date.now() / 1000) };
  },

  "group_open_http_svc/group_msg_get_simple": (state, sdkAppId, body) => {
    const groupId = requireGroupId(body);
    const topicId = optionalString(body, "TopicId");
    const count = body.ReqMsgNumber;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 20) {
      throw new EmulatorError(10004, "ReqMsgNumber must be an integer from 1 to 20");
    }
    if (state.requireGroup(sdkAppId, groupId).type === "AVChatRoom") {
      throw new EmulatorError(10004, "AVChatRoom groups keep no message history");
    }
    const maxSeq = typeof body.ReqMsgSeq === "number" ? body.ReqMsgSeq : Infinity;
    const page = state
      .messages(sdkAppId, groupId, topicId)
      .filter((m) => m.seq <= maxSeq)
      .slice(-count)
      .reverse();
    return {
      GroupId: groupId,
      IsFinished: page.length === 0 || page[page.length - 1]!.seq === 1 ? 1 : 0,
      RspMsgList: page.map((m) => ({
        From_Account: m.from,
        IsPlaceMsg: m.recalled ? 1 : 0,
        MsgBody: m.recalled ? [] : [{ MsgType: "TIMTextElem", MsgContent: { Text: m.text } }],
        MsgRandom: m.random,
        MsgSeq: m.seq,
        MsgTimeStamp: m.time,
      })),
    };
  },

  "group_open_http_svc/get_group_info": (state, sdkAppId, body) => {
    const ids = body.GroupIdList;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === "string")) {
      throw new EmulatorError(10004, "GroupIdList must be a non-empty array of group IDs");
    }
    return {
      GroupInfo: ids.map((id: string) => {
        try {
          const group = state.requireGroup(sdkAppId, id);
          return {
            GroupId: id,
            ErrorCode: 0,
            ErrorInfo: "",
            Type: group.type,
            Name: group.name,
            Owner_Account: group.owner,
            NextMsgSeq: group.channel.nextSeq,
          };
        } catch (error) {
          const e = error as EmulatorError;
          return { GroupId: id, ErrorCode: e.code, ErrorInfo: e.message };
        }
      }),
    };
  },
};
