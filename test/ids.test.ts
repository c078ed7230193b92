import { describe, expect, it } from "vitest";
import { checkId, quoteId } from "../src/recall/ids.js";
import { InputError } from "../src/recall/input-error.js";

function refusal(value: string, kind: "group" | "user" | "topic" = "user"): string {
  try {
    checkId(value, kind, "sender", "sender");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error(`${JSON.stringify(value)} was taken`);
}

describe("an ID that is refused", () => {
  it.each([
    ["ma\u200bllory", '"ma\\u{200b}llory"'],
    ["m\u0430llory", '"m\\u{430}llory"'],
    ["mal\u00adlory", '"mal\\u{ad}lory"'],
    ["a\tb", '"a\\u{9}b"'],
    ["a\u0000b\u007f", '"a\\u{0}b\\u{7f}"'],
    ["evil\u202etxt", '"evil\\u{202e}txt"'],
    ["x\u{1f600}", '"x\\u{1f600}"'],
    ["lone\ud800", '"lone\\u{d800}"'],
    ['a"b\\u{41}\u00e9', '"a\\"b\\\\u{41}\\u{e9}"'],
  ])("shows %j with each character that is not printable ASCII as its code point: %s", (id, shown) => {
    expect(refusal(id)).toBe(
      `sender: user ID ${shown} must be printable ASCII (no control or non-ASCII characters).`,
    );
  });

  it("names the kind of ID", () => {
    expect(refusal("@TGS#\u200bA", "group")).toContain('group ID "@TGS#\\u{200b}A" must be printable ASCII');
  });

  it("is shown bounded, however long it is and however many characters are escaped", () => {
    const message = refusal("\u{10ffff}".repeat(100_000));
    expect(message.length).toBeLessThan(1500);
    expect(message).toContain("\\u{10ffff}…");
  });

  it("too long but printable is shown as it is", () => {
    expect(refusal("u".repeat(33))).toBe(`sender: user ID "${"u".repeat(33)}" is 33 bytes; the limit is 32.`);
  });
});

describe("quoteId", () => {
  it("leaves printable ASCII as it is but for quotes and backslashes", () => {
    expect(quoteId('@TGS#a "b" \\ c')).toBe('"@TGS#a \\"b\\" \\\\ c"');
  });

  it("cuts at a code point, never inside a surrogate pair", () => {
    expect(quoteId("\u{1f600}".repeat(3), 2)).toBe('"\\u{1f600}\\u{1f600}…"');
  });
});
