import { describe, expect, it } from "vitest";
import { check } from "../../src/pulumi/operations.js";

const VALID = { groupId: "@TGS#AAA", senderAccount: "leckie", sdkAppId: 1400000001, secretKey: "k" };

describe("check refuses an argument that is not of its declared type", () => {
  it.each([
    ["groupId", {}, "expected a string, got an object"],
    ["groupId", ["@TGS#AAA", "@TGS#BBB"], "expected a string, got an array"],
    ["senderAccount", ["alice", "bob"], "expected a string, got an array"],
    ["senderAccount", true, "expected a string, got a boolean"],
    ["topicId", 7, "expected a string, got a number"],
    ["maxAttempts", { n: 3 }, "expected a number or a string, got an object"],
    ["verify", "yes", "expected a boolean, got a string"],
  ])("%s: %j", async (property, value, reason) => {
    const { failures } = await check({ ...VALID, [property]: value });
    expect(failures).toEqual([{ property, reason: `${property}: ${reason}.` }]);
  });

  it("takes numbers as numbers or numeric text, and booleans as booleans", async () => {
    const { failures } = await check({ ...VALID, sdkAppId: "1400000001", maxAttempts: 3, verify: true });
    expect(failures).toEqual([]);
  });
});
