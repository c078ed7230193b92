import { GROUP_ID_MAX_BYTES, PRINTABLE_ASCII } from "./fields.js";
import {
  EmulatorError,
  GROUP_TYPE_ALIASES,
  GROUP_TYPES,
  groupType,
  type AppConfig,
  type EmulatorState,
  type GroupType,
} from "./state.js";

export interface SeedMessage {
  from: string;
  text: string;
  /** Name of one of the group's `topics`. */
  topic?: string;
  /** Stored already recalled (history shows IsPlaceMsg 2 when asked for recalled messages). */
  recalled?: boolean;
  /** Stored deleted or expired (history shows IsPlaceMsg 1). */
  deleted?: boolean;
  /** Sent this many seconds before the seed is applied (default 0); past the app's retention it is expired. */
  secondsAgo?: number;
}

export interface SeedGroup {
  sdkAppId: number;
  groupId?: string;
  type: GroupType | keyof typeof GROUP_TYPE_ALIASES;
  name?: string;
  owner?: string;
  /** Topic names (Community groups only); topic IDs are `{groupId}@TOPIC#_{name}`. */
  topics?: string[];
  /** Member accounts besides the owner and the senders (who join by sending), imported when they are not. */
  members?: string[];
  messages?: SeedMessage[];
}

/** Many groups at once: IDs `{idPrefix}{n}` (Community ones `@TGS#_{idPrefix}{n}`), n from 1 to count. */
export interface SeedGroupBatch {
  sdkAppId: number;
  count: number;
  /** Types given in turn (default Public only). */
  types?: GroupType[];
  /** Default `batch{k}-` for the k-th batch. */
  idPrefix?: string;
  /** Topics `topic-1`..`topic-N` in each Community group of the batch. */
  topicsPerCommunity?: number;
}

/** An app of a seed: what the emulator starts with, and the accounts applySeed imports. */
export interface SeedApp extends AppConfig {
  /** Accounts imported before the groups are seeded (admins, owners, members and senders are anyway). */
  accounts?: string[];
  /** Accounts imported, then deleted once every group is seeded: their messages stay in history. */
  deletedAccounts?: string[];
}

/** A JSON description of apps and their groups, topics and messages to start the emulator with. */
export interface Seed {
  apps?: SeedApp[];
  groups?: SeedGroup[];
  groupBatches?: SeedGroupBatch[];
}

/** A seed that does not describe what it should, with where in it (e.g. `groups[2].type`). */
export class SeedError extends Error {
  override readonly name = "SeedError";
}

const SEED_KEYS = ["apps", "groups", "groupBatches"];
const APP_KEYS = [
  "sdkAppId",
  "secretKey",
  "admins",
  "accounts",
  "deletedAccounts",
  "historyRetentionSeconds",
];
const GROUP_KEYS = ["sdkAppId", "groupId", "type", "name", "owner", "topics", "members", "messages"];
const MESSAGE_KEYS = ["from", "text", "topic", "recalled", "deleted", "secondsAgo"];
const BATCH_KEYS = ["sdkAppId", "count", "types", "idPrefix", "topicsPerCommunity"];
const VALID_TYPES = [...GROUP_TYPES, ...Object.keys(GROUP_TYPE_ALIASES)].join(", ");
const MAX_BATCH = 1_000_000;
/** Bound of secondsAgo and historyRetentionSeconds: about 31 years, so that message times stay positive. */
const MAX_SECONDS = 1_000_000_000;
/**
 * The most a seed may create in all: apps, groups (groupBatches counts summed), topics (a batch's
 * topicsPerCommunity times its Community groups), messages, and accounts named (admins, accounts,
 * deletedAccounts, owners, members). A million groups take about 600 MB of the emulator's memory.
 */
const MAX_SEED_ITEMS = 1_000_000;
/**
 * The deepest a seed may nest arrays and objects. A seed needs 5 levels (the seed, `groups`, a group,
 * its `messages`, a message); the bound only keeps absurd nesting from reaching code that recurses.
 */
const MAX_SEED_DEPTH = 32;
/** Longest string quoted whole in an error message. */
const DESCRIBED_CHARS = 60;
/** Most unknown keys an error message lists. */
const LISTED_KEYS = 5;

type Json = Record<string, unknown>;

/** A short description of a value for an error message, whatever its size or depth. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? "" : "s"}`;
  if (value !== null && typeof value === "object") return "an object";
  if (typeof value === "string" && value.length > DESCRIBED_CHARS) {
    return `${JSON.stringify(value.slice(0, DESCRIBED_CHARS))}... (${value.length} characters)`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** Refuses JSON nested deeper than MAX_SEED_DEPTH; walks it with a stack of its own, not by recursion. */
function checkDepth(root: unknown): void {
  const pending: { value: unknown; depth: number }[] = [{ value: root, depth: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (value === null || typeof value !== "object") continue;
    if (depth > MAX_SEED_DEPTH) {
      throw new SeedError(
        `seed: arrays and objects nested more than ${MAX_SEED_DEPTH} levels deep; a seed needs at most 5`,
      );
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child !== null && typeof child === "object") pending.push({ value: child, depth: depth + 1 });
    }
  }
}

/** Counts what a seed creates as it is read, and refuses it past MAX_SEED_ITEMS. */
class Budget {
  private used = 0;

  take(items: number, path: string): void {
    this.used += items;
    if (this.used > MAX_SEED_ITEMS) {
      throw new SeedError(
        `${path}: the seed would create more than ${MAX_SEED_ITEMS} apps, groups, topics, messages and accounts in all (groupBatches counts included), the most a seed may`,
      );
    }
  }

  /** An array whose every element creates something. */
  list(value: unknown, path: string): unknown[] {
    const items = list(value, path);
    this.take(items.length, path);
    return items;
  }

  names(value: unknown, path: string): string[] {
    return this.list(value, path).map((name, i) => text(name, `${path}[${i}]`));
  }
}

function object(value: unknown, path: string, keys: string[]): Json {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new SeedError(`${path}: expected an object, got ${describe(value)}`);
  }
  const unknown = Object.keys(value).filter((key) => !keys.includes(key));
  if (unknown.length > 0) {
    const more = unknown.length > LISTED_KEYS ? ` and ${unknown.length - LISTED_KEYS} more` : "";
    throw new SeedError(
      `${path}: unknown key${unknown.length > 1 ? "s" : ""} ${unknown.slice(0, LISTED_KEYS).map(describe).join(", ")}${more}; expected ${keys.join(", ")}`,
    );
  }
  return value as Json;
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new SeedError(`${path}: expected an array, got ${describe(value)}`);
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== "string" || value === "") {
    throw new SeedError(`${path}: expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function flag(value: unknown, path: string): boolean {
  if (typeof value !== "boolean")
    throw new SeedError(`${path}: expected true or false, got ${describe(value)}`);
  return value;
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new SeedError(`${path}: expected an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

function count(value: unknown, path: string, max: number): number {
  return integer(value, path, 0, max);
}

/** A positive integer below 2^32, written as a JSON number (a string such as "1400000001" is refused). */
function sdkAppId(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0 || value >= 2 ** 32) {
    const hint = typeof value === "string" ? " (write it as a JSON number, without quotes)" : "";
    throw new SeedError(
      `${path}: expected the SDKAppID, a positive integer below 2^32, got ${describe(value)}${hint}`,
    );
  }
  return value;
}

function type(value: unknown, path: string): GroupType {
  const found = typeof value === "string" ? groupType(value) : undefined;
  if (!found)
    throw new SeedError(`${path}: unknown group type ${describe(value)}; valid types: ${VALID_TYPES}`);
  return found;
}

function optional<T>(json: Json, key: string, path: string, read: (value: unknown, path: string) => T) {
  return json[key] === undefined ? {} : { [key]: read(json[key], `${path}.${key}`) };
}

function parseApp(value: unknown, path: string, budget: Budget): SeedApp {
  const app = object(value, path, APP_KEYS);
  const names = (v: unknown, p: string) => budget.names(v, p);
  return {
    sdkAppId: sdkAppId(app.sdkAppId, `${path}.sdkAppId`),
    secretKey: text(app.secretKey, `${path}.secretKey`),
    ...optional(app, "admins", path, names),
    ...optional(app, "accounts", path, names),
    ...optional(app, "deletedAccounts", path, names),
    ...optional(app, "historyRetentionSeconds", path, (v, p) => integer(v, p, 1, MAX_SECONDS)),
  };
}

function parseMessage(value: unknown, path: string): SeedMessage {
  const message = object(value, path, MESSAGE_KEYS);
  return {
    from: text(message.from, `${path}.from`),
    text: typeof message.text === "string" ? message.text : text(message.text, `${path}.text`),
    ...optional(message, "topic", path, text),
    ...optional(message, "recalled", path, flag),
    ...optional(message, "deleted", path, flag),
    ...optional(message, "secondsAgo", path, (v, p) => count(v, p, MAX_SECONDS)),
  };
}

function parseGroup(value: unknown, path: string, budget: Budget): SeedGroup {
  const group = object(value, path, GROUP_KEYS);
  const names = (v: unknown, p: string) => budget.names(v, p);
  if (group.owner !== undefined) budget.take(1, `${path}.owner`);
  return {
    sdkAppId: sdkAppId(group.sdkAppId, `${path}.sdkAppId`),
    type: type(group.type, `${path}.type`),
    ...optional(group, "groupId", path, text),
    ...optional(group, "name", path, text),
    ...optional(group, "owner", path, text),
    ...optional(group, "topics", path, names),
    ...optional(group, "members", path, names),
    ...optional(group, "messages", path, (v, p) =>
      budget.list(v, p).map((m, i) => parseMessage(m, `${p}[${i}]`)),
    ),
  };
}

/** How many of a batch's groups are Community groups, its types being given in turn. */
function communities(count: number, types: readonly GroupType[]): number {
  const inTurn = (n: number) => types.slice(0, n).filter((t) => t === "Community").length;
  return types.length === 0
    ? 0
    : Math.floor(count / types.length) * inTurn(types.length) + inTurn(count % types.length);
}

function parseBatch(value: unknown, path: string, budget: Budget): SeedGroupBatch {
  const batch = object(value, path, BATCH_KEYS);
  const parsed = parseBatchFields(batch, path);
  budget.take(parsed.count, `${path}.count`);
  const topics = communities(parsed.count, parsed.types ?? []) * (parsed.topicsPerCommunity ?? 0);
  budget.take(topics, `${path}.topicsPerCommunity`);
  return parsed;
}

function parseBatchFields(batch: Json, path: string): SeedGroupBatch {
  return {
    sdkAppId: sdkAppId(batch.sdkAppId, `${path}.sdkAppId`),
    count: count(batch.count, `${path}.count`, MAX_BATCH),
    ...optional(batch, "types", path, (v, p) => list(v, p).map((t, i) => type(t, `${p}[${i}]`))),
    ...optional(batch, "idPrefix", path, (v, p) => {
      const prefix = text(v, p);
      if (!PRINTABLE_ASCII.test(prefix) || prefix.startsWith("@TGS#")) {
        throw new SeedError(`${p}: expected printable ASCII not starting with @TGS#, got ${describe(v)}`);
      }
      return prefix;
    }),
    ...optional(batch, "topicsPerCommunity", path, (v, p) => count(v, p, 1000)),
  };
}

/**
 * Checks JSON read from a seed file and returns it as a Seed; a SeedError names the entry at fault, or
 * the limit passed (MAX_SEED_DEPTH, MAX_SEED_ITEMS).
 */
export function parseSeed(value: unknown): Seed {
  checkDepth(value);
  const seed = object(value, "seed", SEED_KEYS);
  const budget = new Budget();
  const entries = <T>(
    key: string,
    parse: (entry: unknown, path: string, budget: Budget) => T,
    creates: boolean,
  ): T[] | undefined => {
    if (seed[key] === undefined) return undefined;
    const items = creates ? budget.list(seed[key], key) : list(seed[key], key);
    return items.map((entry, i) => parse(entry, `${key}[${i}]`, budget));
  };
  const apps = entries("apps", parseApp, true);
  const groups = entries("groups", parseGroup, true);
  const groupBatches = entries("groupBatches", parseBatch, false);
  return { ...(apps && { apps }), ...(groups && { groups }), ...(groupBatches && { groupBatches }) };
}

function requireApp(state: EmulatorState, id: number, path: string): void {
  if (!state.app(id))
    throw new SeedError(`${path}.sdkAppId: no app ${id}; list it in "apps" (or with --app)`);
}

function applyGroup(state: EmulatorState, g: SeedGroup, path: string): string {
  requireApp(state, g.sdkAppId, path);
  const groupId = state.createGroup(g.sdkAppId, {
    type: g.type,
    ...(g.groupId ? { groupId: g.groupId } : {}),
    ...(g.name ? { name: g.name } : {}),
    ...(g.owner ? { owner: g.owner } : {}),
  });
  const topics = new Map(
    (g.topics ?? []).map((name) => [name, state.createTopic(g.sdkAppId, groupId, name)]),
  );
  (g.members ?? []).forEach((member) => state.addMember(g.sdkAppId, groupId, member));
  const now = Math.floor(Date.now() / 1000);
  (g.messages ?? []).forEach((m, i) => {
    const topicId = m.topic === undefined ? undefined : topics.get(m.topic);
    if (m.topic !== undefined && topicId === undefined) {
      throw new SeedError(
        `${path}.messages[${i}].topic: group ${groupId} has no topic ${describe(m.topic)}; list it in "topics"`,
      );
    }
    const time = now - (m.secondsAgo ?? 0);
    const seq = state.sendMessage(g.sdkAppId, groupId, m.from, m.text, topicId, 0, time);
    if (m.recalled) state.recallBySeq(g.sdkAppId, groupId, [seq], topicId);
    if (m.deleted) state.deleteMessage(g.sdkAppId, groupId, seq, topicId);
  });
  return groupId;
}

function applyBatch(state: EmulatorState, batch: SeedGroupBatch, index: number, ids: string[]): void {
  const path = `groupBatches[${index}]`;
  requireApp(state, batch.sdkAppId, path);
  const types = batch.types && batch.types.length > 0 ? batch.types : ["Public" as const];
  const prefix = batch.idPrefix ?? `batch${index + 1}-`;
  const longest = `@TGS#_${prefix}${batch.count}`;
  if (Buffer.byteLength(longest) > GROUP_ID_MAX_BYTES) {
    throw new SeedError(`${path}.idPrefix: IDs such as ${longest} would exceed ${GROUP_ID_MAX_BYTES} bytes`);
  }
  for (let n = 1; n <= batch.count; n++) {
    const type = types[(n - 1) % types.length]!;
    const groupId = state.createGroup(batch.sdkAppId, {
      type,
      groupId: `${type === "Community" ? "@TGS#_" : ""}${prefix}${n}`,
    });
    if (type === "Community") {
      for (let t = 1; t <= (batch.topicsPerCommunity ?? 0); t++) {
        state.createTopic(batch.sdkAppId, groupId, `topic-${t}`);
      }
    }
    ids.push(groupId);
  }
}

function atEntry<T>(path: string, apply: () => T): T {
  try {
    return apply();
  } catch (error) {
    if (error instanceof EmulatorError) throw new SeedError(`${path}: ${error.message}`);
    throw error;
  }
}

/** Imports the accounts of each seed app, which must already be in `state` (startEmulator adds them). */
function importAccounts(state: EmulatorState, apps: readonly SeedApp[]): void {
  apps.forEach((app, i) => {
    const accounts = [...(app.accounts ?? []), ...(app.deletedAccounts ?? [])];
    if (accounts.length === 0) return;
    if (!state.app(app.sdkAppId)) {
      throw new SeedError(
        `apps[${i}].sdkAppId: app ${app.sdkAppId} is not in the emulator; start it with the seed's apps`,
      );
    }
    accounts.forEach((userId) => state.importAccount(app.sdkAppId, userId));
  });
}

/**
 * Imports the seed apps' accounts, creates the seed's groups, topics, members and messages, then
 * deletes the apps' deletedAccounts; returns the IDs of the groups created, in order. The apps
 * themselves are added by startEmulator.
 */
export function applySeed(state: EmulatorState, seed: Seed): string[] {
  importAccounts(state, seed.apps ?? []);
  const ids = (seed.groups ?? []).map((g, i) =>
    atEntry(`groups[${i}]`, () => applyGroup(state, g, `groups[${i}]`)),
  );
  (seed.groupBatches ?? []).forEach((batch, i) => {
    atEntry(`groupBatches[${i}]`, () => applyBatch(state, batch, i, ids));
  });
  for (const app of seed.apps ?? []) {
    (app.deletedAccounts ?? []).forEach((userId) => state.deleteAccount(app.sdkAppId, userId));
  }
  return ids;
}
