import { randomUUID } from "node:crypto";
import { runFailed } from "../recall/describe.js";
import { InputError } from "../recall/input-error.js";
import { RecallSession } from "../recall/session.js";
import { SETTINGS, type RecallSettings } from "../recall/settings.js";
import type { PairResult, SettingName } from "../recall/types.js";
import { checkSettings } from "../recall/resolve.js";
import { secretsOf } from "../recall/secret-settings.js";
import { sharedClient } from "./clients.js";
import { IDENTITY_PROPERTIES, PUBLIC_HOW_PROPERTIES, propertyOf, RESULT_PROPERTIES } from "./names.js";
import { resourceSources, type Environment, type Properties, type StackConfig } from "./sources.js";

export { readStackConfig } from "./sources.js";

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

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function unknownSettings(inputs: Properties): Set<SettingName> {
  return new Set(SETTINGS.filter((s) => s.property && isUnknown(inputs[s.property])).map((s) => s.name));
}

/** Checks what a resource says, with the Action's rules; values not known yet (at preview) are let through. */
export async function check(news: Properties, config: StackConfig = {}, env: Environment = process.env) {
  const { settings, problems } = checkSettings(resourceSources(news, config, env), {
    unknown: unknownSettings(news),
    env,
  });
  const failures: CheckFailure[] = problems.map((p) => ({
    property: propertyOf(p.setting),
    reason: p.message,
  }));
  const fanOut = settings && fanOutProblem(settings);
  if (fanOut) failures.push(fanOut);
  if (isSet(news.triggers) && !Array.isArray(news.triggers)) {
    failures.push({
      property: "triggers",
      reason: "triggers: expected a list; any change to it recalls again.",
    });
  }
  return { inputs: news, failures };
}

/** A resource recalls in one group or topic: "*" is refused. */
function fanOutProblem(settings: RecallSettings): CheckFailure | undefined {
  if (!settings.discover) return undefined;
  const property = settings.discover.groups === "all" ? "groupId" : "topicId";
  return {
    property,
    reason: `${property}: "*" (every group or topic) is for the Action and the command line; a GroupMessageRecall recalls in one group or topic.`,
  };
}

function pick(from: Properties, properties: readonly string[]): Properties {
  return Object.fromEntries(properties.filter((p) => isSet(from[p])).map((p) => [p, from[p]]));
}

function outputsOf(inputs: Properties, result: PairResult, recalledAt: Date): Properties {
  return {
    ...pick(inputs, IDENTITY_PROPERTIES),
    ...pick(inputs, PUBLIC_HOW_PROPERTIES),
    actionStatus: result.actionStatus,
    errorCode: result.errorCode,
    errorInfo: result.errorInfo,
    attempts: result.attempts,
    recalledAt: recalledAt.toISOString(),
    recalledMessages: result.messages,
    remainingMessages: result.remaining,
  };
}

/** Recalls the sender's messages; a failure fails the operation with the code and its meaning. */
export async function create(inputs: Properties, config: StackConfig = {}, env: Environment = process.env) {
  if (isUnknown(inputs)) return { id: "", outs: previewOutputs(inputs) };
  const sources = resourceSources(inputs, config, env);
  const { settings, problems } = checkSettings(sources, { env });
  if (!settings) throw new InputError(problems[0]?.setting, problems.map((p) => p.message).join(" "));
  const fanOut = fanOutProblem(settings);
  if (fanOut) throw new InputError("group", fanOut.reason);
  let result: PairResult | undefined;
  const session = new RecallSession(settings, {
    client: sharedClient(settings.connection, secretsOf(sources)),
    events: { result: (event) => (result = event.result) },
  });
  const summary = await session.run();
  if (runFailed(summary)) throw new Error(summary.firstFailure?.message ?? summary.stopCause!.message);
  return { id: randomUUID(), outs: outputsOf(inputs, result!, new Date()) };
}

/** A preview does not call the API: the outcome is not known until deployment. */
function previewOutputs(inputs: Properties): Properties {
  const results = Object.fromEntries(RESULT_PROPERTIES.map((p) => [p, UNKNOWN]));
  return { ...pick(inputs, IDENTITY_PROPERTIES), ...pick(inputs, PUBLIC_HOW_PROPERTIES), ...results };
}

/** Equal as the settings read them: a number and its decimal text are the same value. */
function same(a: unknown, b: unknown): boolean {
  const text = (v: unknown) => JSON.stringify(typeof v === "number" ? String(v) : (v ?? null));
  return text(a) === text(b);
}

/** What to recall changed: replace (recall again). How to recall changed: update the state only. */
export async function diff(olds: Properties, news: Properties) {
  const replaces = IDENTITY_PROPERTIES.filter((p) => !same(olds[p], news[p]));
  const updates = PUBLIC_HOW_PROPERTIES.filter((p) => !same(olds[p], news[p]));
  return { changes: replaces.length > 0 || updates.length > 0, replaces, deleteBeforeReplace: false };
}

/** Keeps the outcome of the recall that was made and records the new settings. */
export async function update(olds: Properties, news: Properties) {
  const kept = Object.fromEntries(
    Object.entries(olds).filter(([p]) => p !== "__provider" && !PUBLIC_HOW_PROPERTIES.includes(p)),
  );
  return { outs: { ...kept, ...pick(news, PUBLIC_HOW_PROPERTIES) } };
}
