import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from "node:fs";
import { isAbsolute, relative, resolve as resolvePath, sep } from "node:path";
import type { ChatAuth } from "../chat/client.js";
import { baseUrls, endpointProblem, isRegion, REGION_NAMES, type Region } from "../chat/endpoint.js";
import { apiCommand, APIS } from "../chat/throttle.js";
import { closest } from "./closest.js";
import { proxyProblem, type ProxyEnv } from "../chat/proxy.js";
import { checkId, idName, idProblem, isWellFormedId, splitIds } from "./ids.js";
import { InputError, quote } from "./input-error.js";
import { LISTED_TYPES, TYPE_ALIASES } from "./listing.js";
import { planScopes } from "./plan.js";
import {
  MAX_REASON_BYTES,
  recallsBySeq,
  CALLS_PER_SECOND,
  SETTINGS,
  settingSpec,
  type Connection,
  type Discovery,
  type Mode,
  type RecallSettings,
  type Selection,
  type Source,
  type SourceValue,
} from "./settings.js";
import type { IdKind, Scope, SettingName } from "./types.js";

const SDK_APP_ID_LIMIT = 2 ** 32;
/** The value of `group` and `topic` that means every one of them. */
const EVERY = "*";

interface Found {
  values: string[];
  exact: boolean;
  label: string;
}

function isSet(value: SourceValue | undefined): value is SourceValue {
  return value !== undefined && value.values.some((v) => v.trim() !== "");
}

/** List files larger than this are refused; no more than this (and a byte) is ever read of one. */
const MAX_LIST_FILE_BYTES = 50 * 1024 * 1024;
/** List files are read in chunks of this many bytes. */
const LIST_FILE_CHUNK_BYTES = 64 * 1024;

/** Where list files are read from, and what is said when one is elsewhere. */
interface ListFileRules {
  /** Where relative paths start, and (unless `allowOutside`) the only place list files are read from. */
  baseDirectory: string;
  /** How messages name the base directory. */
  baseName: string;
  allowOutside: boolean;
  /** What to do about a file outside the base directory. */
  remedy: string;
}

/** What a path that is not a regular file is, for a message. */
function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSymbolicLink()) return "a symbolic link";
  return "not a file";
}

/** Whether `path` is `directory` or inside it (both real paths). */
function isInside(path: string, directory: string): boolean {
  const rel = relative(directory, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The real path of a directory, or the path as it is when it cannot be resolved. */
function realDirectory(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolvePath(path);
  }
}

/**
 * The text of a regular file, read to at most MAX_LIST_FILE_BYTES whatever its size says (a file
 * can grow, and some report 0). Opened without blocking, so that a named pipe put there meanwhile
 * is refused rather than waited on.
 */
function readRegularFile(path: string, refuse: (why: string) => never): string {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
  const fd = openSync(path, flags);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile())
      refuse(`is not a regular file (${fileKind(stats)}): a list file must be a regular file.`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(LIST_FILE_CHUNK_BYTES, MAX_LIST_FILE_BYTES + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      total += read;
      if (total > MAX_LIST_FILE_BYTES) throw new Error(`larger than ${MAX_LIST_FILE_BYTES} bytes`);
    }
    return Buffer.concat(chunks, total).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** Reads settings over ordered sources: the first source that sets a setting gives it. */
class Resolver {
  /** What is let through but worth a word to the user. */
  readonly warnings: string[] = [];
  private readonly files: ListFileRules;

  constructor(
    private readonly sources: readonly Source[],
    files: Partial<ListFileRules> = {},
  ) {
    const baseName = files.baseName ?? "the base directory";
    this.files = {
      baseDirectory: files.baseDirectory ?? process.cwd(),
      baseName,
      allowOutside: files.allowOutside ?? false,
      remedy: files.remedy ?? `Put the file in ${baseName}.`,
    };
  }

  find(name: SettingName, from: readonly Source[] = this.sources): Found | undefined {
    const spec = settingSpec(name);
    for (const source of from) {
      const value = source.get(spec);
      if (isSet(value)) {
        return { values: value.values, exact: value.exact === true, label: source.label(spec) ?? name };
      }
    }
    return undefined;
  }

  /** Whether any source can give the setting. */
  offers(name: SettingName): boolean {
    const spec = settingSpec(name);
    return this.sources.some((s) => s.label(spec) !== undefined);
  }

  label(name: SettingName): string {
    const spec = settingSpec(name);
    return this.sources.map((s) => s.label(spec)).find((l) => l !== undefined) ?? name;
  }

  /** Every name a setting may be given under, for "set X, Y or Z". */
  places(name: SettingName): string {
    const spec = settingSpec(name);
    const labels = this.sources.map((s) => s.label(spec)).filter((l) => l !== undefined);
    return labels.length > 1 ? `${labels.slice(0, -1).join(", ")} or ${labels.at(-1)}` : (labels[0] ?? name);
  }

  /** The text of a single-valued setting (the last, when given twice), or its default. */
  text(name: SettingName): { value: string; label: string } {
    const found = this.find(name);
    if (found) return { value: found.values.at(-1)!.trim(), label: found.label };
    return { value: settingSpec(name).default ?? "", label: this.label(name) };
  }

  /** Whether a setting is "*", every one; "*" among other values is refused. */
  every(name: SettingName): boolean {
    const found = this.find(name);
    const values =
      found?.values
        .flatMap((v) => v.split(/[\r\n,]/))
        .map((v) => v.trim())
        .filter(Boolean) ?? [];
    if (!values.includes(EVERY)) return false;
    if (values.length > 1) {
      throw new InputError(
        name,
        `${found!.label}: "${EVERY}" means every one, and cannot be given with other IDs.`,
      );
    }
    return true;
  }

  /** A list setting's IDs, with those of the file that feeds it, each checked, each once. */
  ids(name: SettingName): { ids: string[]; label: string } {
    const spec = settingSpec(name);
    const found = this.find(name);
    const inline = !found
      ? []
      : found.exact
        ? found.values.map((v) => v.trim()).filter(Boolean)
        : found.values.flatMap((v) => splitIds(v, spec.ids!, name, found.label));
    inline.forEach((id) => checkId(id, spec.ids!, name, found!.label));
    if (found && !found.exact) {
      const lines = found.values.filter((v) => /[\r\n]/.test(v)).flatMap((v) => v.split(/\r\n|\r|\n/));
      lines.forEach((line, i) => {
        if (line.includes(",")) this.warnCommaLine(found.label, `line ${i + 1}`, line.trim());
      });
    }
    const file = SETTINGS.find((s) => s.feeds === name);
    const listed = file ? this.fileIds(file.name, spec.ids!) : [];
    return { ids: [...new Set([...inline, ...listed])], label: found?.label ?? this.label(name) };
  }

  /** The IDs of a list file: one per line, blank lines and lines starting with # left out. */
  private fileIds(name: SettingName, kind: IdKind): string[] {
    const found = this.find(name);
    if (!found) return [];
    const given = found.values.at(-1)!.trim();
    const path = resolvePath(this.files.baseDirectory, given);
    const refuse = (why: string): never => {
      throw new InputError(name, `${found.label}: ${quote(path)} ${why}`);
    };
    let text: string;
    try {
      const real = realpathSync(path);
      const base = realDirectory(this.files.baseDirectory);
      if (!this.files.allowOutside && !isInside(real, base)) {
        const { baseName, remedy } = this.files;
        const where = real === path ? `${quote(given)} is` : `${quote(given)} leads to ${quote(real)},`;
        throw new InputError(
          name,
          `${found.label}: ${where} outside ${baseName} (${base}): list files are read only from there. ${remedy}`,
        );
      }
      text = readRegularFile(real, refuse);
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(name, `${found.label}: cannot read ${quote(path)}: ${(error as Error).message}`);
    }
    const lines = text.split(/\r\n|\r|\n/).map((line, i) => ({ id: line.trim(), line: i + 1 }));
    const ids = lines.filter(({ id }) => id !== "" && !id.startsWith("#"));
    ids.forEach(({ id, line }, i) => {
      // The line could be anything (a file that is not a list): say where and why, never what.
      if (!isWellFormedId(id, kind))
        throw new InputError(
          name,
          `${found.label}: line ${line} of ${quote(path)} is not a ${idName(kind)}: ${idProblem(id, kind)} (the line is not shown).`,
        );
      if (id.includes(", ")) this.warnCommaLine(found.label, `${quote(path)}, ID ${i + 1}`, id);
    });
    return ids.map(({ id }) => id);
  }

  /** A line of a list is one ID, comma or not: when it looks like several, say how it was read. */
  private warnCommaLine(label: string, where: string, id: string): void {
    this.warnings.push(
      `${label}, ${where}: ${quote(id)} holds a comma and is read as one ID, as each line of a list is. If it lists several IDs, put each on a line of its own.`,
    );
  }

  /** The secret key and the UserSig are one credential: it comes from the first source that sets either. */
  auth(): ChatAuth {
    const source = this.sources.find(
      (s) => isSet(s.get(settingSpec("secret-key"))) || isSet(s.get(settingSpec("user-sig"))),
    );
    if (!source) {
      throw new InputError(
        "secret-key",
        `${this.label("secret-key")} or ${this.label("user-sig")} is required: pass the app's secret key from a secret (set ${this.places("secret-key")}), or a ready admin UserSig.`,
      );
    }
    const key = this.find("secret-key", [source]);
    const sig = this.find("user-sig", [source]);
    if (key && sig)
      throw new InputError(
        "secret-key",
        `${key.label} and ${sig.label} are both set; give only one of them.`,
      );
    if (key) return { secretKey: key.values.at(-1)!.trim() };
    return { userSig: sig!.values.at(-1)!.trim() };
  }
}

function parseInteger(name: SettingName, r: Resolver, what: string): number {
  const { min, max } = settingSpec(name).range!;
  const { value, label } = r.text(name);
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new InputError(name, `${label}: expected ${what} from ${min} to ${max}, got ${quote(value)}.`);
  }
  return number;
}

/** A plain decimal number (5, 2.5, 0.5), or undefined: no sign, exponent, other base or bare point. */
export function parseDecimal(text: string): number | undefined {
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}

/** Ceilings of particular APIs: `API=N`, a line each or separated by commas; undefined when none is given. */
function parseApiCeilings(r: Resolver): Record<string, number> | undefined {
  const { value, label } = r.text("api-ceilings");
  if (value === "") return undefined;
  const { min, max } = CALLS_PER_SECOND;
  const ceilings: Record<string, number> = {};
  for (const entry of value
    .split(/[\r\n,]+/)
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [api = "", ceiling = ""] = entry.split("=").map((part) => part.trim());
    if (apiCommand(api) === undefined) {
      const [likely] = closest(api, Object.keys(APIS), 1);
      throw new InputError(
        "api-ceilings",
        `${label}: unknown API ${quote(api)}${likely ? ` (did you mean ${likely}?)` : ""}; give API=N with one of ${Object.keys(APIS).join(", ")}.`,
      );
    }
    const number = parseDecimal(ceiling);
    if (number === undefined || number < min || number > max) {
      throw new InputError(
        "api-ceilings",
        `${label}: ${api}: expected calls per second, a decimal number from ${min} to ${max}, got ${quote(ceiling)}.`,
      );
    }
    ceilings[api] = number;
  }
  return ceilings;
}

function parseNumber(name: SettingName, r: Resolver): number {
  const { min, max } = settingSpec(name).range!;
  const { value, label } = r.text(name);
  const number = parseDecimal(value);
  if (number === undefined || number < min || number > max) {
    throw new InputError(
      name,
      `${label}: expected a decimal number from ${min} to ${max} (such as 5 or 2.5), got ${quote(value)}.`,
    );
  }
  return number;
}

/** The booleans of YAML 1.2's core schema, as the runner passes them; undefined for any other word. */
function booleanWord(value: string): boolean | undefined {
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  return undefined;
}

function parseBoolean(name: SettingName, r: Resolver): boolean {
  const { value, label } = r.text(name);
  const word = booleanWord(value);
  if (word === undefined)
    throw new InputError(name, `${label}: expected true or false, got ${quote(value)}.`);
  return word;
}

function parseSdkAppId(r: Resolver): number {
  const { value, label } = r.text("sdk-app-id");
  if (value === "") {
    throw new InputError("sdk-app-id", `${label}: the SDKAppID is required: set ${r.places("sdk-app-id")}.`);
  }
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number >= SDK_APP_ID_LIMIT) {
    throw new InputError(
      "sdk-app-id",
      `${label}: expected the SDKAppID, a number such as 1400000000 (below 2^32), got ${quote(value)}. Copy it from the Chat console.`,
    );
  }
  return number;
}

function parseRegion(r: Resolver): Region {
  const { value, label } = r.text("region");
  if (!isRegion(value)) {
    throw new InputError(
      "region",
      `${label}: unknown region ${quote(value)}; use one of ${REGION_NAMES.join(", ")}.`,
    );
  }
  return value;
}

function parseEndpoint(r: Resolver): string | undefined {
  const { value, label } = r.text("endpoint");
  if (value === "") return undefined;
  const problem = endpointProblem(value);
  if (problem) throw new InputError("endpoint", `${label}: endpoint ${quote(value)} ${problem}.`);
  return value;
}

function parseChoice<T extends string>(name: SettingName, r: Resolver): T {
  const choices = settingSpec(name).choices!;
  const { value, label } = r.text(name);
  if (!choices.includes(value)) {
    throw new InputError(name, `${label}: expected ${choices.join(" or ")}, got ${quote(value)}.`);
  }
  return value as T;
}

const DURATION_UNIT_SECONDS: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
};
/** Durations back from now reach at most this far. */
const MAX_DURATION_SECONDS = 3650 * 86_400;
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch of an ISO 8601 time with its zone; undefined for a date or time that does not exist (February 30th, 25:00). */
function isoTimeMs(value: string): number | undefined {
  const match = ISO_TIME.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second = 0] = match.slice(1, 7).map((n) => (n ? Number(n) : 0));
  const [sign, zoneHours, zoneMinutes] = [match[7], Number(match[8] ?? 0), Number(match[9] ?? 0)];
  const utc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second);
  const date = new Date(utc);
  const exists =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour! <= 23 &&
    minute! <= 59 &&
    second <= 59 &&
    zoneHours <= 23 &&
    zoneMinutes <= 59;
  return exists ? utc - (sign === "-" ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000 : undefined;
}

/** A time setting, in seconds since the epoch: an ISO 8601 time with its zone, or a duration back from `nowMs`. */
function parseTime(name: "since" | "until", r: Resolver, nowMs: number): number | undefined {
  const { value, label } = r.text(name);
  if (value === "") return undefined;
  const expected = `expected an ISO 8601 time with its zone, such as 2026-12-01T08:00:00Z, or a duration back from now, such as 90m, 36h or 7d (units s, m, h, d, w), got ${quote(value)}.`;
  if (/^(\d+[smhdw])+$/.test(value)) {
    let seconds = 0;
    for (const [, amount, unit] of value.matchAll(/(\d+)([smhdw])/g))
      seconds += Number(amount) * DURATION_UNIT_SECONDS[unit!]!;
    if (seconds > MAX_DURATION_SECONDS)
      throw new InputError(name, `${label}: ${quote(value)} reaches back more than 3650 days.`);
    return Math.floor(nowMs / 1000) - seconds;
  }
  const ms = isoTimeMs(value);
  if (ms === undefined) throw new InputError(name, `${label}: ${expected}`);
  if (name === "since" && ms > nowMs)
    throw new InputError(
      name,
      `${label}: ${quote(value)} is in the future: no message was sent after it yet.`,
    );
  return Math.floor(ms / 1000);
}

function selectionOf(r: Resolver, nowMs: number): Selection {
  const since = parseTime("since", r, nowMs);
  const until = parseTime("until", r, nowMs);
  if (since !== undefined && until !== undefined && since > until) {
    throw new InputError(
      "until",
      `${r.text("until").label}: the window ends before it starts (${r.text("since").label} is later); swap them.`,
    );
  }
  return {
    depth: parseInteger("depth", r, "a number of messages"),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
  };
}

function parseReason(r: Resolver): string | undefined {
  const { value, label } = r.text("reason");
  if (value === "") return undefined;
  if (/\p{Cc}/u.test(value))
    throw new InputError(
      "reason",
      `${label}: the reason must be one line of text, with no control characters.`,
    );
  const bytes = Buffer.byteLength(value);
  if (bytes > MAX_REASON_BYTES)
    throw new InputError(
      "reason",
      `${label}: the reason is ${bytes} bytes in UTF-8; group_msg_recall takes at most ${MAX_REASON_BYTES}.`,
    );
  return value;
}

/** The archive file: off, the front door's default file (true), or a path from the base directory. */
function parseArchive(
  r: Resolver,
  baseDirectory: string,
  defaultFile: string | undefined,
): { file?: string } {
  const { value, label } = r.text("archive");
  const word = value === "" ? false : booleanWord(value);
  if (word === false) return {};
  if (word === true) {
    if (!defaultFile) throw new InputError("archive", `${label}: give the path of the file to write.`);
    return { file: defaultFile };
  }
  return { file: resolvePath(baseDirectory, value) };
}

function parseIdentifier(r: Resolver): string {
  const { value, label } = r.text("identifier");
  checkId(value, "user", "identifier", label);
  return value;
}

/** Collects the problems of several independent checks, so that each can be reported. */
class Checks {
  readonly problems: InputError[] = [];

  constructor(private readonly unknown: ReadonlySet<SettingName>) {}

  /** The value `read` gives, or undefined when it reads a setting not known yet or finds a problem. */
  part<T>(reads: readonly SettingName[], read: () => T): T | undefined {
    if (reads.some((name) => this.unknown.has(name))) return undefined;
    try {
      return read();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.problems.push(error);
      return undefined;
    }
  }
}

/** How calls are made; a proxy in `env` that those calls would go through and that cannot be used is refused. */
function connectionOf(r: Resolver, checks: Checks, env: ProxyEnv): Connection | undefined {
  const endpoint = checks.part(["endpoint"], () => parseEndpoint(r));
  const parts = {
    sdkAppId: checks.part(["sdk-app-id"], () => parseSdkAppId(r)),
    identifier: checks.part(["identifier"], () => parseIdentifier(r)),
    auth: checks.part(["secret-key", "user-sig"], () => r.auth()),
    region: checks.part(["region"], () => parseRegion(r)),
    maxAttempts: checks.part(["max-attempts"], () => parseInteger("max-attempts", r, "a whole number")),
    requestTimeoutMs: checks.part(["request-timeout"], () => parseNumber("request-timeout", r) * 1000),
    maxCallsPerSecond: checks.part(["max-calls-per-second"], () => parseNumber("max-calls-per-second", r)),
  };
  const apiCeilings = checks.part(["api-ceilings"], () => parseApiCeilings(r));
  if (Object.values(parts).some((v) => v === undefined)) return undefined;
  const complete = parts as { [K in keyof typeof parts]: NonNullable<(typeof parts)[K]> };
  const proxy = proxyProblem(env, baseUrls(complete.region, endpoint));
  if (proxy) checks.problems.push(new InputError("endpoint", proxy));
  return { ...complete, ...(endpoint ? { endpoint } : {}), ...(apiCeilings ? { apiCeilings } : {}) };
}

function requireIds(name: SettingName, r: Resolver, what: string): string[] {
  const { ids, label } = r.ids(name);
  if (ids.length === 0) {
    const file = SETTINGS.find((s) => s.feeds === name && r.offers(s.name));
    throw new InputError(
      name,
      `${label}: give at least one ${what}${file ? ` (or ${r.label(file.name)})` : ""}.`,
    );
  }
  return ids;
}

/** The connection alone, for front doors that do not recall (the history command). */
export function resolveConnection(sources: readonly Source[], env: ProxyEnv = process.env): Connection {
  const checks = new Checks(new Set());
  const connection = connectionOf(new Resolver(sources), checks, env);
  if (checks.problems.length > 0) throw checks.problems[0];
  return connection!;
}

/**
 * Reads and checks every setting before anything is sent. Settings in `unknown` (not known until
 * deployment) are left out of the checks; the settings are then undefined.
 */
export interface CheckOptions {
  /** Settings not known until deployment. */
  unknown?: ReadonlySet<SettingName>;
  /** The environment that names a proxy; the process's by default. */
  env?: ProxyEnv;
  /** Where relative paths start, and the only place list files are read from (their real paths). */
  baseDirectory?: string;
  /** How messages name the base directory: "the workspace", "the current directory". */
  baseDirectoryName?: string;
  /** Reads list files outside the base directory too (the command line's --allow-files-outside). */
  allowListFilesOutsideBase?: boolean;
  /** What a user does about a list file outside the base directory; by default, put it inside. */
  outsideBaseRemedy?: string;
  /** The archive file that `archive: true` names, where the front door has one. */
  defaultArchive?: string;
  /** What durations count back from, in milliseconds since the epoch. */
  nowMs?: number;
}

export function checkSettings(
  sources: readonly Source[],
  options: CheckOptions = {},
): { settings?: RecallSettings; problems: InputError[] } {
  const unknown = options.unknown ?? new Set<SettingName>();
  const baseDirectory = options.baseDirectory ?? process.cwd();
  const r = new Resolver(sources, {
    baseDirectory,
    ...(options.baseDirectoryName === undefined ? {} : { baseName: options.baseDirectoryName }),
    ...(options.allowListFilesOutsideBase === undefined
      ? {}
      : { allowOutside: options.allowListFilesOutsideBase }),
    ...(options.outsideBaseRemedy === undefined ? {} : { remedy: options.outsideBaseRemedy }),
  });
  const checks = new Checks(unknown);
  const joinedGroups = checks.part(["joined-groups"], () => parseBoolean("joined-groups", r));
  const where = checks.part(
    ["group", "group-file", "topic", "group-type", "exclude-group", "joined-groups"],
    () => whereOf(r, joinedGroups!),
  );
  const how = {
    mode: checks.part(["mode"], () => parseChoice<Mode>("mode", r)),
    selection: checks.part(["depth", "since", "until"], () => selectionOf(r, options.nowMs ?? Date.now())),
    archive: checks.part(["archive"], () => parseArchive(r, baseDirectory, options.defaultArchive)),
  };
  const reason = checks.part(["reason", "mode", "depth", "since", "until", "archive"], () => {
    const reason = parseReason(r);
    const { mode, selection, archive } = how;
    if (reason === undefined || !mode || !selection || !archive) return { reason };
    if (!recallsBySeq({ mode, selection, ...(archive.file ? { archive: archive.file } : {}) })) {
      throw new InputError(
        "reason",
        `${r.text("reason").label}: the silent recall (delete_group_msg_by_sender) has no reason field; set mode to notify (or a time window, a depth or archive, which recall by seq) to send one, or leave the reason out.`,
      );
    }
    return { reason };
  });
  const settings = {
    ...where,
    senders: checks.part(["sender", "sender-file"], () => requireIds("sender", r, "sender user ID")),
    connection: connectionOf(r, checks, options.env ?? process.env),
    preflight: checks.part(["preflight"], () => parseBoolean("preflight", r)),
    dryRun: checks.part(["dry-run"], () => parseBoolean("dry-run", r)),
    verify: checks.part(["verify"], () => parseBoolean("verify", r)),
    mode: how.mode,
    selection: how.selection,
  };
  const complete =
    checks.problems.length === 0 &&
    where !== undefined &&
    reason !== undefined &&
    how.archive !== undefined &&
    Object.values(settings).every((v) => v !== undefined);
  if (!complete) return { problems: checks.problems };
  return {
    settings: {
      ...(settings as Omit<RecallSettings, "warnings">),
      ...(reason.reason === undefined ? {} : { reason: reason.reason }),
      ...(how.archive!.file ? { archive: how.archive!.file } : {}),
      warnings: r.warnings,
    },
    problems: [],
  };
}

/** The types a fan-out lists: those asked for (aliases taken), or every type that keeps history. */
function groupTypesOf(r: Resolver, fanOut: boolean): string[] {
  const found = r.find("group-type");
  if (!found) return [...LISTED_TYPES];
  if (!fanOut) {
    throw new InputError(
      "group-type",
      `${found.label}: filters the groups that group "${EVERY}" or joined-groups find; with listed groups, list only those to recall in.`,
    );
  }
  const names = found.values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
  const types = names.map((name) => {
    const type = TYPE_ALIASES[name] ?? name;
    if (type === "AVChatRoom") {
      throw new InputError(
        "group-type",
        `${found.label}: AVChatRoom groups keep no history, so there is nothing to recall in them.`,
      );
    }
    if (!(LISTED_TYPES as readonly string[]).includes(type)) {
      throw new InputError(
        "group-type",
        `${found.label}: unknown group type ${quote(name)}; use ${[...LISTED_TYPES, ...Object.keys(TYPE_ALIASES)].join(", ")}.`,
      );
    }
    return type;
  });
  return [...new Set(types)];
}

/** Where to recall: the listed groups or topics, or groups and topics to find first. */
function whereOf(r: Resolver, joinedGroups: boolean): { scopes: Scope[]; discover?: Discovery } {
  const everyGroup = r.every("group");
  if (everyGroup && r.find("group-file")) {
    throw new InputError(
      "group-file",
      `${r.label("group-file")}: group "${EVERY}" means every group; give no group file with it.`,
    );
  }
  const everyTopic = r.every("topic");
  const types = groupTypesOf(r, everyGroup || joinedGroups);
  const exclude = new Set(r.ids("exclude-group").ids);
  if ((everyGroup || joinedGroups) && r.find("topic") && !everyTopic) {
    throw new InputError(
      "topic",
      `${r.label("topic")}: with ${everyGroup ? `group "${EVERY}"` : r.label("joined-groups")}, give topic "${EVERY}" for every topic, or no topic.`,
    );
  }
  const listed = everyGroup ? [] : joinedGroups ? r.ids("group").ids : requireIds("group", r, "group ID");
  const groups = everyGroup ? "all" : listed.filter((g) => !exclude.has(g));
  if (everyGroup || everyTopic || joinedGroups)
    return { scopes: [], discover: { groups, types, exclude, everyTopic, joined: joinedGroups } };
  return { scopes: planScopes(groups as string[], r.ids("topic").ids, r.label("topic")) };
}

/** Reads and checks every setting; the first problem is thrown, naming the setting as the user gave it. */
export function resolveSettings(sources: readonly Source[], options: CheckOptions = {}): RecallSettings {
  const { settings, problems } = checkSettings(sources, options);
  if (problems.length > 0) throw problems[0];
  return settings!;
}
