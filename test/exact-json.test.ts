import { describe, expect, it } from "vitest";
import { repeatedTopLevelKeys, topLevelNumber } from "../src/chat/exact-json.js";

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

describe("repeatedTopLevelKeys", () => {
  it.each([
    ['{"ActionStatus":"OK","ErrorCode":10010,"ErrorInfo":"group gone","ErrorCode":0}', ["ErrorCode"]],
    ['{"ActionStatus":"OK","ErrorCode":0,"Error\\u0043ode":10010}', ["ErrorCode"]],
    ['{"ActionStatus":"FAIL" , "ActionStatus" :"OK","ErrorCode":0}', ["ActionStatus"]],
    ['{"ErrorInfo":"a","ErrorInfo":"b","ErrorCode":0,"ErrorCode":0}', ["ErrorInfo", "ErrorCode"]],
    ['{"ActionStatus":"OK","ErrorCode":0,"List":[{"ErrorCode":1},{"ErrorCode":2}]}', []],
    ['{"ActionStatus":"OK","ErrorCode":0,"A":{"ErrorCode":1,"ErrorCode":2}}', []],
    ['{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"\\"ErrorCode\\":1,"}', []],
    ['{"Other":1,"Other":2,"ErrorCode":0}', []],
  ])("finds the judged keys %s repeats at the top level", (json, repeated) => {
    expect(repeatedTopLevelKeys(json, ["ActionStatus", "ErrorCode", "ErrorInfo"])).toEqual(repeated);
  });
});
