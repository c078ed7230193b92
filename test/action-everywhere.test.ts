import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Emulator } from "../src/emulator/index.js";
import { LIST_GROUPS_COMMAND, TOPICS_COMMAND } from "../src/recall/listing.js";
import { appInputs, recalledSenders } from "./support/emulator.js";
import { emulatorWithEveryKindOfGroup, recalledIn, type GroupName } from "./support/every-kind-of-group.js";
import { runAction } from "./support/github-runner.js";

let emulator: Emulator;
let groups: Record<GroupName, string>;
let topics: string[];

/**
 * One type per run, each listed in one page: get_appid_group_list is called at most once a second,
 * so these runs make two listing calls (the type, and the AVChatRoom count). Paging, every type and
 * the spacing of listing calls are proven in process on a manual clock (session.test.ts).
 */
beforeEach(async () => {
  ({ emulator, groups, topics } = await emulatorWithEveryKindOfGroup());
});

afterEach(() => emulator.close());

const inputs = (more: Record<string, string>) => appInputs(emulator.url, more);
const listingCalls = () => emulator.requests.filter((r) => r.command === LIST_GROUPS_COMMAND).length;

describe('group: "*"', () => {
  it("recalls in every group of the type asked for but the excluded ones, and says AVChatRoom is left out", async () => {
    const run = await runAction(
      inputs({ group: "*", "group-type": "Public", "exclude-group": groups.public2 }),
    );

    expect(run.exitCode).toBe(0);
    expect(recalledIn(emulator)).toEqual([groups.public1, groups.public3].sort());
    expect(recalledSenders(emulator, groups.public1)).toEqual(["mallory"]);
    expect(recalledSenders(emulator, groups.public2)).toEqual([]);
    expect(recalledSenders(emulator, groups.live)).toEqual([]);
    expect(listingCalls()).toBe(2);
    expect(run.lines).toContain("Found 3 Public group(s).");
    expect(run.lines).toContain("1 AVChatRoom group(s) are left out: they keep no history.");
    expect(run.lines).toContain("1 group(s) left out as excluded.");
    expect(run.outputs.succeeded).toBe("2");
  });

  it('with topic "*" reaches every topic of each Community, and a Community without topics at group level', async () => {
    const run = await runAction(inputs({ group: "*", "group-type": "Community", topic: "*" }));

    expect(run.exitCode).toBe(0);
    expect(recalledIn(emulator)).toEqual([groups.quiet, ...topics].sort());
    for (const topic of topics)
      expect(recalledSenders(emulator, groups.community, topic)).toEqual(["mallory"]);
    expect(recalledSenders(emulator, groups.community)).toEqual([]);
    expect(recalledSenders(emulator, groups.public1)).toEqual([]);
    expect(emulator.requests.filter((r) => r.command === TOPICS_COMMAND)).toHaveLength(2);
    expect(run.lines).toContain(
      "Found 2 topic(s) in 2 Community group(s); a Community with none is recalled at group level.",
    );
  });

  it("shows the plan with counts in a dry run, and recalls nothing", async () => {
    const run = await runAction(
      inputs({ group: "*", "group-type": "Community", topic: "*", "dry-run": "true" }),
    );

    expect(run.exitCode).toBe(0);
    expect(recalledIn(emulator)).toEqual([]);
    const results = JSON.parse(run.outputs.results!) as {
      topic: string | null;
      group: string;
      messages: number;
    }[];
    expect(results.map((r) => r.topic ?? r.group).sort()).toEqual([groups.quiet, ...topics].sort());
    expect(results.every((r) => r.messages === 1)).toBe(true);
    expect(run.outputs["matched-messages"]).toBe("3");
  });

  it("fails the step before any recall when the listing fails", async () => {
    emulator.faults.push({ command: LIST_GROUPS_COMMAND, errorCode: 70500, times: 100 });
    const run = await runAction(inputs({ group: "*", "max-attempts": "2" }));

    expect(run.exitCode).toBe(1);
    expect(recalledIn(emulator)).toEqual([]);
    expect(run.outputs["action-status"]).toBe("FAIL");
    expect(run.outputs["error-code"]).toBe("70500");
    expect(run.errors).toEqual([expect.stringContaining("Finding the groups and topics failed")]);
  });

  it.each([
    [{ group: "*\n@TGS#PUBLIC1" }, '"*" means every one, and cannot be given with other IDs'],
    [
      { group: "*", topic: "@TGS#_@TGS#COMMUNITY@TOPIC#_news" },
      'with group "*", give topic "*" for every topic, or no topic',
    ],
    [
      { group: "@TGS#PUBLIC1", "group-type": "Public" },
      'filters the groups that group "*" or joined-groups find',
    ],
    [{ group: "*", "group-type": "AVChatRoom" }, "AVChatRoom groups keep no history"],
    [
      { group: "*", "group-type": "Secret" },
      'unknown group type "Secret"; use Public, Private, ChatRoom, Community, Work, Meeting',
    ],
  ])("refuses %j before any request", async (more, message) => {
    const run = await runAction(inputs(more));
    expect(run.exitCode).toBe(1);
    expect(emulator.requests).toEqual([]);
    expect(run.errors).toEqual([expect.stringContaining(message)]);
  });
});
