import { checkGroupId, checkUserId, InputError, topicGroup } from "./validate.js";

/** One call of delete_group_msg_by_sender. */
export interface RecallTarget {
  group: string;
  sender: string;
  topic?: string;
}

interface TargetInputNames {
  group: string;
  sender: string;
  topic: string;
}

/**
 * Every (group, sender) pair, or with topics every (topic, sender) pair, each once. Every ID is
 * checked first, so a bad one stops the run before any call.
 */
export function planTargets(
  groups: readonly string[],
  senders: readonly string[],
  topics: readonly string[],
  names: TargetInputNames,
): RecallTarget[] {
  const uniqueGroups = [...new Set(groups)];
  const uniqueSenders = [...new Set(senders)];
  uniqueGroups.forEach((g) => checkGroupId(g, names.group));
  uniqueSenders.forEach((s) => checkUserId(s, names.sender));

  if (topics.length === 0) {
    return uniqueGroups.flatMap((group) => uniqueSenders.map((sender) => ({ group, sender })));
  }
  const scopes = [...new Set(topics)].map((topic) => ({
    topic,
    group: topicGroup(topic, uniqueGroups, names.topic),
  }));
  const bare = uniqueGroups.filter((g) => !scopes.some((s) => s.group === g));
  if (bare.length > 0) {
    throw new InputError(
      `${names.topic}: no topic is listed for group ${bare.map((g) => JSON.stringify(g)).join(", ")}; with ${names.topic} set, every listed group needs at least one of its topics, or run it in a step without ${names.topic}.`,
    );
  }
  return scopes.flatMap(({ topic, group }) => uniqueSenders.map((sender) => ({ group, sender, topic })));
}
