import { endpointProblem, isRegion, REGION_NAMES, type Region } from "../chat/endpoint.js";
import type { ChatAuth } from "../chat/client.js";

/** Bad input from the user: reported as its message alone, before any call is made. */
export class InputError extends Error {
  override readonly name = "InputError";
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const TOPIC_MARK = "@TOPIC#_";
const COMMUNITY_PREFIX = "@TGS#_";

/** Splits a list input on newlines and commas, trimming entries and dropping empty ones. */
export function parseList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function checkId(value: string, input: string, what: string, maxBytes: number): void {
  if (!PRINTABLE_ASCII.test(value)) {
    throw new InputError(
      `${input}: ${what} ${JSON.stringify(value)} must be printable ASCII (no control or non-ASCII characters).`,
    );
  }
  if (value.length > maxBytes) {
    throw new InputError(
      `${input}: ${what} ${JSON.stringify(value)} is ${value.length} bytes; the limit is ${maxBytes}.`,
    );
  }
}

export function checkGroupId(value: string, input: string): void {
  checkId(value, input, "group ID", 48);
}

export function checkUserId(value: string, input: string): void {
  checkId(value, input, "user ID", 32);
}

/** Checks a topic ID and returns the listed group it belongs to. */
export function topicGroup(topic: string, groups: readonly string[], input: string): string {
  checkId(topic, input, "topic ID", 96);
  if (!topic.startsWith(COMMUNITY_PREFIX)) {
    throw new InputError(
      `${input}: topic ID ${JSON.stringify(topic)} must belong to a Community group, whose ID starts with ${COMMUNITY_PREFIX}.`,
    );
  }
  const group = groups.find(
    (g) => topic.startsWith(g + TOPIC_MARK) && topic.length > g.length + TOPIC_MARK.length,
  );
  if (group === undefined) {
    throw new InputError(
      `${input}: topic ID ${JSON.stringify(topic)} must be "<group ID>${TOPIC_MARK}<name>" for one of the listed groups (${groups.join(", ")}).`,
    );
  }
  return group;
}

export function requireList(raw: string, input: string, what: string): string[] {
  const items = parseList(raw);
  if (items.length === 0) {
    throw new InputError(
      `${input}: give at least one ${what} (several may be separated by newlines or commas).`,
    );
  }
  return items;
}

export function parseSdkAppId(raw: string | number, input: string): number {
  const text = String(raw).trim();
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) {
    throw new InputError(
      `${input}: expected the SDKAppID, a positive integer such as 1400000000, got ${JSON.stringify(text)}. Copy it from the Chat console.`,
    );
  }
  return value;
}

export function parsePositiveInteger(raw: string | number, input: string, max: number): number {
  const text = String(raw).trim();
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) {
    throw new InputError(`${input}: expected a whole number from 1 to ${max}, got ${JSON.stringify(text)}.`);
  }
  return value;
}

export function parsePositiveNumber(raw: string | number, input: string, max: number): number {
  const text = String(raw).trim();
  const value = Number(text);
  if (text === "" || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new InputError(
      `${input}: expected a number greater than 0 and at most ${max}, got ${JSON.stringify(text)}.`,
    );
  }
  return value;
}

export function parseRegion(raw: string, input: string): Region {
  const value = raw.trim();
  if (!isRegion(value)) {
    throw new InputError(
      `${input}: unknown region ${JSON.stringify(value)}; use one of ${REGION_NAMES.join(", ")}.`,
    );
  }
  return value;
}

export function parseEndpoint(raw: string, input: string): string | undefined {
  const value = raw.trim();
  if (value === "") return undefined;
  const problem = endpointProblem(value);
  if (problem) throw new InputError(`${input}: endpoint ${JSON.stringify(value)} ${problem}.`);
  return value;
}

export function chooseAuth(
  secretKey: string,
  userSig: string,
  names: { secretKey: string; userSig: string },
): ChatAuth {
  const key = secretKey.trim();
  const sig = userSig.trim();
  if (key && sig) {
    throw new InputError(`${names.secretKey} and ${names.userSig} are both set; give only one of them.`);
  }
  if (key) return { secretKey: key };
  if (sig) return { userSig: sig };
  throw new InputError(
    `${names.secretKey} or ${names.userSig} is required: pass the app's secret key from a secret, or a ready admin UserSig.`,
  );
}
