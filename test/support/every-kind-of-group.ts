import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/index.js";
import { RECALL_COMMAND } from "../../src/recall/strategy-silent.js";
import { APP_ID, SECRET_KEY } from "./emulator.js";

export type GroupName =
  "public1" | "public2" | "public3" | "private" | "chatroom" | "community" | "quiet" | "live";

/**
 * An emulator with the test app holding three Public groups, a Private and a ChatRoom group, a
 * Community with two topics and one with none, and an AVChatRoom; mallory and alice posted in each
 * group, and mallory in each topic.
 */
export async function emulatorWithEveryKindOfGroup(options: Partial<EmulatorOptions> = {}): Promise<{
  emulator: Emulator;
  groups: Record<GroupName, string>;
  topics: string[];
}> {
  const emulator = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }], ...options });
  const { state } = emulator;
  const make = (name: GroupName, type: string, groupId: string): string => {
    const id = state.createGroup(APP_ID, { type, groupId });
    state.sendMessage(APP_ID, id, "mallory", `spam in ${name}`);
    state.sendMessage(APP_ID, id, "alice", `hello in ${name}`);
    return id;
  };
  const groups: Record<GroupName, string> = {
    public1: make("public1", "Public", "@TGS#PUBLIC1"),
    public2: make("public2", "Public", "@TGS#PUBLIC2"),
    public3: make("public3", "Public", "@TGS#PUBLIC3"),
    private: make("private", "Private", "@TGS#PRIVATE"),
    chatroom: make("chatroom", "ChatRoom", "@TGS#CHATROOM"),
    community: make("community", "Community", "@TGS#_@TGS#COMMUNITY"),
    quiet: make("quiet", "Community", "@TGS#_@TGS#QUIET"),
    live: make("live", "AVChatRoom", "@TGS#LIVE"),
  };
  const topics = ["news", "chat"].map((name) => {
    const topic = state.createTopic(APP_ID, groups.community, name);
    state.sendMessage(APP_ID, groups.community, "mallory", `spam in ${name}`, topic);
    return topic;
  });
  return { emulator, groups, topics };
}

/** The groups and topics recall requests were made in, sorted. */
export function recalledIn(emulator: Emulator): string[] {
  return emulator.requests
    .filter((r) => r.command === RECALL_COMMAND)
    .map((r) => {
      const body = r.body as { GroupId: string; TopicId?: string };
      return body.TopicId ?? body.GroupId;
    })
    .sort();
}
