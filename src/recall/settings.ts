import type { ChatClientOptions } from "../chat/client.js";
import { REGION_NAMES } from "../chat/endpoint.js";
import { APIS } from "../chat/throttle.js";
import type { IdKind, Scope, SettingName } from "./types.js";

/** The bounds of a numeric setting, inclusive. */
export interface Range {
  min: number;
  max: number;
}

/** One setting of a recall, as every front door knows it and every document describes it. */
export interface SettingSpec {
  /** The Action input and command-line flag. */
  name: SettingName;
  /** What the value is, for help texts: ID, N, URL... */
  placeholder: string;
  /** One line for command-line help. */
  summary: string;
  /** The whole text for action.yml and the README. */
  description: string;
  default?: string;
  /** The step fails without it (the Action's `required`). */
  required?: true;
  /** Another setting that may be given instead of this one, or with it. */
  orSetting?: SettingName;
  /** A list of IDs of this kind. */
  ids?: IdKind;
  /** A file of IDs, one per line, that adds to this list setting. */
  feeds?: SettingName;
  boolean?: true;
  /** A number within these bounds. */
  range?: Range;
  /** One of these words. */
  choices?: readonly string[];
  secret?: true;
  /** Also read from `TENCENT_CHAT_<NAME>` by the command line and the Pulumi provider. */
  environment?: true;
  /** Says how to reach the service and sign in: all that reading a group's history needs. */
  connection?: true;
  /** The Pulumi resource argument. */
  property?: string;
  /** Also read from the Pulumi stack configuration `tencent-chat:<property>`. */
  stackConfig?: true;
  /** The Pulumi argument's text, where the resource differs from the Action (one group, one sender). */
  propertyDescription?: string;
}

export const MODES = ["silent", "notify"] as const;
export type Mode = (typeof MODES)[number];

export const MAX_ATTEMPTS: Range = { min: 1, max: 20 };
export const REQUEST_TIMEOUT_SECONDS: Range = { min: 1, max: 600 };
export const CALLS_PER_SECOND: Range = { min: 1, max: 50_000 };
/** delete_group_msg_by_sender looks at a group's (or topic's) newest messages, this many. */
export const RECALL_WINDOW = 1000;
/** Messages searched back in each group or topic: paging costs a call per 20 messages. */
const DEPTH: Range = { min: 1, max: 100_000 };
/** group_msg_recall's Reason is at most this many bytes. */
export const MAX_REASON_BYTES = 100;

const TIME_FORMS =
  "an ISO 8601 time with its zone (2026-12-01T08:00:00Z) or a duration back from now (90m, 36h, 7d)";

const LIST_FILE =
  "one per line (blank lines and lines starting with a # are left out), relative to the workspace";

/** Every setting of a recall: the one place their names, defaults, ranges, texts and sources are declared. */
export const SETTINGS: readonly SettingSpec[] = [
  {
    name: "group",
    placeholder: "ID",
    summary: 'group ID(s), or "*" for every group of the app',
    description:
      'Group ID(s), one per line (on a single line, auto-generated IDs @TGS#... may be separated by commas), or "*" for every group of the app.',
    orSetting: "group-file",
    ids: "group",
    property: "groupId",
    propertyDescription: "The group whose messages to recall.",
  },
  {
    name: "group-file",
    placeholder: "PATH",
    summary: "a file of group IDs, one per line (# starts a comment), relative to the workspace",
    description: `Path of a file of group IDs, ${LIST_FILE}. Adds to group.`,
    feeds: "group",
  },
  {
    name: "exclude-group",
    placeholder: "ID",
    summary: "group ID(s) never to touch, even when listed",
    description: 'Group ID(s) never to touch, even when listed or found by group "*".',
    ids: "group",
  },
  {
    name: "group-type",
    placeholder: "TYPE",
    summary: `with group "*": only groups of these types (${["Public", "Private", "Work", "ChatRoom", "Meeting", "Community"].join(", ")})`,
    description:
      'With group "*", only groups of these types - Public, Private (Work), ChatRoom (Meeting), Community - separated by commas or newlines. Default all four; AVChatRoom groups keep no history and are always left out.',
  },
  {
    name: "sender",
    placeholder: "ID",
    summary: "sender user ID(s)",
    description: "Sender user ID(s) whose messages are recalled, one per line or separated by commas.",
    orSetting: "sender-file",
    ids: "user",
    property: "senderAccount",
    propertyDescription: "The user ID whose messages are recalled.",
  },
  {
    name: "sender-file",
    placeholder: "PATH",
    summary: "a file of sender user IDs, one per line (# starts a comment), relative to the workspace",
    description: `Path of a file of sender user IDs, ${LIST_FILE}. Adds to sender.`,
    feeds: "sender",
  },
  {
    name: "topic",
    placeholder: "ID",
    summary: "Community topic ID(s), each of a listed group",
    description:
      'Topic ID(s) of a Community group, each of a listed group, or "*" for every topic of each Community group (one with no topics is recalled whole). With topics, every (topic, sender) pair is recalled.',
    ids: "topic",
    property: "topicId",
    propertyDescription: "A topic of the Community group, `<groupId>@TOPIC#_<name>`.",
  },
  {
    name: "sdk-app-id",
    connection: true,
    placeholder: "N",
    summary: "the app's SDKAppID",
    description: "The SDKAppID of the Chat app (a positive integer below 2^32).",
    required: true,
    environment: true,
    property: "sdkAppId",
    stackConfig: true,
  },
  {
    name: "secret-key",
    connection: true,
    placeholder: "KEY",
    summary: "the app's secret key",
    description:
      "The app's secret key (pass it from a repository secret); an admin UserSig is signed with it for each run.",
    orSetting: "user-sig",
    secret: true,
    environment: true,
    property: "secretKey",
    stackConfig: true,
    propertyDescription: "The app's secret key, held as a Pulumi secret.",
  },
  {
    name: "user-sig",
    connection: true,
    placeholder: "SIG",
    summary: "a ready admin UserSig instead of the secret key",
    description: "A ready admin UserSig, for those who sign elsewhere.",
    orSetting: "secret-key",
    secret: true,
    environment: true,
    property: "userSig",
    stackConfig: true,
    propertyDescription: "A ready admin UserSig instead of the secret key, held as a Pulumi secret.",
  },
  {
    name: "identifier",
    connection: true,
    placeholder: "ID",
    summary: "the app admin account",
    description: "The app admin account the calls are made as.",
    default: "administrator",
    environment: true,
    property: "identifier",
    stackConfig: true,
  },
  {
    name: "region",
    connection: true,
    placeholder: "NAME",
    summary: REGION_NAMES.join(", "),
    description: `Region of the app's data center - ${REGION_NAMES.slice(0, -1).join(", ")} or ${REGION_NAMES.at(-1)}.`,
    default: "china",
    environment: true,
    property: "region",
    stackConfig: true,
  },
  {
    name: "endpoint",
    connection: true,
    placeholder: "URL",
    summary: "base URL instead of the region's domain",
    description:
      "Base URL replacing the region's domain (a proxy, the emulator) - https, or http only for loopback; no query or fragment.",
    environment: true,
    property: "endpoint",
    stackConfig: true,
  },
  {
    name: "max-attempts",
    connection: true,
    placeholder: "N",
    summary: "attempts per call",
    description: `Attempts per call for transient failures, ${MAX_ATTEMPTS.min} to ${MAX_ATTEMPTS.max}. Rate-limited answers are retried apart, paced by the rate limiter.`,
    default: "5",
    range: MAX_ATTEMPTS,
    property: "maxAttempts",
  },
  {
    name: "request-timeout",
    connection: true,
    placeholder: "S",
    summary: "seconds per HTTP request",
    description: `Seconds allowed for each HTTP request, ${REQUEST_TIMEOUT_SECONDS.min} to ${REQUEST_TIMEOUT_SECONDS.max}.`,
    default: "10",
    range: REQUEST_TIMEOUT_SECONDS,
    property: "requestTimeout",
  },
  {
    name: "max-calls-per-second",
    connection: true,
    placeholder: "N",
    summary: "ceiling on calls per second to each API",
    description: `Ceiling on calls per second to each API, ${CALLS_PER_SECOND.min} to ${CALLS_PER_SECOND.max}, shared by every call that connects the same way (the documented limit is 200 per SDKAppID).`,
    default: "200",
    range: CALLS_PER_SECOND,
    property: "maxCallsPerSecond",
  },
  {
    name: "api-ceilings",
    connection: true,
    placeholder: "API=N",
    summary: "ceilings of particular APIs, e.g. group_msg_get_simple=2000 for a bought limit",
    description: `Ceilings of particular APIs, in calls per second, API=N a line or separated by commas - for a limit bought for an API (group_msg_get_simple, get_group_info, get_joined_group_list), or a lower one. They replace max-calls-per-second for those APIs. APIs - ${Object.keys(APIS).join(", ")}. Without one, account_check keeps to its documented 100/s and get_appid_group_list to 1/s; the recall APIs cannot be bought higher than 200/s.`,
    property: "apiCeilings",
  },
  {
    name: "preflight",
    placeholder: "BOOL",
    summary: "look the groups up first",
    description:
      "Look every group up first (get_group_info) - a missing group fails its pairs with no recall, an AVChatRoom (no history) skips them, a topic of a group that is not a Community stops the run before any recall - and check every sender (account_check) - one that is not an account and has no messages where the run looks fails. Set false for an admin without those permissions.",
    default: "true",
    boolean: true,
    property: "preflight",
  },
  {
    name: "dry-run",
    placeholder: "BOOL",
    summary: "count, recall nothing",
    description:
      "Recall nothing - count, per pair, the sender's messages among the last 1,000 of the group or topic that would be recalled.",
    default: "false",
    boolean: true,
  },
  {
    name: "verify",
    placeholder: "BOOL",
    summary: "count what is recalled afterwards",
    description:
      "After the recall, count per pair the sender's messages in the window that are recalled and those still not; a pair with any left fails.",
    default: "false",
    boolean: true,
    property: "verify",
  },
  {
    name: "mode",
    placeholder: "MODE",
    summary: MODES.join(" or "),
    description:
      "silent (delete_group_msg_by_sender - clients see it when they pull history) or notify (find the sender's messages and recall them by seq with group_msg_recall - clients see it at once).",
    default: "silent",
    choices: MODES,
    property: "mode",
  },
  {
    name: "since",
    placeholder: "TIME",
    summary: "only messages sent at or after this time (ISO 8601, or 90m, 36h, 7d back)",
    description: `Only the messages sent at or after this time - ${TIME_FORMS}. Recalls by seq with group_msg_recall (clients see it at once).`,
    property: "since",
  },
  {
    name: "until",
    placeholder: "TIME",
    summary: "only messages sent at or before this time (ISO 8601, or 90m, 36h, 7d back)",
    description: `Only the messages sent at or before this time - ${TIME_FORMS}. Recalls by seq with group_msg_recall (clients see it at once).`,
    property: "until",
  },
  {
    name: "depth",
    placeholder: "N",
    summary: `messages to search back in each group or topic (${DEPTH.min} to ${DEPTH.max})`,
    description: `Messages to search back in each group or topic, ${DEPTH.min} to ${DEPTH.max}. Any depth but ${RECALL_WINDOW} (what delete_group_msg_by_sender reaches) finds the sender's messages by paging the history, 20 a call, and recalls them by seq with group_msg_recall, which reaches any message still in the roaming history.`,
    default: String(RECALL_WINDOW),
    range: DEPTH,
    property: "depth",
  },
  {
    name: "reason",
    placeholder: "TEXT",
    summary: `why, sent with each recall by seq (at most ${MAX_REASON_BYTES} bytes)`,
    description: `Why the messages are recalled, at most ${MAX_REASON_BYTES} bytes, sent as group_msg_recall's Reason. Needs a recall by seq (mode notify, a time window, a depth other than ${RECALL_WINDOW}, or archive): the silent API has no reason field.`,
    property: "reason",
  },
  {
    name: "archive",
    placeholder: "FILE",
    summary: "write each message to a JSON Lines file before it is recalled",
    description:
      "Before recalling, write each message about to be recalled (group, topic, seq, time, sender, MsgRandom, MsgBody) as a JSON line to a file, named by the archive-file output, and recall exactly those messages by seq with group_msg_recall. A pair is recalled only once its messages are written. The file holds message content: people's data. true for a file beside the results file, or a path relative to the workspace.",
    default: "false",
  },
  {
    name: "joined-groups",
    placeholder: "BOOL",
    summary: "also recall in every group each sender is a member of",
    description:
      'Also recall in every group each sender is a member of (get_joined_group_list). Groups a sender left or was removed from are not listed: add them with group (a list, or "*"). exclude-group and group-type apply; AVChatRoom groups are left out.',
    default: "false",
    boolean: true,
  },
];

export function settingSpec(name: SettingName): SettingSpec {
  return SETTINGS.find((s) => s.name === name)!;
}

/** `sdk-app-id` → `TENCENT_CHAT_SDK_APP_ID`. */
export function environmentVariable(spec: SettingSpec): string {
  return `TENCENT_CHAT_${spec.name.replace(/-/g, "_").toUpperCase()}`;
}

/** What a source holds for one setting: one or several values (a flag given twice), each split into IDs unless `exact`. */
export interface SourceValue {
  values: string[];
  /** Each value is one ID as it is (a Pulumi argument), not a list to split. */
  exact?: boolean;
}

/** A place settings come from: the step's inputs, flags, the environment, resource arguments, stack configuration. */
export interface Source {
  get(spec: SettingSpec): SourceValue | undefined;
  /** How the user names the setting here: `Input "group"`, `--group`, `TENCENT_CHAT_REGION`, `groupId`. */
  label(spec: SettingSpec): string | undefined;
}

export function environmentSource(env: Partial<Record<string, string>>): Source {
  return {
    get: (spec) => {
      const value = spec.environment ? env[environmentVariable(spec)] : undefined;
      return value === undefined ? undefined : { values: [value] };
    },
    label: (spec) => (spec.environment ? environmentVariable(spec) : undefined),
  };
}

/** Where and as whom calls are made, how persistently, and how fast. */
export type Connection = Pick<
  ChatClientOptions,
  | "sdkAppId"
  | "identifier"
  | "auth"
  | "region"
  | "endpoint"
  | "maxAttempts"
  | "requestTimeoutMs"
  | "maxCallsPerSecond"
  | "apiCeilings"
>;

/** Groups and topics to find before recalling, instead of a list of them. */
export interface Discovery {
  /** Every group of the app, listed by type, or these groups. */
  groups: "all" | string[];
  /** The types to list, by the names get_appid_group_list takes. */
  types: string[];
  /** Groups never to touch. */
  exclude: ReadonlySet<string>;
  /** Every topic of each Community group found, instead of the group itself. */
  everyTopic: boolean;
  /** Also every group each sender is a member of, for that sender. */
  joined: boolean;
}

/** Which of the senders' messages: how far back to search, and within which times. */
export interface Selection {
  /** Messages searched back from the newest of each group or topic. */
  depth: number;
  /** Seconds since the epoch: only messages sent at or after this time. */
  since?: number;
  /** Seconds since the epoch: only messages sent at or before this time. */
  until?: number;
}

export interface RecallSettings {
  /** The groups or topics to recall in, when they are listed; empty when they are to be found (`discover`). */
  scopes: Scope[];
  discover?: Discovery;
  senders: string[];
  connection: Connection;
  preflight: boolean;
  dryRun: boolean;
  verify: boolean;
  mode: Mode;
  selection: Selection;
  /** Sent with each recall by seq. */
  reason?: string;
  /** The file each message is written to before it is recalled. */
  archive?: string;
  /** What the settings let through but the user should hear of, before the run. */
  warnings: string[];
}

/** The message counts a run makes: matched in a dry run; recalled with verify or a recall by seq; left with verify. */
export function countsMade(settings: RecallSettings): {
  matched: boolean;
  recalled: boolean;
  remaining: boolean;
} {
  const recalling = !settings.dryRun;
  return {
    matched: settings.dryRun,
    recalled: recalling && (settings.verify || recallsBySeq(settings)),
    remaining: recalling && settings.verify,
  };
}

/**
 * Whether messages are found first and recalled by seq with group_msg_recall: in notify mode, and
 * whenever only some of the sender's messages are meant (a time window, a depth other than the silent
 * API's window) or each must be archived first.
 */
export function recallsBySeq(settings: Pick<RecallSettings, "mode" | "selection" | "archive">): boolean {
  const { depth, since, until } = settings.selection;
  return (
    settings.mode === "notify" ||
    since !== undefined ||
    until !== undefined ||
    depth !== RECALL_WINDOW ||
    settings.archive !== undefined
  );
}
