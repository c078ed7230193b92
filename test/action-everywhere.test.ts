import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/emulator/index.js";
import { LIST_GROUPS_COMMAND, TOPICS_COMMAND } from "../src/recall/listing.js";
import { RECALL_COMMAND } from "../src/recall/session.js";
import { APP_ID, appInputs, SECRET_KEY } from "./support/emulator.js";
import { runAction } from "./support/github-runner.js";

let emulator: Emulator;
const groups: Record<string, string> = {};
const topics: string[] = [];

/**
 * Three Public groups (two pages: the emulator answers two groups a page), a Private and a ChatRoom
 * group, a Community with two topics and one with none, and an AVChatRoom; mallory posted in each
 * group and topic. Listing cursors start above 2^53, so a Next read through a double fails.
 */
beforeEach(async () => {
  emulator = await startEmulator({
    apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }],
    listingCursorBase: 2n ** 60n + 1n,
    listingPageLimit: 2,
  });
  const { state } = emulator;
  const make = (name: string, type: string, groupId: string) => {
    groups[name] = state.createGroup(APP_ID, { type, groupId });
    state.sendMessage(APP_ID, groups[name]!, "mallory", `spam in ${name}`);
    state.sendMessage(APP_ID, groups[name]!, "alice", `hello in ${name}`);
  };
  make("public1", "Public", "@TGS#PUBLIC1");
  make("public2", "Public", "@TGS#PUBLIC2");
  make("public3", "Public", "@TGS#PUBLIC3");
  make("private", "Private", "@TGS#PRIVATE");
  make("chatroom", "ChatRoom", "@TGS#CHATROOM");
  make("community", "Community", "@TGS#_@TGS#COMMUNITY");
  make("quiet", "Community", "@TGS#_@TGS#QUIET");
  make("live", "AVChatRoom", "@TGS#LIVE");
  topics.length = 0;
  for (const name of ["news", "chat"]) {
    const topic = state.createTopic(APP_ID, groups.community!, name);
    state.sendMessage(APP_ID, groups.community!, "mallory", `spam in ${name}`, topic);
    topics.push(topic);
  }
});

afterEach(() => emulator.close());

const inputs = (more: Record<string, string>) => appInputs(emulator.url, more);

const recalledIn = () =>
  emulator.requests
    .filter((r) => r.command === RECALL_COMMAND)
    .map((r) => {
      const body = r.body as { GroupId: string; TopicId?: string };
      return body.TopicId ?? body.GroupId;
    })
    .sort();
const recalledMessages = (group: string, topic?: string) =>
  emulator.state
    .history(APP_ID, group, topic)
    .filter((m) => m.recalled)
    .map((m) => m.from);

describe('group: "*"', () => {
  it("recalls in every group of the app but AVChatRoom and the excluded ones, following Next above 2^53", async () => {
    const run = await runAction(inputs({ group: "*", "exclude-group": groups.public2! }));

    expect(run.exitCode).toBe(0);
    expect(recalledIn()).toEqual(
      [
        groups.public1,
        groups.public3,
        groups.private,
        groups.chatroom,
        groups.community,
        groups.quiet,
      ].sort(),
    );
    expect(recalledMessages(groups.public1!)).toEqual(["mallory"]);
    expect(recalledMessages(groups.public2!)).toEqual([]);
    expect(recalledMessages(groups.live!)).toEqual([]);
    const publicPages = emulator.requests.filter(
      (r) => r.command === LIST_GROUPS_COMMAND && (r.body as { GroupType: string }).GroupType === "Public",
    );
    expect(publicPages.map((r) => (r.body as { Next: number }).Next > 2 ** 53)).toEqual([false, true]);
    expect(run.lines).toContain("Found 3 Public group(s).");
    expect(run.lines).toContain("1 AVChatRoom group(s) are left out: they keep no history.");
    expect(run.lines).toContain("1 group(s) left out as excluded.");
    expect(run.outputs.succeeded).toBe("6");
  }, 30_000);

  it('lists only the types asked for, and with topic "*" reaches every topic of each Community', async () => {
    const run = await runAction(inputs({ group: "*", "group-type": "Public, Community", topic: "*" }));

    expect(run.exitCode).toBe(0);
    expect(recalledIn()).toEqual(
      [groups.public1, groups.public2, groups.public3, groups.quiet, ...topics].sort(),
    );
    for (const topic of topics) expect(recalledMessages(groups.community!, topic)).toEqual(["mallory"]);
    expect(recalledMessages(groups.community!)).toEqual([]);
    expect(recalledMessages(groups.private!)).toEqual([]);
    expect(emulator.requests.filter((r) => r.command === TOPICS_COMMAND)).toHaveLength(2);
    expect(run.lines).toContain(
      "Found 2 topic(s) in 2 Community group(s); a Community with none is recalled at group level.",
    );
  }, 30_000);

  it("shows the whole plan with counts in a dry run, and recalls nothing", async () => {
    const run = await runAction(inputs({ group: "*", topic: "*", "dry-run": "true" }));

    expect(run.exitCode).toBe(0);
    expect(recalledIn()).toEqual([]);
    const results = JSON.parse(run.outputs.results!) as {
      topic: string | null;
      group: string;
      messages: number;
    }[];
    expect(results.map((r) => r.topic ?? r.group).sort()).toEqual(
      [
        groups.public1,
        groups.public2,
        groups.public3,
        groups.private,
        groups.chatroom,
        groups.quiet,
        ...topics,
      ].sort(),
    );
    expect(results.every((r) => r.messages === 1)).toBe(true);
    expect(run.outputs["matched-messages"]).toBe("8");
  }, 30_000);

  it("fails the step before any recall when the listing fails", async () => {
    emulator.faults.push({ command: LIST_GROUPS_COMMAND, errorCode: 70500, times: 100 });
    const run = await runAction(inputs({ group: "*", "max-attempts": "2" }));

    expect(run.exitCode).toBe(1);
    expect(recalledIn()).toEqual([]);
    expect(run.outputs["action-status"]).toBe("FAIL");
    expect(run.outputs["error-code"]).toBe("70500");
    expect(run.errors).toEqual([expect.stringContaining("Finding the groups and topics failed")]);
  }, 30_000);

  it.each([
    [{ group: "*\n@TGS#PUBLIC1" }, '"*" means every one, and cannot be given with other IDs'],
    [
      { group: "*", topic: "@TGS#_@TGS#COMMUNITY@TOPIC#_news" },
      'with group "*", give topic "*" for every topic, or no topic',
    ],
    [{ group: "@TGS#PUBLIC1", "group-type": "Public" }, 'filters the groups of group "*"'],
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
