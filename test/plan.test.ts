import { describe, expect, it } from "vitest";
import { planTargets } from "../src/recall/plan.js";
import { parseList } from "../src/recall/validate.js";

const NAMES = { group: "group", sender: "sender", topic: "topic" };

describe("planning the calls", () => {
  it("splits lists on newlines and commas, trimming and dropping blanks", () => {
    expect(parseList(" a, b\n\nc ,\n")).toEqual(["a", "b", "c"]);
  });

  it("makes one call per (group, sender) pair, duplicates once", () => {
    expect(planTargets(["g1", "g2", "g1"], ["s1", "s2", "s1"], [], NAMES)).toEqual([
      { group: "g1", sender: "s1" },
      { group: "g1", sender: "s2" },
      { group: "g2", sender: "s1" },
      { group: "g2", sender: "s2" },
    ]);
  });

  it("with topics, makes one call per (topic, sender) pair in the topic's group", () => {
    const topic = "@TGS#_c@TOPIC#_news";
    expect(planTargets(["@TGS#_c"], ["s"], [topic, topic], NAMES)).toEqual([
      { group: "@TGS#_c", sender: "s", topic },
    ]);
  });

  it.each([
    [["g".repeat(49)], ["s"], [], 'group: group ID "ggg'],
    [["bad\tid"], ["s"], [], "must be printable ASCII"],
    [["g"], ["s".repeat(33)], [], "is 33 bytes; the limit is 32"],
    [
      ["@TGS#_g"],
      ["s"],
      ["@TGS#_g@TOPIC#_"],
      'topic: topic ID "@TGS#_g@TOPIC#_" must be "<group ID>@TOPIC#_<name>"',
    ],
    [["@TGS#_g"], ["s"], ["@TGS#_h@TOPIC#_x"], "for one of the listed groups (@TGS#_g)"],
    [["g"], ["s"], ["g@TOPIC#_x"], "must belong to a Community group, whose ID starts with @TGS#_"],
    [["@TGS#_g", "h"], ["s"], ["@TGS#_g@TOPIC#_x"], 'no topic is listed for group "h"'],
    [["@TGS#_g"], ["s"], [`@TGS#_g@TOPIC#_${"x".repeat(90)}`], "the limit is 96"],
  ])("rejects %j / %j / %j", (groups, senders, topics, message) => {
    expect(() => planTargets(groups, senders, topics, NAMES)).toThrow(message);
  });
});
