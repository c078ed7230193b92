/**
 * Reads integers the way they were written. JSON.parse rounds integers above 2^53 (a uint64 cursor
 * such as get_appid_group_list's `Next`), so those fields are read from the raw body text.
 */

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const INTEGER = /^-?(0|[1-9]\d*)$/;

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  return i;
}

/** Index just past the string literal that opens at `i`. */
function skipString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  return i;
}

/** Index just past the JSON value that starts at `i`. */
function skipValue(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return skipString(text, i);
  if (first === "{" || first === "[") {
    let depth = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i = skipString(text, i);
        continue;
      }
      if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") depth--;
      i++;
      if (depth === 0) return i;
    }
    return i;
  }
  while (i < text.length && !WHITESPACE.has(text[i]!) && text[i] !== "," && text[i] !== "}") i++;
  return i;
}

/**
 * The literal text of each named top-level member of a JSON object whose value is a number (the
 * last one when a name repeats, as JSON.parse does). Expects text that JSON.parse accepts.
 */
export function topLevelNumberLiterals(text: string, names: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  let i = skipWhitespace(text, 0);
  if (text[i] !== "{") return found;
  i++;
  for (;;) {
    i = skipWhitespace(text, i);
    if (text[i] !== '"') return found;
    const keyEnd = skipString(text, i);
    const keyLiteral = text.slice(i, keyEnd);
    const key = keyLiteral.includes("\\") ? (JSON.parse(keyLiteral) as string) : keyLiteral.slice(1, -1);
    i = skipWhitespace(text, keyEnd);
    if (text[i] !== ":") return found;
    const valueStart = skipWhitespace(text, i + 1);
    i = skipValue(text, valueStart);
    if (names.includes(key)) {
      const literal = text.slice(valueStart, i);
      if (/^[-\d]/.test(literal)) found.set(key, literal);
      else found.delete(key);
    }
    i = skipWhitespace(text, i);
    if (text[i] !== ",") return found;
    i++;
  }
}

/** The integer a number literal spells, or undefined when it has a fraction or an exponent. */
export function exactInteger(literal: string): bigint | undefined {
  return INTEGER.test(literal) ? BigInt(literal) : undefined;
}

/**
 * Serialises an answer whose top-level members may be bigints: those are written as bare JSON
 * numbers with every digit.
 */
export function answerJson(answer: Record<string, unknown>): string {
  let big: [string, bigint][] | undefined;
  for (const [key, value] of Object.entries(answer)) {
    if (typeof value === "bigint") (big ??= []).push([key, value]);
  }
  if (!big) return JSON.stringify(answer);
  const rest = JSON.stringify(answer, function (this: unknown, _key, value: unknown) {
    return this === answer && typeof value === "bigint" ? undefined : value;
  });
  const members = big.map(([key, value]) => `${JSON.stringify(key)}:${value.toString()}`).join(",");
  return rest === "{}" ? `{${members}}` : `${rest.slice(0, -1)},${members}}`;
}
