const COLON = /\s*:/y;
const NUMBER_MEMBER = /\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/y;

/**
 * The literal of a top-level number member of a JSON object, digit for digit: JSON.parse turns
 * integers above 2^53 into the nearest double, which is another number. Undefined when the member
 * is missing or is not a number.
 */
export function topLevelNumber(json: string, name: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const char = json[i]!;
    if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") depth--;
    else if (char === '"') {
      const end = stringEnd(json, i);
      if (depth === 1 && followedBy(COLON, json, end + 1) && JSON.parse(json.slice(i, end + 1)) === name) {
        NUMBER_MEMBER.lastIndex = end + 1;
        return NUMBER_MEMBER.exec(json)?.[1];
      }
      i = end;
    }
  }
  return undefined;
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
