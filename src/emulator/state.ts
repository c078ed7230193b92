import { randomBytes } from "node:crypto";

export const GROUP_TYPES = ["Private", "Public", "ChatRoom", "AVChatRoom", "Community"] as const;
export type GroupType = (typeof GROUP_TYPES)[number];
const TYPE_ALIASES: Record<string, GroupType> = { Work: "Private", Meeting: "ChatRoom" };

/** How many of a group's (or topic's) newest messages delete_group_msg_by_sender looks at. */
export const RECALL_WINDOW = 1000;

export interface StoredMessage {
  seq: number;
  from: string;
  text: string;
  random: number;
  time: number;
  recalled: boolean;
}

interface Channel {
  nextSeq: number;
  messages: StoredMessage[];
}

export interface Group {
  id: string;
  type: GroupType;
  name: string;
  owner: string;
  channel: Channel;
  topics: Map<string, Channel>;
}

export interface AppConfig {
  sdkAppId: number;
  secretKey: string;
  /** App admin accounts; `administrator` when not given. */
  admins?: string[];
}

export interface App {
  sdkAppId: number;
  secretKey: string;
  admins: Set<string>;
  groups: Map<string, Group>;
}

export class EmulatorError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function groupType(value: string): GroupType | undefined {
  if (value in TYPE_ALIASES) return TYPE_ALIASES[value];
  return (GROUP_TYPES as readonly string[]).includes(value) ? (value as GroupType) : undefined;
}

/** The Chat service's data: apps, their groups, topics and message history. */
export class EmulatorState {
  private readonly apps = new Map<number, App>();

  addApp(config: AppConfig): void {
    this.apps.set(config.sdkAppId, {
      sdkAppId: config.sdkAppId,
      secretKey: config.secretKey,
      admins: new Set(config.admins ?? ["administrator"]),
      groups: new Map(),
    });
  }

  app(sdkAppId: number): App | undefined {
    return this.apps.get(sdkAppId);
  }

  createGroup(
    sdkAppId: number,
    options: { type: GroupType | string; groupId?: string; name?: string; owner?: string },
  ): string {
    const app = this.requireApp(sdkAppId);
    const type = groupType(options.type);
    if (!type) throw new EmulatorError(10004, `unknown group type ${options.type}`);
    const prefix = type === "Community" ? "@TGS#_" : "@TGS#";
    const id = options.groupId ?? prefix + randomBytes(6).toString("hex").toUpperCase();
    if (app.groups.has(id)) throw new EmulatorError(10021, `group ${id} already exists`);
    app.groups.set(id, {
      id,
      type,
      name: options.name ?? id,
      owner: options.owner ?? "",
      channel: { nextSeq: 1, messages: [] },
      topics: new Map(),
    });
    return id;
  }

  createTopic(sdkAppId: number, groupId: string, name: string): string {
    const group = this.requireGroup(sdkAppId, groupId);
    if (group.type !== "Community")
      throw new EmulatorError(10004, `group ${groupId} is not a Community group`);
    const topicId = `${groupId}@TOPIC#_${name}`;
    if (group.topics.has(topicId)) throw new EmulatorError(10021, `topic ${topicId} already exists`);
    group.topics.set(topicId, { nextSeq: 1, messages: [] });
    return topicId;
  }

  sendMessage(
    sdkAppId: number,
    groupId: string,
    from: string,
    text: string,
    topicId?: string,
    random = 0,
  ): number {
    const group = this.requireGroup(sdkAppId, groupId);
    const channel = this.channel(group, topicId);
    const seq = channel.nextSeq++;
    if (group.type !== "AVChatRoom") {
      channel.messages.push({
        seq,
        from,
        text,
        random,
        time: Math.floor(Date.now() / 1000),
        recalled: false,
      });
    }
    return seq;
  }

  /** The stored history, oldest first (AVChatRoom groups keep none). */
  history(
    sdkAppId: number,
    groupId: string,
    topicId?: string,
  ): { seq: number; from: string; text: string; recalled: boolean }[] {
    const channel = this.channel(this.requireGroup(sdkAppId, groupId), topicId);
    return channel.messages.map(({ seq, from, text, recalled }) => ({ seq, from, text, recalled }));
  }

  /** Flags the sender's messages among the newest RECALL_WINDOW as recalled; returns how many. */
  recallBySender(sdkAppId: number, groupId: string, sender: string, topicId?: string): number {
    const channel = this.channel(this.requireGroup(sdkAppId, groupId), topicId);
    let count = 0;
    for (const message of channel.messages.slice(-RECALL_WINDOW)) {
      if (message.from === sender && !message.recalled) {
        message.recalled = true;
        count++;
      }
    }
    return count;
  }

  messages(sdkAppId: number, groupId: string, topicId?: string): readonly StoredMessage[] {
    return this.channel(this.requireGroup(sdkAppId, groupId), topicId).messages;
  }

  requireGroup(sdkAppId: number, groupId: string): Group {
    const group = this.requireApp(sdkAppId).groups.get(groupId);
    if (!group) throw new EmulatorError(10010, `group ${groupId} does not exist or was dismissed`);
    return group;
  }

  private requireApp(sdkAppId: number): App {
    const app = this.apps.get(sdkAppId);
    if (!app) throw new EmulatorError(70020, `SDKAppID ${sdkAppId} not found`);
    return app;
  }

  private channel(group: Group, topicId?: string): Channel {
    if (topicId === undefined) return group.channel;
    if (group.type !== "Community") {
      throw new EmulatorError(
        10004,
        `TopicId applies only to topic-enabled Community groups; ${group.id} is ${group.type}`,
      );
    }
    const topic = group.topics.get(topicId);
    if (!topic) throw new EmulatorError(10010, `topic ${topicId} does not exist`);
    return topic;
  }
}
