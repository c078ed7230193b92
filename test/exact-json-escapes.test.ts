import { describe, expect, it } from "vitest";
import { repeatedTopLevelKeys } from "../src/chat/exact-json.js";

describe("repeatedTopLevelKeys, however a name is written", () => {
  it.each([
    ['{"A\\/B":1,"A/B":2}', ["A/B"], ["A/B"]],
    ['{"Say \\"hi\\"":1,"Say \\u0022hi\\u0022":2}', ['Say "hi"'], ['Say "hi"']],
    ['{"ErrorInfo":"\\u0041","ErrorCode":0}', ["ErrorCode", "ErrorInfo"], []],
    ['{"ErrorCode":0,"Body":"\\n","Erro\\u0072Code":1}', ["ErrorCode"], ["ErrorCode"]],
    ['{"ErrorCode":0,"Body":"\\ud83d\\ude00","Erro\\u0052code":1}', ["ErrorCode"], []],
    ['{"ErrorCode":0,"Body":"\\ud83d\\ude00","Error\\u0043ode":1}', ["ErrorCode"], ["ErrorCode"]],
    ['{"ErrorCode":0,"Body":"ErrorCode","Text":"\\"ErrorCode\\""}', ["ErrorCode"], []],
  ])("in %s", (json, names, repeated) => {
    expect(repeatedTopLevelKeys(json, names)).toEqual(repeated);
  });
});
