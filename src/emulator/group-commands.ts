import type { Handler } from "./command-call.js";
import { exactInteger, topLevelNumberLiterals } from "./exact-integers.js";
import {
  isValidGroupId,
  optionalInteger,
  optionalString,
  optionalStringList,
  requireGroupId,
  requireString,
  type Body,
} from "./fields.js";
import { EmulatorError, GROUP_TYPES, groupType, type Group, type GroupType } from "./state.js";

const MAX_GROUP_INFO_IDS = 50;
const MAX_LISTING_LIMIT = 10_000;
/** Most groups one page of get_joined_group_list holds (the docs name none: without Limit it answers all). */
export const MAX_JOINED_LIMIT = 10_000;
/** Most accounts add_group_member takes in one call. */
const MAX_ADD_MEMBERS = 300;
/** add_group_member's per-account Result: 1 added, 2 already a member. */
const ADD_RESULT = { added: 1, alreadyMember: 2 } as const;
const UINT64_MAX = 2n ** 64n - 1n;
/** GroupType values get_appid_group_list accepts; BChatRoom is a retired type no group has here. */
const LISTING_GROUP_TYPES = ["Public", "Private", "ChatRoom", "AVChatRoom", "BChatRoom", "Community"];

/** Custom IDs: printable ASCII, at most 48 bytes; `@TGS#` is reserved, but Community IDs must start with `@TGS#_`. */
function checkCustomGroupId(id: string, type: string): void {
  if (!isValidGroupId(id)) throw new EmulatorError(10015, `invalid GroupId ${id}`);
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

function listingFilter(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value !== "string" || !LISTING_GROUP_TYPES.includes(value)) {
    throw new EmulatorError(10004, `GroupType must be one of ${LISTING_GROUP_TYPES.join(", ")}`);
  }
  return value;
}

function listingStart(rawBody: string, next: unknown): bigint {
  if (next === undefined) return 0n;
  if (typeof next !== "number") throw new EmulatorError(10004, "Next must be a JSON integer");
  const literal = topLevelNumberLiterals(rawBody, ["Next"]).get("Next");
  const value = literal === undefined ? undefined : exactInteger(literal);
  if (value === undefined || value < 0n || value > UINT64_MAX) {
    throw new EmulatorError(10004, `Next must be a uint64, got ${literal ?? String(next)}`);
  }
  return value;
}

/** Group fields GroupBaseInfoFilter can ask get_joined_group_list for. */
function baseInfo(group: Group, field: string): unknown {
  switch (field) {
    case "Type":
      return group.type;
    case "Name":
      return group.name;
    case "Owner_Account":
      return group.owner;
    case "CreateTime":
      return group.createdAt;
    case "MemberNum":
      return group.members.size;
    case "NextMsgSeq":
      return group.channel.nextSeq;
    default:
      return undefined;
  }
}

function selfInfo(group: Group, userId: string, field: string): unknown {
  switch (field) {
    case "Role":
      return group.owner === userId ? "Owner" : "Member";
    case "MsgFlag":
      return "AcceptAndNotify";
    default:
      return undefined;
  }
}

interface ResponseFilter {
  base: string[];
  self: string[] | undefined;
}

function responseFilter(body: Body): ResponseFilter | undefined {
  const value = body.ResponseFilter;
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new EmulatorError(10004, "ResponseFilter must be an object");
  }
  const filter = value as Body;
  return {
    base: optionalStringList(filter, "GroupBaseInfoFilter") ?? [],
    self: optionalStringList(filter, "SelfInfoFilter"),
  };
}

/** A joined group as get_joined_group_list answers it: its ID, and the fields ResponseFilter asks for that the emulator knows. */
function joinedEntry(group: Group, userId: string, filter: ResponseFilter | undefined) {
  const entry: Record<string, unknown> = { GroupId: group.id };
  if (!filter) return entry;
  for (const field of filter.base) {
    const value = baseInfo(group, field);
    if (value !== undefined) entry[field] = value;
  }
  if (filter.self) {
    const self: Record<string, unknown> = {};
    for (const field of filter.self) {
      const value = selfInfo(group, userId, field);
      if (value !== undefined) self[field] = value;
    }
    entry.SelfInfo = self;
  }
  return entry;
}

/**
 * Whether get_joined_group_list lists the group: AVChatRoom groups only with WithHugeGroups 1, and
 * Private (Work) groups not yet activated (no message sent) only with WithNoActiveGroups 1.
 */
function listedAsJoined(group: Group, filter: string, withHuge: boolean, withInactive: boolean): boolean {
  if (filter !== "" && group.type !== filter) return false;
  if (group.type === "AVChatRoom" && !withHuge) return false;
  if (group.type === "Private" && group.channel.nextSeq === 1 && !withInactive) return false;
  return true;
}

export const GROUP_COMMANDS: [string, Handler][] = [
  [
    "group_open_http_svc/create_group",
    ({ state, sdkAppId, body }) => {
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
  ],

  [
    "group_open_http_svc/get_group_info",
    ({ state, sdkAppId, body }) => {
      const ids = body.GroupIdList;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === "string")) {
        throw new EmulatorError(10004, "GroupIdList must be a non-empty array of group IDs");
      }
      if (ids.length > MAX_GROUP_INFO_IDS) {
        throw new EmulatorError(10004, `GroupIdList holds ${ids.length} IDs; at most ${MAX_GROUP_INFO_IDS}`);
      }
      return {
        GroupInfo: ids.map((id: string) => {
          if (!isValidGroupId(id)) {
            return { GroupId: id, ErrorCode: 10015, ErrorInfo: `invalid GroupId ${id}` };
          }
          const group = state.app(sdkAppId)?.groups.get(id);
          if (!group) {
            return {
              GroupId: id,
              ErrorCode: 10010,
              ErrorInfo: `group ${id} does not exist or was dismissed`,
            };
          }
          return {
            GroupId: id,
            ErrorCode: 0,
            ErrorInfo: "",
            Type: group.type,
            Name: group.name,
            Owner_Account: group.owner,
            CreateTime: group.createdAt,
            NextMsgSeq: group.channel.nextSeq,
          };
        }),
      };
    },
  ],

  [
    "group_open_http_svc/get_appid_group_list",
    ({ state, sdkAppId, body, rawBody, cursors, listingPageLimit }) => {
      const asked = optionalInteger(body, "Limit", 1, MAX_LISTING_LIMIT) ?? MAX_LISTING_LIMIT;
      const limit = Math.min(asked, listingPageLimit);
      const filter = listingFilter(body.GroupType);
      const next = listingStart(rawBody, body.Next);
      let index = 0;
      if (next !== 0n) {
        const found = cursors.find(next, sdkAppId, filter);
        if ("problem" in found) throw new EmulatorError(10004, found.problem);
        index = found.index;
      }
      const groups = (GROUP_TYPES as readonly string[]).includes(filter)
        ? state.groupList(sdkAppId, filter as GroupType)
        : filter === ""
          ? state.groupList(sdkAppId)
          : [];
      const end = Math.min(index + limit, groups.length);
      const page = [];
      for (let i = index; i < end; i++) page.push({ GroupId: groups[i]!.id });
      return {
        TotalCount: groups.length,
        GroupIdList: page,
        Next: end < groups.length ? cursors.issue(sdkAppId, filter, end) : 0,
      };
    },
  ],

  [
    "group_open_http_svc/get_joined_group_list",
    ({ state, sdkAppId, body }) => {
      const userId = requireString(body, "Member_Account");
      const limit = optionalInteger(body, "Limit", 1, MAX_JOINED_LIMIT);
      const offset = optionalInteger(body, "Offset", 0, Number.MAX_SAFE_INTEGER) ?? 0;
      const filter = listingFilter(body.GroupType);
      const withHuge = optionalInteger(body, "WithHugeGroups", 0, 1) === 1;
      const withInactive = optionalInteger(body, "WithNoActiveGroups", 0, 1) === 1;
      const response = responseFilter(body);
      const groups = state
        .joinedGroups(sdkAppId, userId)
        .filter((group) => listedAsJoined(group, filter, withHuge, withInactive));
      const page = groups.slice(offset, limit === undefined ? undefined : offset + limit);
      return {
        TotalCount: groups.length,
        GroupIdList: page.map((group) => joinedEntry(group, userId, response)),
      };
    },
  ],

  [
    "group_open_http_svc/add_group_member",
    ({ state, sdkAppId, body }) => {
      const groupId = requireGroupId(body);
      const list = body.MemberList;
      if (!Array.isArray(list) || list.length === 0 || list.length > MAX_ADD_MEMBERS) {
        throw new EmulatorError(10004, `MemberList must hold 1 to ${MAX_ADD_MEMBERS} entries`);
      }
      const accounts = list.map((entry: unknown, i) => {
        const account = (entry as { Member_Account?: unknown } | null)?.Member_Account;
        if (typeof account !== "string" || account === "") {
          throw new EmulatorError(10004, `MemberList[${i}].Member_Account must be a non-empty string`);
        }
        return account;
      });
      optionalInteger(body, "Silence", 0, 1);
      const group = state.requireGroup(sdkAppId, groupId);
      return {
        MemberList: accounts.map((account) => {
          const already = group.members.has(account);
          state.addMember(sdkAppId, groupId, account);
          return { Member_Account: account, Result: already ? ADD_RESULT.alreadyMember : ADD_RESULT.added };
        }),
      };
    },
  ],

  [
    "million_group_open_http_svc/get_topic",
    ({ state, sdkAppId, body }) => {
      const groupId = requireGroupId(body);
      const member = optionalString(body, "From_Account");
      const wanted = optionalStringList(body, "TopicIdList");
      const group = state.requireGroup(sdkAppId, groupId);
      if (group.type !== "Community") {
        throw new EmulatorError(10007, `topics exist only in Community groups; ${groupId} is ${group.type}`);
      }
      const ids = wanted && wanted.length > 0 ? wanted : [...group.topics.keys()];
      return {
        TopicAndSelfInfo: ids.map((id) => {
          const topic = group.topics.get(id);
          if (!topic) {
            return { ErrorCode: 10010, ErrorInfo: `topic ${id} does not exist`, TopicInfo: { TopicId: id } };
          }
          return {
            ErrorCode: 0,
            ErrorInfo: "",
            TopicInfo: {
              TopicId: topic.id,
              TopicName: topic.name,
              CreateTime: topic.createdAt,
              Owner_Account: group.owner,
              NextMsgSeq: topic.nextSeq,
            },
            SelfInfo: member === undefined ? {} : { MsgFlag: "AcceptAndNotify", ReadedSeq: 0 },
          };
        }),
      };
    },
  ],
];
