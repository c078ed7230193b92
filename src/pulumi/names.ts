import { environmentVariable, type SettingName } from "../recall/settings.js";

/** The namespace of the stack configuration keys, as in `tencent-chat:sdkAppId`. */
export const CONFIG_NAMESPACE = "tencent-chat";

/** Inputs that say what to recall: a change to any of them recalls again (replaces the resource). */
export const IDENTITY_PROPERTIES = ["groupId", "senderAccount", "topicId", "triggers"] as const;

/** Outputs that describe the recall that was made. */
export const RESULT_PROPERTIES = [
  "actionStatus",
  "errorCode",
  "errorInfo",
  "attempts",
  "recalledAt",
] as const;

export interface ConnectionProperty {
  property: string;
  setting: SettingName;
  /** Set in stack configuration and environment as well as an argument. */
  shared: boolean;
  secret: boolean;
}

export const CONNECTION_PROPERTIES: readonly ConnectionProperty[] = [
  { property: "sdkAppId", setting: "sdk-app-id", shared: true, secret: false },
  { property: "secretKey", setting: "secret-key", shared: true, secret: true },
  { property: "userSig", setting: "user-sig", shared: true, secret: true },
  { property: "identifier", setting: "identifier", shared: true, secret: false },
  { property: "region", setting: "region", shared: true, secret: false },
  { property: "endpoint", setting: "endpoint", shared: true, secret: false },
  { property: "maxAttempts", setting: "max-attempts", shared: false, secret: false },
  { property: "requestTimeout", setting: "request-timeout", shared: false, secret: false },
];

/** Connection inputs that may be kept in outputs, so that a change to them shows as an update. */
export const PUBLIC_CONNECTION_PROPERTIES = CONNECTION_PROPERTIES.filter((c) => !c.secret).map(
  (c) => c.property,
);

export function configKey(property: string): string {
  return `${CONFIG_NAMESPACE}:${property}`;
}

export function environmentName(property: string): string {
  const setting = CONNECTION_PROPERTIES.find((c) => c.property === property)?.setting;
  if (!setting) throw new RangeError(`${property} is not a connection property`);
  return environmentVariable(setting);
}
