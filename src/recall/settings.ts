import type { ChatClientOptions } from "../chat/client.js";
import { REGION_NAMES } from "../chat/endpoint.js";
import type { IdKind } from "./ids.js";
import type { Scope } from "./plan.js";

export type SettingName =
  | "group"
  | "group-file"
  | "exclude-group"
  | "group-type"
  | "sender"
  | "sender-file"
  | "topic"
  | "sdk-app-id"
  | "secret-key"
  | "user-sig"
  | "identifier"
  | "region"
  | "endpoint"
  | "max-attempts"
  | "request-timeout"
  | "max-calls-per-second"
  | "preflight"
  | "dry-run"
  | "verify"
  | "mode";

/** One setting of a recall, as every front door knows it. */
export interface SettingSpec {
  /** The Action input and command-line flag. */
  name: SettingName;
  /** What the value is, for help texts: ID, N, URL... */
  placeholder: string;
  summary: string;
  default?: string;
  /** A list of IDs of this kind. */
  ids?: IdKind;
  /** A file of IDs, one per line, that adds to this list setting. */
  feeds?: SettingName;
  boolean?: true;
  secret?: true;
  /** Also read from `TENCENT_CHAT_<NAME>` by the command line and the Pulumi provider. */
  environment?: true;
  /** The Pulumi resource argument. */
  property?: string;
  /** Also read from the Pulumi stack configuration `tencent-chat:<property>`. */
  stackConfig?: true;
  /** Says how to reach the service and sign in: all that reading a group's history needs. */
  connection?: true;
}

export const MODES = ["silent", "notify"] as const;
export type Mode = (typeof MODES)[number];

/** Every setting of a recall: the one place their names, defaults and sources are declared. */
export const SETTINGS: readonly SettingSpec[] = [
  {
    name: "group",
    placeholder: "ID",
    summary: 'group ID(s), or "*" for every group of the app',
    ids: "group",
    property: "groupId",
  },
  {
    name: "group-file",
    placeholder: "PATH",
    summary: "a file of group IDs, one per line (# starts a comment), relative to the workspace",
    feeds: "group",
  },
  {
    name: "exclude-group",
    placeholder: "ID",
    summary: "group ID(s) never to touch, even when listed",
    ids: "group",
  },
  {
    name: "group-type",
    placeholder: "TYPE",
    summary: `with group "*": only groups of these types (${["Public", "Private", "Work", "ChatRoom", "Meeting", "Community"].join(", ")})`,
  },
  { name: "sender", placeholder: "ID", summary: "sender user ID(s)", ids: "user", property: "senderAccount" },
  {
    name: "sender-file",
    placeholder: "PATH",
    summary: "a file of sender user IDs, one per line (# starts a comment), relative to the workspace",
    feeds: "sender",
  },
  {
    name: "topic",
    placeholder: "ID",
    summary: "Community topic ID(s), each of a listed group",
    ids: "topic",
    property: "topicId",
  },
  {
    name: "sdk-app-id",
    connection: true,
    placeholder: "N",
    summary: "the app's SDKAppID",
    environment: true,
    property: "sdkAppId",
    stackConfig: true,
  },
  {
    name: "secret-key",
    connection: true,
    placeholder: "KEY",
    summary: "the app's secret key",
    secret: true,
    environment: true,
    property: "secretKey",
    stackConfig: true,
  },
  {
    name: "user-sig",
    connection: true,
    placeholder: "SIG",
    summary: "a ready admin UserSig instead of the secret key",
    secret: true,
    environment: true,
    property: "userSig",
    stackConfig: true,
  },
  {
    name: "identifier",
    connection: true,
    placeholder: "ID",
    summary: "the app admin account",
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
    environment: true,
    property: "endpoint",
    stackConfig: true,
  },
  {
    name: "max-attempts",
    connection: true,
    placeholder: "N",
    summary: "attempts per call",
    default: "5",
    property: "maxAttempts",
  },
  {
    name: "request-timeout",
    connection: true,
    placeholder: "S",
    summary: "seconds per HTTP request",
    default: "10",
    property: "requestTimeout",
  },
  {
    name: "max-calls-per-second",
    connection: true,
    placeholder: "N",
    summary: "ceiling on calls per second to each API",
    default: "200",
    property: "maxCallsPerSecond",
  },
  {
    name: "preflight",
    placeholder: "BOOL",
    summary: "look the groups up first",
    default: "true",
    boolean: true,
    property: "preflight",
  },
  { name: "dry-run", placeholder: "BOOL", summary: "count, recall nothing", default: "false", boolean: true },
  {
    name: "verify",
    placeholder: "BOOL",
    summary: "count what is recalled afterwards",
    default: "false",
    boolean: true,
    property: "verify",
  },
  { name: "mode", placeholder: "MODE", summary: MODES.join(" or "), default: "silent", property: "mode" },
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
}
