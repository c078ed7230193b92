import type { ChatAuth } from "../chat/client.js";
import { endpointProblem, isRegion, REGION_NAMES, type Region } from "../chat/endpoint.js";
import { checkId, splitIds, type IdKind } from "./ids.js";
import { InputError, quote } from "./input-error.js";
import { planScopes, type Scope } from "./plan.js";

export type SettingName =
  | "group"
  | "sender"
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
  boolean?: true;
  secret?: true;
  /** Also read from `TENCENT_CHAT_<NAME>` by the command line and the Pulumi provider. */
  environment?: true;
  /** The Pulumi resource argument. */
  property?: string;
  /** Also read from the Pulumi stack configuration `tencent-chat:<property>`. */
  stackConfig?: true;
}

const MAX_ATTEMPTS = 20;
const MAX_REQUEST_TIMEOUT_SECONDS = 600;
const MAX_CALLS_PER_SECOND = 50_000;
const SDK_APP_ID_LIMIT = 2 ** 32;
export const MODES = ["silent", "notify"] as const;
export type Mode = (typeof MODES)[number];

/** Every setting of a recall: the one place their names, defaults and sources are declared. */
export const SETTINGS: readonly SettingSpec[] = [
  { name: "group", placeholder: "ID", summary: "group ID(s)", ids: "group", property: "groupId" },
  { name: "sender", placeholder: "ID", summary: "sender user ID(s)", ids: "user", property: "senderAccount" },
  {
    name: "topic",
    placeholder: "ID",
    summary: "Community topic ID(s), each of a listed group",
    ids: "topic",
    property: "topicId",
  },
  {
    name: "sdk-app-id",
    placeholder: "N",
    summary: "the app's SDKAppID",
    environment: true,
    property: "sdkAppId",
    stackConfig: true,
  },
  {
    name: "secret-key",
    placeholder: "KEY",
    summary: "the app's secret key",
    secret: true,
    environment: true,
    property: "secretKey",
    stackConfig: true,
  },
  {
    name: "user-sig",
    placeholder: "SIG",
    summary: "a ready admin UserSig instead of the secret key",
    secret: true,
    environment: true,
    property: "userSig",
    stackConfig: true,
  },
  {
    name: "identifier",
    placeholder: "ID",
    summary: "the app admin account",
    default: "administrator",
    environment: true,
    property: "identifier",
    stackConfig: true,
  },
  {
    name: "region",
    placeholder: "NAME",
    summary: REGION_NAMES.join(", "),
    default: "china",
    environment: true,
    property: "region",
    stackConfig: true,
  },
  {
    name: "endpoint",
    placeholder: "URL",
    summary: "base URL instead of the region's domain",
    environment: true,
    property: "endpoint",
    stackConfig: true,
  },
  {
    name: "max-attempts",
    placeholder: "N",
    summary: "attempts per call",
    default: "5",
    property: "maxAttempts",
  },
  {
    name: "request-timeout",
    placeholder: "S",
    summary: "seconds per HTTP request",
    default: "10",
    property: "requestTimeout",
  },
  {
    name: "max-calls-per-second",
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
export interface Connection {
  sdkAppId: number;
  identifier: string;
  auth: ChatAuth;
  region: Region;
  endpoint?: string;
  maxAttempts: number;
  requestTimeoutMs: number;
  maxCallsPerSecond: number;
}

export interface RecallSettings {
  scopes: Scope[];
  senders: string[];
  connection: Connection;
  preflight: boolean;
  dryRun: boolean;
  verify: boolean;
  mode: Mode;
}

interface Found {
  values: string[];
  exact: boolean;
  label: string;
}

function isSet(value: SourceValue | undefined): value is SourceValue {
  return value !== undefined && value.values.some((v) => v.trim() !== "");
}

/** Reads settings over ordered sources: the first source that sets a setting gives it. */
class Resolver {
  constructor(private readonly sources: readonly Source[]) {}

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

  ids(name: SettingName): { ids: string[]; label: string } {
    const spec = settingSpec(name);
    const found = this.find(name);
    if (!found) return { ids: [], label: this.label(name) };
    const ids = found.exact
      ? found.values.map((v) => v.trim()).filter(Boolean)
      : found.values.flatMap((v) => splitIds(v, spec.ids!, name, found.label));
    ids.forEach((id) => checkId(id, spec.ids!, name, found.label));
    return { ids: [...new Set(ids)], label: found.label };
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

function parseInteger(name: SettingName, r: Resolver, min: number, max: number, what: string): number {
  const { value, label } = r.text(name);
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new InputError(name, `${label}: expected ${what} from ${min} to ${max}, got ${quote(value)}.`);
  }
  return number;
}

function parseNumber(name: SettingName, r: Resolver, min: number, max: number): number {
  const { value, label } = r.text(name);
  const number = Number(value);
  if (value === "" || !Number.isFinite(number) || number < min || number > max) {
    throw new InputError(name, `${label}: expected a number from ${min} to ${max}, got ${quote(value)}.`);
  }
  return number;
}

function parseBoolean(name: SettingName, r: Resolver): boolean {
  const { value, label } = r.text(name);
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  throw new InputError(name, `${label}: expected true or false, got ${quote(value)}.`);
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

function parseMode(r: Resolver): Mode {
  const { value, label } = r.text("mode");
  if (!(MODES as readonly string[]).includes(value)) {
    throw new InputError("mode", `${label}: expected ${MODES.join(" or ")}, got ${quote(value)}.`);
  }
  return value as Mode;
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

function connectionOf(r: Resolver, checks: Checks): Connection | undefined {
  const endpoint = checks.part(["endpoint"], () => parseEndpoint(r));
  const parts = {
    sdkAppId: checks.part(["sdk-app-id"], () => parseSdkAppId(r)),
    identifier: checks.part(["identifier"], () => parseIdentifier(r)),
    auth: checks.part(["secret-key", "user-sig"], () => r.auth()),
    region: checks.part(["region"], () => parseRegion(r)),
    maxAttempts: checks.part(["max-attempts"], () =>
      parseInteger("max-attempts", r, 1, MAX_ATTEMPTS, "a whole number"),
    ),
    requestTimeoutMs: checks.part(
      ["request-timeout"],
      () => parseNumber("request-timeout", r, 1, MAX_REQUEST_TIMEOUT_SECONDS) * 1000,
    ),
    maxCallsPerSecond: checks.part(["max-calls-per-second"], () =>
      parseNumber("max-calls-per-second", r, 1, MAX_CALLS_PER_SECOND),
    ),
  };
  if (Object.values(parts).some((v) => v === undefined)) return undefined;
  const complete = parts as { [K in keyof typeof parts]: NonNullable<(typeof parts)[K]> };
  return { ...complete, ...(endpoint ? { endpoint } : {}) };
}

function requireIds(name: SettingName, r: Resolver, what: string): string[] {
  const { ids, label } = r.ids(name);
  if (ids.length === 0) {
    throw new InputError(name, `${label}: give at least one ${what}.`);
  }
  return ids;
}

/** The connection alone, for front doors that do not recall (the history command). */
export function resolveConnection(sources: readonly Source[]): Connection {
  const checks = new Checks(new Set());
  const connection = connectionOf(new Resolver(sources), checks);
  if (checks.problems.length > 0) throw checks.problems[0];
  return connection!;
}

/**
 * Reads and checks every setting before anything is sent. Settings in `unknown` (not known until
 * deployment) are left out of the checks; the settings are then undefined.
 */
export function checkSettings(
  sources: readonly Source[],
  unknown: ReadonlySet<SettingName> = new Set(),
): { settings?: RecallSettings; problems: InputError[] } {
  const r = new Resolver(sources);
  const checks = new Checks(unknown);
  const groups = checks.part(["group"], () => requireIds("group", r, "group ID"));
  const senders = checks.part(["sender"], () => requireIds("sender", r, "sender user ID"));
  const topics = checks.part(["topic"], () => r.ids("topic").ids);
  const scopes =
    groups && topics
      ? checks.part(["group", "topic"], () => planScopes(groups, topics, r.label("topic")))
      : undefined;
  const settings = {
    scopes,
    senders,
    connection: connectionOf(r, checks),
    preflight: checks.part(["preflight"], () => parseBoolean("preflight", r)),
    dryRun: checks.part(["dry-run"], () => parseBoolean("dry-run", r)),
    verify: checks.part(["verify"], () => parseBoolean("verify", r)),
    mode: checks.part(["mode"], () => parseMode(r)),
  };
  const complete = checks.problems.length === 0 && Object.values(settings).every((v) => v !== undefined);
  return { ...(complete ? { settings: settings as RecallSettings } : {}), problems: checks.problems };
}

/** Reads and checks every setting; the first problem is thrown, naming the setting as the user gave it. */
export function resolveSettings(sources: readonly Source[]): RecallSettings {
  const { settings, problems } = checkSettings(sources);
  if (problems.length > 0) throw problems[0];
  return settings!;
}
