import type { AppConfig, EmulatorState, GroupType } from "./state.js";

/** A JSON description of apps and their groups, topics and messages to start the emulator with. */
export interface Seed {
  apps?: AppConfig[];
  groups?: {
    sdkAppId: number;
    groupId?: string;
    type: GroupType;
    name?: string;
    topics?: string[];
    messages?: { from: string; text: string; topic?: string }[];
  }[];
}

/** Creates the seed's groups, topics and messages; returns the IDs of the groups created. */
export function applySeed(state: EmulatorState, seed: Seed): string[] {
  return (seed.groups ?? []).map((g) => {
    const groupId = state.createGroup(g.sdkAppId, {
      type: g.type,
      ...(g.groupId ? { groupId: g.groupId } : {}),
      ...(g.name ? { name: g.name } : {}),
    });
    const topics = new Map(
      (g.topics ?? []).map((name) => [name, state.createTopic(g.sdkAppId, groupId, name)]),
    );
    for (const m of g.messages ?? []) {
      const topicId = m.topic === undefined ? undefined : topics.get(m.topic);
      if (m.topic !== undefined && topicId === undefined) {
        throw new Error(
          `seed: group ${groupId} has no topic ${JSON.stringify(m.topic)}; list it in "topics"`,
        );
      }
      state.sendMessage(g.sdkAppId, groupId, m.from, m.text, topicId);
    }
    return groupId;
  });
}
