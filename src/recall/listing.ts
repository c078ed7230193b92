import { APIS } from "../chat/throttle.js";
import type { Unreadable } from "../chat/attempt.js";
import type { CallSignals, ChatClient } from "../chat/client.js";
import { ChatApiError, INCONSISTENT_ANSWER } from "../chat/errors.js";
import { topLevelNumber } from "../chat/exact-json.js";
import { isWellFormedId } from "./ids.js";

export const LIST_GROUPS_COMMAND = APIS.get_appid_group_list.command;
export const TOPICS_COMMAND = APIS.get_topic.command;
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

function inconsistent(info: string, attempts: number, command: string = LIST_GROUPS_COMMAND): ChatApiError {
  return new ChatApiError(command, INCONSISTENT_ANSWER, info, attempts, false);
}

interface GroupPage {
  GroupIdList: { GroupId: string }[];
  TotalCount: number;
}

/** Why a page of group IDs cannot be read: a list of entries with a GroupId each, and the TotalCount they are part of. */
const unreadableGroupPage: Unreadable = (response) => {
  const list: unknown = response.GroupIdList;
  if (!Array.isArray(list)) return "GroupIdList is missing or not a list";
  if (!list.every((g) => typeof (g as { GroupId?: unknown } | null)?.GroupId === "string"))
    return "an entry of GroupIdList has no GroupId text";
  const total = response.TotalCount;
  if (typeof total !== "number" || !Number.isSafeInteger(total) || total < 0)
    return "TotalCount is missing or not a count";
  return undefined;
};

/** The well-formed group IDs of a page, and how many were not. */
function idsOf(page: GroupPage): { groups: string[]; malformed: number } {
  const groups = page.GroupIdList.map((g) => g.GroupId).filter((id) => isWellFormedId(id, "group"));
  return { groups, malformed: page.GroupIdList.length - groups.length };
}

/**
 * Every group of one type, a page at a time. `Next` is a uint64: it is read from the answer digit
 * for digit and sent back as the same JSON number, never through a double. Pages that end short of
 * the TotalCount they say make the listing fail: it is never taken for fewer groups.
 */
export async function* listGroups(
  client: ChatClient,
  type: string,
  signals: CallSignals,
): AsyncGenerator<ListedPage> {
  let next = "0";
  let listed = 0;
  const seen = new Set<string>();
  for (;;) {
    const body = `{"Limit":${PAGE_LIMIT},"GroupType":${JSON.stringify(type)},"Next":${next}}`;
    const { response, text, attempts } = await client.call(
      LIST_GROUPS_COMMAND,
      body,
      signals,
      unreadableGroupPage,
    );
    const page = response as unknown as GroupPage;
    listed += page.GroupIdList.length;
    yield { ...idsOf(page), total: page.TotalCount };
    const following = topLevelNumber(text, "Next");
    if (following === undefined || !/^\d+$/.test(following))
      throw inconsistent(`Next is ${client.clean(following ?? "missing")}`, attempts);
    if (following === "0") {
      if (listed < page.TotalCount)
        throw inconsistent(
          `the listing ended after ${listed} of the ${page.TotalCount} groups its TotalCount says`,
          attempts,
        );
      return;
    }
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

/** Why a list of topics cannot be read: each entry has its ErrorCode, and a TopicId when that is 0. */
const unreadableTopics: Unreadable = (response) => {
  const entries: unknown = response.TopicAndSelfInfo;
  if (!Array.isArray(entries)) return "TopicAndSelfInfo is missing or not a list";
  for (const [i, e] of (entries as (TopicEntry | null)[]).entries()) {
    if (typeof e?.ErrorCode !== "number")
      return `TopicAndSelfInfo[${i}].ErrorCode is missing or not a number`;
    if (e.ErrorCode === 0 && typeof e.TopicInfo?.TopicId !== "string")
      return `TopicAndSelfInfo[${i}].TopicInfo.TopicId is missing or not text`;
  }
  return undefined;
};

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
    unreadableTopics,
  );
  const entries = response.TopicAndSelfInfo as TopicEntry[];
  const ids = entries.filter((e) => e.ErrorCode === 0).map((e) => e.TopicInfo?.TopicId);
  const topics = ids.filter((id) => isWellFormedId(id, "topic"));
  return { topics, malformed: ids.length - topics.length };
}

/** How many groups of one type the app has, from one call. */
export async function countGroups(client: ChatClient, type: string, signals: CallSignals): Promise<number> {
  const body = `{"Limit":1,"GroupType":${JSON.stringify(type)},"Next":0}`;
  const { response } = await client.call(LIST_GROUPS_COMMAND, body, signals, unreadableGroupPage);
  return (response as unknown as GroupPage).TotalCount;
}

export const JOINED_GROUPS_COMMAND = APIS.get_joined_group_list.command;
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
    const { response, attempts } = await client.call(
      JOINED_GROUPS_COMMAND,
      body,
      signals,
      unreadableGroupPage,
    );
    const page = response as unknown as GroupPage;
    const ids = idsOf(page);
    groups.push(...ids.groups);
    malformed += ids.malformed;
    offset += page.GroupIdList.length;
    if (offset >= page.TotalCount) return { groups, malformed };
    if (page.GroupIdList.length === 0) {
      const info = `the listing ended after ${offset} of the ${page.TotalCount} groups its TotalCount says`;
      throw inconsistent(info, attempts, JOINED_GROUPS_COMMAND);
    }
  }
}
