import { SETTINGS, type SettingSpec } from "../recall/settings.js";
import type { SettingName } from "../recall/types.js";

/** The namespace of the stack configuration keys, as in `tencent-chat:sdkAppId`. */
export const CONFIG_NAMESPACE = "tencent-chat";

/** Inputs that say what to recall: a change to any of them recalls again (replaces the resource). */
export const IDENTITY_PROPERTIES: readonly string[] = [
  "groupId",
  "senderAccount",
  "topicId",
  "since",
  "until",
  "depth",
  "triggers",
];

/** Outputs that describe the recall that was made. */
export const RESULT_PROPERTIES = [
  "actionStatus",
  "errorCode",
  "errorInfo",
  "attempts",
  "recalledAt",
  "recalledMessages",
  "remainingMessages",
] as const;

/** Settings given as resource arguments that say how to recall (not what). */
const HOW_SETTINGS = SETTINGS.filter((s) => s.property && !IDENTITY_PROPERTIES.includes(s.property));

/** How-to-recall arguments that may be kept in outputs, so that a change to them shows as an update. */
export const PUBLIC_HOW_PROPERTIES = HOW_SETTINGS.filter((s) => !s.secret).map((s) => s.property!);

export function configKey(property: string): string {
  return `${CONFIG_NAMESPACE}:${property}`;
}

/** The resource argument of a setting, to attach a problem to it. */
export function propertyOf(setting: SettingName | undefined): string {
  return SETTINGS.find((s) => s.name === setting)?.property ?? "groupId";
}

/** The JavaScript types a resource argument may have: numbers may also be written as text. */
export function argumentTypes(spec: SettingSpec): readonly ("string" | "number" | "boolean")[] {
  if (spec.boolean) return ["boolean"];
  if (spec.range || spec.name === "sdk-app-id") return ["number", "string"];
  return ["string"];
}
