import { randomUUID } from "node:crypto";
import { createClient, describeFailure, recallOne, type RecallResult } from "../recall/run.js";
import { checkGroupId, checkUserId, InputError, topicGroup } from "../recall/validate.js";
import {
  PropertyError,
  resolveConnection,
  type Environment,
  type Properties,
  type StackConfig,
} from "./connection.js";
import {
  CONNECTION_PROPERTIES,
  IDENTITY_PROPERTIES,
  PUBLIC_CONNECTION_PROPERTIES,
  RESULT_PROPERTIES,
  configKey,
} from "./names.js";

/*
 * The provider's operations, run inside Pulumi's dynamic provider host. The serialized provider
 * loads this module by its package name, so none of it is written into the program's state.
 */

/** How the engine marks a value that is not known until deployment (preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface CheckFailure {
  property: string;
  reason: string;
}

function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(isUnknown);
  return false;
}

/** IDs are trimmed, as the Action trims its list entries. */
function text(value: unknown): string {
  return String(value).trim();
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

export function readStackConfig(config: { get(key: string): unknown }): StackConfig {
  const result: StackConfig = {};
  for (const { property, shared } of CONNECTION_PROPERTIES) {
    const value = shared ? config.get(configKey(property)) : undefined;
    if (isSet(value)) result[property] = String(value);
  }
  return result;
}

function failureOf(property: string, check: () => void): CheckFailure[] {
  try {
    check();
    return [];
  } catch (error) {
    if (error instanceof InputError) return [{ property, reason: error.message }];
    throw error;
  }
}

function requiredId(property: string, value: unknown, what: string, check: (v: string) => void) {
  return failureOf(property, () => {
    if (typeof value !== "string" || value.trim() === "") {
      throw new InputError(`${property}: the ${what} is required.`);
    }
    check(value.trim());
  });
}

/** Checks what to recall; values not known yet (at preview) are let through. */
function identityFailures(inputs: Properties): CheckFailure[] {
  const { groupId, senderAccount, topicId, triggers } = inputs;
  const failures: CheckFailure[] = [];
  if (!isUnknown(groupId)) {
    failures.push(...requiredId("groupId", groupId, "group ID", (v) => checkGroupId(v, "groupId")));
  }
  if (!isUnknown(senderAccount)) {
    failures.push(
      ...requiredId("senderAccount", senderAccount, "sender's user ID", (v) =>
        checkUserId(v, "senderAccount"),
      ),
    );
  }
  if (isSet(topicId) && !isUnknown(topicId) && !isUnknown(groupId) && failures.length === 0) {
    failures.push(...failureOf("topicId", () => topicGroup(text(topicId), [text(groupId)], "topicId")));
  }
  if (isSet(triggers) && !Array.isArray(triggers)) {
    failures.push({
      property: "triggers",
      reason: "triggers: expected a list; any change to it recalls again.",
    });
  }
  return failures;
}

function connectionFailures(inputs: Properties, config: StackConfig, env: Environment): CheckFailure[] {
  if (CONNECTION_PROPERTIES.some((c) => isUnknown(inputs[c.property]))) return [];
  try {
    resolveConnection(inputs, config, env);
    return [];
  } catch (error) {
    if (error instanceof PropertyError) return [{ property: error.property, reason: error.message }];
    throw error;
  }
}

export async function check(news: Properties, config: StackConfig = {}, env: Environment = process.env) {
  const failures = [...identityFailures(news), ...connectionFailures(news, config, env)];
  return { inputs: news, failures };
}

function pick(from: Properties, properties: readonly string[]): Properties {
  return Object.fromEntries(properties.filter((p) => isSet(from[p])).map((p) => [p, from[p]]));
}

function outputsOf(inputs: Properties, result: RecallResult, recalledAt: Date): Properties {
  return {
    ...pick(inputs, IDENTITY_PROPERTIES),
    ...pick(inputs, PUBLIC_CONNECTION_PROPERTIES),
    actionStatus: result.actionStatus,
    errorCode: result.errorCode,
    errorInfo: result.errorInfo,
    attempts: result.attempts,
    recalledAt: recalledAt.toISOString(),
  };
}

/** Recalls the sender's messages; a non-zero ErrorCode fails the operation with the code and its meaning. */
export async function create(inputs: Properties, config: StackConfig = {}, env: Environment = process.env) {
  if (isUnknown(inputs)) return { id: "", outs: previewOutputs(inputs) };
  const failures = identityFailures(inputs);
  if (failures.length > 0) throw new InputError(failures.map((f) => f.reason).join(" "));
  const connection = resolveConnection(inputs, config, env);
  const client = createClient(connection);
  let result: RecallResult;
  try {
    result = await recallOne(client, {
      group: text(inputs.groupId),
      sender: text(inputs.senderAccount),
      ...(isSet(inputs.topicId) ? { topic: text(inputs.topicId) } : {}),
    });
  } finally {
    client.close();
  }
  if (result.actionStatus !== "OK") throw new Error(describeFailure(result));
  return { id: randomUUID(), outs: outputsOf(inputs, result, new Date()) };
}

/** A preview does not call the API: the outcome is not known until deployment. */
function previewOutputs(inputs: Properties): Properties {
  const results = Object.fromEntries(RESULT_PROPERTIES.map((p) => [p, UNKNOWN]));
  return { ...pick(inputs, IDENTITY_PROPERTIES), ...pick(inputs, PUBLIC_CONNECTION_PROPERTIES), ...results };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** What to recall changed: replace (recall again). How to connect changed: update the state only. */
export async function diff(olds: Properties, news: Properties) {
  const replaces = IDENTITY_PROPERTIES.filter((p) => !same(olds[p], news[p]));
  const updates = PUBLIC_CONNECTION_PROPERTIES.filter((p) => !same(olds[p], news[p]));
  return { changes: replaces.length > 0 || updates.length > 0, replaces, deleteBeforeReplace: false };
}

/** Keeps the outcome of the recall that was made and records the new connection settings. */
export async function update(olds: Properties, news: Properties) {
  const kept = Object.fromEntries(
    Object.entries(olds).filter(([p]) => p !== "__provider" && !PUBLIC_CONNECTION_PROPERTIES.includes(p)),
  );
  return { outs: { ...kept, ...pick(news, PUBLIC_CONNECTION_PROPERTIES) } };
}
