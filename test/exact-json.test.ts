import { describe, expect, it } from "vitest";
import { topLevelNumber } from "../src/chat/exact-json.js";

describe("topLevelNumber", () => {
  it.each([
    ['{"Next":18446744073709551615,"TotalCount":3}', "18446744073709551615"],
    [
      '{"GroupIdList":[{"GroupId":"\\"Next\\":5"},{"Next":3}],"Next" : 1152921504606846977}',
      "1152921504606846977",
    ],
    ['{"A":"Next","Next":0}', "0"],
    ['{"Next":"123"}', undefined],
    ['{"a":{"Next":9}}', undefined],
    ["{}", undefined],
  ])("reads Next of %s as %s, digit for digit", (json, literal) => {
    expect(topLevelNumber(json, "Next")).toBe(literal);
  });

  it("keeps what JSON.parse would round", () => {
    const json = '{"Next":9007199254740993}';
    expect(String((JSON.parse(json) as { Next: number }).Next)).not.toBe("9007199254740993");
    expect(topLevelNumber(json, "Next")).toBe("9007199254740993");
  });
});
