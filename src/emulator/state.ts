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

/** How long messages stay in roaming history when the app says nothing else: 7 days, Tencent's default. */
export const DEFAULT_HISTORY_RETENTION_SECONDS = 7 * 24 * 3600;

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
  /** The `Reason` group_msg_recall was given when it recalled the message. */
  recallReason?: string;
  /** Deleted (or stored as expired): history shows a placeholder (IsPlaceMsg 1). Expiry by age is computed. */
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
  /** Member accounts in join order (the owner first when there is one). */
  members: Set<string>;
}

export interface AppConfig {
  sdkAppId: number;
  secretKey: string;
  /** App admin accounts; `administrator` when not given. */
  admins?: string[];
  /** Messages older than this many seconds have left roaming history (default 7 days). */
  historyRetentionSeconds?: number;
}

export interface App {
  sdkAppId: number;
  secretKey: string;
  admins: Set<string>;
  /** Imported accounts (the admins among them). */
  accounts: Set<string>;
  /** Each account's groups, in join order. */
  joined: Map<string, Set<Group>>;
  historyRetentionSeconds: number;
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
    const retention = config.historyRetentionSeconds ?? DEFAULT_HISTORY_RETENTION_SECONDS;
    if (!(Number.isInteger(retention) && retention >= 0)) {
      throw new RangeError("historyRetentionSeconds must be an integer, 0 or more");
    }
    const admins = config.admins ?? ["administrator"];
    this.apps.set(config.sdkAppId, {
      sdkAppId: config.sdkAppId,
      secretKey: config.secretKey,
      admins: new Set(admins),
      accounts: new Set(admins),
      joined: new Map(),
      historyRetentionSeconds: retention,
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
      members: new Set(),
    };
    app.groups.set(id, group);
    app.groupOrder.push(group);
    app.groupOrderByType.get(type)!.push(group);
    if (options.owner) this.join(app, group, options.owner);
    return id;
  }

  /** Imports an account (account_import); importing one that exists changes nothing. */
  importAccount(sdkAppId: number, userId: string): void {
    this.requireApp(sdkAppId).accounts.add(userId);
  }

  /** Deletes an account and its group memberships (account_delete); its messages stay in history. */
  deleteAccount(sdkAppId: number, userId: string): void {
    const app = this.requireApp(sdkAppId);
    app.accounts.delete(userId);
    for (const group of app.joined.get(userId) ?? []) group.members.delete(userId);
    app.joined.delete(userId);
  }

  isAccount(sdkAppId: number, userId: string): boolean {
    return this.requireApp(sdkAppId).accounts.has(userId);
  }

  /** Makes the user a member of the group, importing the account when it is not one. */
  addMember(sdkAppId: number, groupId: string, userId: string): void {
    const app = this.requireApp(sdkAppId);
    this.join(app, this.requireGroup(sdkAppId, groupId), userId);
  }

  /** The groups the user is a member of, in join order (none for an account that is not imported). */
  joinedGroups(sdkAppId: number, userId: string): readonly Group[] {
    return [...(this.requireApp(sdkAppId).joined.get(userId) ?? [])];
  }

  /** Whether the message has left the app's roaming history by age (history shows it as IsPlaceMsg 1). */
  isExpired(sdkAppId: number, message: StoredMessage): boolean {
    return message.time < this.historyStart(this.requireApp(sdkAppId));
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
    time = nowSeconds(),
  ): number {
    const app = this.requireApp(sdkAppId);
    const group = this.requireGroup(sdkAppId, groupId);
    const channel = this.channel(group, topicId);
    if (app.admins.has(from)) app.accounts.add(from);
    else this.join(app, group, from);
    const seq = channel.nextSeq++;
    if (group.type !== "AVChatRoom") {
      channel.messages.push({ seq, from, text, random, time, recalled: false, deleted: false });
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
    const start = this.historyStart(this.requireApp(sdkAppId));
    let count = 0;
    for (let i = Math.max(0, messages.length - RECALL_WINDOW); i < messages.length; i++) {
      const message = messages[i]!;
      if (message.from === sender && !message.recalled && !message.deleted && message.time >= start) {
        message.recalled = true;
        count++;
      }
    }
    return count;
  }

  /** Recalls messages by seq, answering group_msg_recall's RetCode for each; keeps `reason` on each recalled. */
  recallBySeq(
    sdkAppId: number,
    groupId: string,
    seqs: readonly number[],
    topicId?: string,
    reason?: string,
  ): { MsgSeq: number; RetCode: number }[] {
    const group = this.requireGroup(sdkAppId, groupId);
    const channel = this.channel(group, topicId);
    const start = this.historyStart(this.requireApp(sdkAppId));
    return seqs.map((seq) => {
      if (group.type === "AVChatRoom") {
        const sent = seq >= 1 && seq < channel.nextSeq;
        return { MsgSeq: seq, RetCode: sent ? 0 : RECALL_RET_CODES.notFound };
      }
      const message = this.findMessage(channel, seq);
      if (!message || message.deleted || message.time < start) {
        return { MsgSeq: seq, RetCode: RECALL_RET_CODES.notFound };
      }
      if (message.recalled) return { MsgSeq: seq, RetCode: RECALL_RET_CODES.notRecallable };
      message.recalled = true;
      if (reason !== undefined) message.recallReason = reason;
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

  private join(app: App, group: Group, userId: string): void {
    app.accounts.add(userId);
    if (group.members.has(userId)) return;
    group.members.add(userId);
    let groups = app.joined.get(userId);
    if (!groups) app.joined.set(userId, (groups = new Set()));
    groups.add(group);
  }

  /** The oldest message time still in the app's roaming history. */
  private historyStart(app: App): number {
    return nowSeconds() - app.historyRetentionSeconds;
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
