import { randomBytes } from "node:crypto";

export const GROUP_TYPES = ["Private", "Public", "ChatRoom", "AVChatRoom", "Community"] as const;
export type GroupType = (typeof GROUP_TYPES)[number];
/** Names newer consoles use for two of the types. */
export const GROUP_TYPE_ALIASES: Readonly<Record<string, GroupType>> = {
  Work: "Private",
  Meeting: "ChatRoom",
};

/** How many of a group's (or topic's) newest messages delete_group_msg_by_sender looks at. */
export const RECALL_WINDOW = 1000;

/** Per-message answers of group_msg_recall besides 0 (recalled). */
export const RECALL_RET_CODES = {
  notFound: 10030,
  notRecallable: 10032,
} as const;

export interface StoredMessage {
  seq: number;
  from: string;
  text: string;
  random: number;
  time: number;
  recalled: boolean;
  /** Deleted or expired: history shows a placeholder (IsPlaceMsg 1). */
  deleted: boolean;
}

export interface Channel {
  /** Newest seq is `nextSeq - 1`; in groups that keep history, `messages[seq - 1]` holds seq. */
  nextSeq: number;
  messages: StoredMessage[];
}

export interface Topic extends Channel {
  id: string;
  name: string;
  createdAt: number;
}

export interface Group {
  id: string;
  type: GroupType;
  name: string;
  owner: string;
  createdAt: number;
  channel: Channel;
  topics: Map<string, Topic>;
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
  /** Groups in creation order, all and by type, so that listing pages are slices. */
  groupOrder: Group[];
  groupOrderByType: Map<GroupType, Group[]>;
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
  if (Object.hasOwn(GROUP_TYPE_ALIASES, value)) return GROUP_TYPE_ALIASES[value];
  return (GROUP_TYPES as readonly string[]).includes(value) ? (value as GroupType) : undefined;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
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
      groupOrder: [],
      groupOrderByType: new Map(GROUP_TYPES.map((type) => [type, []])),
    });
  }

  app(sdkAppId: number): App | undefined {
    return this.apps.get(sdkAppId);
  }

  /** Creates a group in constant time; returns its ID (generated in the service's form when not given). */
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
    const group: Group = {
      id,
      type,
      name: options.name ?? id,
      owner: options.owner ?? "",
      createdAt: nowSeconds(),
      channel: { nextSeq: 1, messages: [] },
      topics: new Map(),
    };
    app.groups.set(id, group);
    app.groupOrder.push(group);
    app.groupOrderByType.get(type)!.push(group);
    return id;
  }

  /** The app's groups in creation order, all or of one type. Do not modify. */
  groupList(sdkAppId: number, type?: GroupType): readonly Group[] {
    const app = this.requireApp(sdkAppId);
    return type === undefined ? app.groupOrder : app.groupOrderByType.get(type)!;
  }

  createTopic(sdkAppId: number, groupId: string, name: string): string {
    const group = this.requireGroup(sdkAppId, groupId);
    if (group.type !== "Community")
      throw new EmulatorError(10004, `group ${groupId} is not a Community group`);
    const topicId = `${groupId}@TOPIC#_${name}`;
    if (group.topics.has(topicId)) throw new EmulatorError(10021, `topic ${topicId} already exists`);
    group.topics.set(topicId, { id: topicId, name, createdAt: nowSeconds(), nextSeq: 1, messages: [] });
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
      channel.messages.push({ seq, from, text, random, time: nowSeconds(), recalled: false, deleted: false });
    }
    return seq;
  }

  /** Marks a message deleted or expired, as history shows it with IsPlaceMsg 1; false when there is none. */
  deleteMessage(sdkAppId: number, groupId: string, seq: number, topicId?: string): boolean {
    const message = this.findMessage(this.channel(this.requireGroup(sdkAppId, groupId), topicId), seq);
    if (!message) return false;
    message.deleted = true;
    return true;
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
    const { messages } = this.channel(this.requireGroup(sdkAppId, groupId), topicId);
    let count = 0;
    for (let i = Math.max(0, messages.length - RECALL_WINDOW); i < messages.length; i++) {
      const message = messages[i]!;
      if (message.from === sender && !message.recalled && !message.deleted) {
        message.recalled = true;
        count++;
      }
    }
    return count;
  }

  /** Recalls messages by seq, answering group_msg_recall's RetCode for each. */
  recallBySeq(
    sdkAppId: number,
    groupId: string,
    seqs: readonly number[],
    topicId?: string,
  ): { MsgSeq: number; RetCode: number }[] {
    const group = this.requireGroup(sdkAppId, groupId);
    const channel = this.channel(group, topicId);
    return seqs.map((seq) => {
      if (group.type === "AVChatRoom") {
        const sent = seq >= 1 && seq < channel.nextSeq;
        return { MsgSeq: seq, RetCode: sent ? 0 : RECALL_RET_CODES.notFound };
      }
      const message = this.findMessage(channel, seq);
      if (!message || message.deleted) return { MsgSeq: seq, RetCode: RECALL_RET_CODES.notFound };
      if (message.recalled) return { MsgSeq: seq, RetCode: RECALL_RET_CODES.notRecallable };
      message.recalled = true;
      return { MsgSeq: seq, RetCode: 0 };
    });
  }

  messages(sdkAppId: number, groupId: string, topicId?: string): readonly StoredMessage[] {
    return this.channel(this.requireGroup(sdkAppId, groupId), topicId).messages;
  }

  requireGroup(sdkAppId: number, groupId: string): Group {
    const group = this.requireApp(sdkAppId).groups.get(groupId);
    if (!group) throw new EmulatorError(10010, `group ${groupId} does not exist or was dismissed`);
    return group;
  }

  channel(group: Group, topicId?: string): Channel {
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

  private findMessage(channel: Channel, seq: number): StoredMessage | undefined {
    return Number.isInteger(seq) && seq >= 1 ? channel.messages[seq - 1] : undefined;
  }

  private requireApp(sdkAppId: number): App {
    const app = this.apps.get(sdkAppId);
    if (!app) throw new EmulatorError(70020, `SDKAppID ${sdkAppId} not found`);
    return app;
  }
}
