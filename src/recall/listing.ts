import type { CallSignals, ChatClient } from "../chat/client.js";
import { ChatApiError, INCONSISTENT_ANSWER } from "../chat/errors.js";
import { topLevelNumber } from "../chat/exact-json.js";
import { isWellFormedId } from "./ids.js";

export const LIST_GROUPS_COMMAND = "group_open_http_svc/get_appid_group_list";
export const TOPICS_COMMAND = "million_group_open_http_svc/get_topic";
/** The most group IDs get_appid_group_list answers per call. */
const PAGE_LIMIT = 10_000;

/** Group types a fan-out lists, by the names get_appid_group_list takes; AVChatRoom keeps no history. */
export const LISTED_TYPES = ["Public", "Private", "ChatRoom", "Community"] as const;
export const TYPE_ALIASES: Readonly<Record<string, string>> = { Work: "Private", Meeting: "ChatRoom" };

export interface ListedPage {
  groups: string[];
  /** Entries left out of `groups`: not an ID the service could have made. */
  malformed: number;
  /** Groups of the type in all, as the server counts them. */
  total: number;
}

function inconsistent(info: string, attempts: number): ChatApiError {
  return new ChatApiError(LIST_GROUPS_COMMAND, INCONSISTENT_ANSWER, info, attempts, false);
}

/**
 * Every group of one type, a page at a time. `Next` is a uint64: it is read from the answer digit
 * for digit and sent back as the same JSON number, never through a double.
 */
export async function* listGroups(
  client: ChatClient,
  type: string,
  signals: CallSignals,
): AsyncGenerator<ListedPage> {
  let next = "0";
  const seen = new Set<string>();
  for (;;) {
    const body = `{"Limit":${PAGE_LIMIT},"GroupType":${JSON.stringify(type)},"Next":${next}}`;
    const { response, text, attempts } = await client.call(LIST_GROUPS_COMMAND, body, signals);
    const list = Array.isArray(response.GroupIdList) ? (response.GroupIdList as { GroupId?: unknown }[]) : [];
    const groups = list.map((g) => g.GroupId).filter((id) => isWellFormedId(id, "group"));
    yield {
      groups,
      malformed: list.length - groups.length,
      total: typeof response.TotalCount === "number" ? response.TotalCount : groups.length,
    };
    const following = topLevelNumber(text, "Next");
    if (following === undefined || !/^\d+$/.test(following))
      throw inconsistent(`Next is ${client.clean(following ?? "missing")}`, attempts);
    if (following === "0") return;
    if (seen.has(following))
      throw inconsistent(
        `Next ${client.clean(following)} came back twice: the listing would never end`,
        attempts,
      );
    seen.add(following);
    next = following;
  }
}

interface TopicEntry {
  ErrorCode?: unknown;
  TopicInfo?: { TopicId?: unknown };
}

/** The topics of a Community group, as get_topic lists them for the admin. */
export async function topicsOf(
  client: ChatClient,
  group: string,
  identifier: string,
  signals: CallSignals,
): Promise<{ topics: string[]; malformed: number }> {
  const { response } = await client.call(
    TOPICS_COMMAND,
    { GroupId: group, From_Account: identifier },
    signals,
  );
  const entries = Array.isArray(response.TopicAndSelfInfo) ? (response.TopicAndSelfInfo as TopicEntry[]) : [];
  const ids = entries.filter((e) => e.ErrorCode === 0).map((e) => e.TopicInfo?.TopicId);
  const topics = ids.filter((id) => isWellFormedId(id, "topic"));
  return { topics, malformed: ids.length - topics.length };
}

/** How many groups of one type the app has, from one call. */
export async function countGroups(client: ChatClient, type: string, signals: CallSignals): Promise<number> {
  const body = `{"Limit":1,"GroupType":${JSON.stringify(type)},"Next":0}`;
  const { response } = await client.call(LIST_GROUPS_COMMAND, body, signals);
  return typeof response.TotalCount === "number" ? response.TotalCount : 0;
}

export const JOINED_GROUPS_COMMAND = "group_open_http_svc/get_joined_group_list";
/** Groups asked for per get_joined_group_list call. */
const JOINED_PAGE_LIMIT = 1000;

/**
 * The groups of one type a user is a member of, a page at a time by offset, until the pages hold as
 * many as `TotalCount` says. Groups the user left or was removed from are not among them.
 */
export async function joinedGroupsOf(
  client: ChatClient,
  member: string,
  type: string,
  signals: CallSignals,
): Promise<{ groups: string[]; malformed: number }> {
  const groups: string[] = [];
  let malformed = 0;
  for (let offset = 0; ;) {
    const body = { Member_Account: member, Limit: JOINED_PAGE_LIMIT, Offset: offset, GroupType: type };
    const { response, attempts } = await client.call(JOINED_GROUPS_COMMAND, body, signals);
    const total = response.TotalCount;
    const list = Array.isArray(response.GroupIdList) ? (response.GroupIdList as { GroupId?: unknown }[]) : [];
    if (typeof total !== "number" || !Number.isInteger(total) || total < 0)
      throw new ChatApiError(JOINED_GROUPS_COMMAND, INCONSISTENT_ANSWER, "no TotalCount", attempts, false);
    const ids = list.map((g) => g.GroupId);
    const wellFormed = ids.filter((id) => isWellFormedId(id, "group"));
    groups.push(...wellFormed);
    malformed += ids.length - wellFormed.length;
    offset += list.length;
    if (offset >= total) return { groups, malformed };
    if (list.length === 0) {
      const info = `TotalCount is ${total}, but the list ended after ${offset} group(s)`;
      throw new ChatApiError(JOINED_GROUPS_COMMAND, INCONSISTENT_ANSWER, info, attempts, false);
    }
  }
}
