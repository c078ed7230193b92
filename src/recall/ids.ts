import { InputError } from "./input-error.js";
import type { IdKind, SettingName } from "./types.js";

export const COMMUNITY_PREFIX = "@TGS#_";
const TOPIC_MARK = "@TOPIC#_";
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const PRINTABLE_CHAR = /^[\x20-\x7e]$/;

/*
 * Custom group IDs may contain commas, so on a single line a comma separates IDs only where no
 * piece could be part of a custom ID: auto-generated group IDs (and topics of such groups) are
 * letters and digits after their prefix. User IDs are split on commas; one with a comma must be on
 * a line of its own.
 */
const AUTO_GROUP_ID = /^@TGS#(_@TGS#)?[0-9A-Za-z]+$/;
const AUTO_TOPIC_ID = /^@TGS#_@TGS#[0-9A-Za-z]+@TOPIC#_[^,]+$/;

const RULES: Record<IdKind, { what: string; maxBytes: number; commaList: (piece: string) => boolean }> = {
  group: { what: "group ID", maxBytes: 48, commaList: (piece) => AUTO_GROUP_ID.test(piece) },
  user: { what: "user ID", maxBytes: 32, commaList: () => true },
  topic: { what: "topic ID", maxBytes: 96, commaList: (piece) => AUTO_TOPIC_ID.test(piece) },
};

/**
 * The IDs in one value of a list setting: one per line when the value has several lines, else
 * separated by commas where that cannot split one ID in two.
 */
export function splitIds(value: string, kind: IdKind, setting: SettingName, label: string): string[] {
  if (/[\r\n]/.test(value))
    return value
      .split(/\r\n|\r|\n/)
      .map((line) => line.trim())
      .filter(Boolean);
  const pieces = value
    .split(",")
    .map((piece) => piece.trim())
    .filter(Boolean);
  const { what, commaList } = RULES[kind];
  if (pieces.length > 1 && !pieces.every(commaList)) {
    throw new InputError(
      setting,
      `${label}: ${quoteId(value)} has a comma, and ${what}s may contain commas: it could be one ${what} or several. Put one ${what} per line (in a workflow, a block such as "${setting}: |").`,
    );
  }
  return pieces;
}

/**
 * An ID quoted for a message, cut like `quote` (at `max` code points): `"` and `\` escaped, and every
 * character outside printable ASCII (control, zero-width, look-alike letters, bidirectional
 * controls) shown as `\u{hex code point}`, so that the user sees what is wrong with it.
 */
export function quoteId(value: string, max = 100): string {
  const shown: string[] = [];
  for (const char of value) {
    if (shown.length === max) return `"${shown.join("")}…"`;
    shown.push(
      char === '"' || char === "\\"
        ? `\\${char}`
        : PRINTABLE_CHAR.test(char)
          ? char
          : `\\u{${char.codePointAt(0)!.toString(16)}}`,
    );
  }
  return `"${shown.join("")}"`;
}

/** Whether the service could have made this ID: printable ASCII within the kind's byte limit. */
export function isWellFormedId(value: unknown, kind: IdKind): value is string {
  return typeof value === "string" && PRINTABLE_ASCII.test(value) && value.length <= RULES[kind].maxBytes;
}

/** What an ID of this kind is called in messages. */
export function idName(kind: IdKind): string {
  return RULES[kind].what;
}

/** Why a value that is not a well-formed ID is not one, in words that do not repeat the value. */
export function idProblem(value: string, kind: IdKind): string {
  if (!PRINTABLE_ASCII.test(value))
    return "it holds control or non-ASCII characters; IDs are printable ASCII";
  return `it is ${value.length} bytes; the limit is ${RULES[kind].maxBytes}`;
}

export function checkId(value: string, kind: IdKind, setting: SettingName, label: string): void {
  const { what, maxBytes } = RULES[kind];
  if (!PRINTABLE_ASCII.test(value)) {
    throw new InputError(
      setting,
      `${label}: ${what} ${quoteId(value)} must be printable ASCII (no control or non-ASCII characters).`,
    );
  }
  if (value.length > maxBytes) {
    throw new InputError(
      setting,
      `${label}: ${what} ${quoteId(value)} is ${value.length} bytes; the limit is ${maxBytes}.`,
    );
  }
}

/** Checks a topic ID and returns the group it belongs to: of the listed groups (by list position) it may belong to, the first. */
export function topicGroup(topic: string, groups: ReadonlyMap<string, number>, label: string): string {
  checkId(topic, "topic", "topic", label);
  if (!topic.startsWith(COMMUNITY_PREFIX)) {
    throw new InputError(
      "topic",
      `${label}: topic ID ${quoteId(topic)} must belong to a Community group, whose ID starts with ${COMMUNITY_PREFIX}.`,
    );
  }
  let group: string | undefined;
  for (let at = topic.indexOf(TOPIC_MARK); at > 0; at = topic.indexOf(TOPIC_MARK, at + 1)) {
    const candidate = topic.slice(0, at);
    const position = groups.get(candidate);
    if (position === undefined || topic.length === at + TOPIC_MARK.length) continue;
    if (group === undefined || position < groups.get(group)!) group = candidate;
  }
  if (group === undefined) {
    throw new InputError(
      "topic",
      `${label}: topic ID ${quoteId(topic)} must be "<group ID>${TOPIC_MARK}<name>" for one of the listed groups (${[
        ...groups.keys(),
      ]
        .slice(0, 10)
        .map((g) => quoteId(g))
        .join(", ")}${groups.size > 10 ? ", …" : ""}).`,
    );
  }
  return group;
}
