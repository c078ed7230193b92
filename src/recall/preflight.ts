import { unlessListOfObjects } from "../chat/attempt.js";
import { APIS } from "../chat/throttle.js";
import type { CallSignals, ChatClient } from "../chat/client.js";
import { ChatApiError } from "../chat/errors.js";
import { batchesOf } from "./batches.js";
import type { Scope, StopCause } from "./types.js";

export const GROUP_INFO_COMMAND = APIS.get_group_info.command;
export const AV_CHAT_ROOM = "AVChatRoom";
export const COMMUNITY = "Community";
/** get_group_info takes at most this many group IDs per call. */
const GROUPS_PER_CALL = 50;

/** What the service says of a group before anything is recalled. */
export type GroupLookup = { found: true; type: string } | { found: false; error: ChatApiError };

interface GroupInfoEntry {
  GroupId?: unknown;
  ErrorCode?: unknown;
  ErrorInfo?: unknown;
  Type?: unknown;
}

/**
 * Looks every group up with get_group_info, at most 50 a call, all calls under the client's limiter.
 * A call that fails (after its retries) gives its failure to every group it asked for.
 */
async function lookUpGroups(
  client: ChatClient,
  groups: readonly string[],
  signals: CallSignals,
): Promise<Map<string, GroupLookup>> {
  const lookups = new Map<string, GroupLookup>();
  await Promise.all(
    batchesOf(groups, GROUPS_PER_CALL).map(async (batch) => {
      try {
        const { response, attempts } = await client.call(
          GROUP_INFO_COMMAND,
          { GroupIdList: batch },
          signals,
          unlessListOfObjects("GroupInfo"),
        );
        const entries = response.GroupInfo as GroupInfoEntry[];
        for (const group of batch) {
          const entry = entries.find((e) => e.GroupId === group);
          if (entry && entry.ErrorCode === 0 && typeof entry.Type === "string") {
            lookups.set(group, { found: true, type: client.clean(entry.Type) });
          } else {
            const code =
              typeof entry?.ErrorCode === "number" && entry.ErrorCode !== 0 ? entry.ErrorCode : 10010;
            const info =
              typeof entry?.ErrorInfo === "string" && entry.ErrorInfo
                ? client.clean(entry.ErrorInfo)
                : "not in the get_group_info answer";
            lookups.set(group, {
              found: false,
              error: new ChatApiError(GROUP_INFO_COMMAND, code, info, attempts, true),
            });
          }
        }
      } catch (error) {
        if (!(error instanceof ChatApiError)) throw error;
        for (const group of batch) lookups.set(group, { found: false, error });
      }
    }),
  );
  return lookups;
}

/**
 * Looks up the groups of the scopes; a topic of a group that is not a Community refuses the whole
 * run, before any recall.
 */
export async function preflight(
  client: ChatClient,
  scopes: readonly Scope[],
  signals: CallSignals,
): Promise<{ lookups: Map<string, GroupLookup>; refusal?: StopCause }> {
  const lookups = await lookUpGroups(client, [...new Set(scopes.map((s) => s.group))], signals);
  for (const { group, topic } of scopes) {
    const lookup = lookups.get(group);
    if (topic && lookup?.found && lookup.type !== COMMUNITY) {
      const message = `Topic ${topic} was given for group ${group}, a ${lookup.type} group: topics exist only in Community groups. Nothing was recalled; remove the topic or the group.`;
      return { lookups, refusal: { reason: "refused", message } };
    }
  }
  return { lookups };
}
