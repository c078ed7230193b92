const COLON = /\s*:/y;
const NUMBER_MEMBER = /\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/y;

/**
 * The members of the top-level object of valid JSON text, in order, repeats included: each one's
 * name (escapes decoded) and where the text after its name starts. JSON.parse keeps only the last
 * of a repeated name, and says nothing of the others.
 */
function* topLevelMembers(json: string): Generator<{ name: string; after: number }> {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const char = json[i]!;
    if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") depth--;
    else if (char === '"') {
      const end = stringEnd(json, i);
      if (depth === 1 && followedBy(COLON, json, end + 1)) {
        const written = json.slice(i + 1, end);
        const name = written.includes("\\") ? (JSON.parse(`"${written}"`) as string) : written;
        yield { name, after: end + 1 };
      }
      i = end;
    }
  }
}

/**
 * The literal of a top-level number member of a JSON object, digit for digit: JSON.parse turns
 * integers above 2^53 into the nearest double, which is another number. Undefined when the member
 * is missing or is not a number.
 */
export function topLevelNumber(json: string, name: string): string | undefined {
  for (const member of topLevelMembers(json)) {
    if (member.name !== name) continue;
    NUMBER_MEMBER.lastIndex = member.after;
    return NUMBER_MEMBER.exec(json)?.[1];
  }
  return undefined;
}

/**
 * Which of `names` the top-level object of valid JSON text holds more than once, in the order their
 * second occurrence comes: JSON.parse would silently keep the last one.
 */
export function repeatedTopLevelKeys(json: string, names: readonly string[]): string[] {
  if (!ESCAPED_NAME_CHARACTER.test(json) && !names.some((name) => mayBeRepeated(json, name))) return [];
  const wanted = new Set(names);
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const { name } of topLevelMembers(json)) {
    if (!wanted.has(name)) continue;
    if (seen.has(name)) {
      if (!repeated.includes(name)) repeated.push(name);
    } else seen.add(name);
  }
  return repeated;
}

/** A name that JSON text writes as it is, unless with \u escapes. */
const PLAIN_NAME = /^[\w.-]+$/;
/** A \u escape of a character that a plain name may hold (an emoji's escapes are not). */
const ESCAPED_NAME_CHARACTER = /\\u00[2-7][0-9a-f]/i;

/**
 * Whether the name may be written more than once in a text without \u escapes of the characters
 * it may hold, anywhere, from a quick look at it.
 */
function mayBeRepeated(json: string, name: string): boolean {
  if (!PLAIN_NAME.test(name)) return true;
  const written = `"${name}"`;
  const first = json.indexOf(written);
  return first !== -1 && json.includes(written, first + written.length);
}

/** Where the string that opens at `start` closes. */
function stringEnd(json: string, start: number): number {
  for (let i = start + 1; i < json.length; i++) {
    if (json[i] === "\\") i++;
    else if (json[i] === '"') return i;
  }
  return json.length;
}

function followedBy(pattern: RegExp, json: string, at: number): boolean {
  pattern.lastIndex = at;
  return pattern.test(json);
}
