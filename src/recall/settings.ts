import type { ChatClientOptions } from "../chat/client.js";
import { planTargets, type RecallTarget } from "./plan.js";
import {
  checkUserId,
  chooseAuth,
  parseEndpoint,
  parsePositiveInteger,
  parsePositiveNumber,
  parseRegion,
  parseList,
  parseSdkAppId,
  requireList,
} from "./validate.js";

/** The inputs shared by the Action and the command line, as text, by their Action names. */
export const SETTING_DEFAULTS = {
  group: "",
  sender: "",
  topic: "",
  "sdk-app-id": "",
  "secret-key": "",
  "user-sig": "",
  identifier: "administrator",
  region: "china",
  endpoint: "",
  "max-attempts": "5",
  "request-timeout": "10",
  "max-calls-per-second": "200",
};

export type SettingName = keyof typeof SETTING_DEFAULTS;

/** The environment variable the command line and the Pulumi provider read a setting from: `sdk-app-id` → `TENCENT_CHAT_SDK_APP_ID`. */
export function environmentVariable(setting: SettingName): string {
  return `TENCENT_CHAT_${setting.replace(/-/g, "_").toUpperCase()}`;
}
export type RawSettings = Record<SettingName, string>;

/** Where and as whom calls are made, how persistently, and how fast. */
export interface Connection extends Pick<
  ChatClientOptions,
  "sdkAppId" | "identifier" | "auth" | "region" | "endpoint" | "maxAttempts" | "requestTimeoutMs"
> {
  maxCallsPerSecond: number;
}

export interface RecallSettings {
  targets: RecallTarget[];
  connection: Connection;
}

/**
 * Validates every setting before anything is sent. `label` turns a setting's name into the name
 * the user knows it by (an Action input, a command-line flag).
 */
export function parseSettings(raw: RawSettings, label: (name: SettingName) => string): RecallSettings {
  const groups = requireList(raw.group, label("group"), "group ID");
  const senders = requireList(raw.sender, label("sender"), "sender user ID");
  const targets = planTargets(groups, senders, parseList(raw.topic), {
    group: label("group"),
    sender: label("sender"),
    topic: label("topic"),
  });
  return { targets, connection: parseConnection(raw, label) };
}

export function parseConnection(
  raw: Omit<RawSettings, "group" | "sender" | "topic">,
  label: (name: SettingName) => string,
): Connection {
  const identifier = raw.identifier.trim() || SETTING_DEFAULTS.identifier;
  checkUserId(identifier, label("identifier"));
  const endpoint = parseEndpoint(raw.endpoint, label("endpoint"));
  return {
    sdkAppId: parseSdkAppId(raw["sdk-app-id"], label("sdk-app-id")),
    identifier,
    auth: chooseAuth(raw["secret-key"], raw["user-sig"], {
      secretKey: label("secret-key"),
      userSig: label("user-sig"),
    }),
    region: parseRegion(raw.region || SETTING_DEFAULTS.region, label("region")),
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: parsePositiveInteger(raw["max-attempts"], label("max-attempts"), 20),
    requestTimeoutMs: parsePositiveNumber(raw["request-timeout"], label("request-timeout"), 300) * 1000,
    maxCallsPerSecond: parsePositiveNumber(
      raw["max-calls-per-second"],
      label("max-calls-per-second"),
      10_000,
    ),
  };
}
