import type { CallSignals, ChatClient } from "../chat/client.js";
import { ChatApiError } from "../chat/errors.js";
import { batchesOf } from "./batches.js";

export const GROUP_INFO_COMMAND = "group_open_http_svc/get_group_info";
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
export async function lookUpGroups(
  client: ChatClient,
  groups: readonly string[],
  signals: CallSignals,
): Promise<Map<string, GroupLookup>> {
  const lookups = new Map<string, GroupLookup>();
  await Promise.all(
    batchesOf(groups, GROUPS_PER_CALL).map(async (batch) => {
      try {
        const { response, attempts } = await client.call(GROUP_INFO_COMMAND, { GroupIdList: batch }, signals);
        const entries = Array.isArray(response.GroupInfo) ? (response.GroupInfo as GroupInfoEntry[]) : [];
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
