import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/emulator/index.js";
import { HISTORY_COMMAND } from "../src/recall/history.js";
import { RECALL_BY_SEQ_COMMAND } from "../src/recall/recall-seqs.js";
import { GROUP_INFO_COMMAND } from "../src/recall/preflight.js";
import { RECALL_COMMAND } from "../src/recall/strategy-silent.js";
import { APP_ID, appInputs, SECRET_KEY } from "./support/emulator.js";
import { runAction } from "./support/github-runner.js";

let emulator: Emulator;
let general: string;
let community: string;
let news: string;
let live: string;

/**
 * A Public group whose 30 oldest messages (all mallory's) are beyond the last 1,000, then 1,000
 * messages where mallory posted 5 and eve 2; a Community with a topic; an AVChatRoom.
 */
beforeEach(async () => {
  emulator = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }] });
  const { state } = emulator;
  general = state.createGroup(APP_ID, { type: "Public", groupId: "@TGS#GENERAL" });
  for (let i = 0; i < 30; i++) state.sendMessage(APP_ID, general, "mallory", `old ${i}`);
  for (let i = 0; i < 1000; i++) {
    const from = i % 200 === 7 ? "mallory" : i % 500 === 3 ? "eve" : i % 2 ? "alice" : "bob";
    state.sendMessage(APP_ID, general, from, `message ${i}`);
  }
  community = state.createGroup(APP_ID, { type: "Community", groupId: "@TGS#_@TGS#COMMUNITY" });
  news = state.createTopic(APP_ID, community, "news");
  state.sendMessage(APP_ID, community, "mallory", "in news", news);
  state.sendMessage(APP_ID, community, "mallory", "in the group");
  live = state.createGroup(APP_ID, { type: "AVChatRoom", groupId: "@TGS#LIVE" });
  state.importAccount(APP_ID, "nobody");
});

afterEach(() => emulator.close());

const inputs = (more: Record<string, string>) => appInputs(emulator.url, more);

const calls = (command: string) => emulator.requests.filter((r) => r.command === command);
const results = (run: { outputs: Record<string, string> }) =>
  JSON.parse(run.outputs.results!) as Record<string, unknown>[];
const recalledBy = (sender: string, group = general, topic?: string) =>
  emulator.state.history(APP_ID, group, topic).filter((m) => m.from === sender && m.recalled).length;

describe("preflight", () => {
  it("fails the pairs of a missing group without a recall call, skips an AVChatRoom with a warning, and passes", async () => {
    const run = await runAction(inputs({ group: `${general}\n@TGS#MISSING\n${live}` }));

    expect(run.exitCode).toBe(1);
    expect(calls(GROUP_INFO_COMMAND)).toHaveLength(1);
    expect(calls(RECALL_COMMAND).map((r) => (r.body as { GroupId: string }).GroupId)).toEqual([general]);
    expect(results(run).map((r) => [r.group, r.outcome, r.errorCode])).toEqual(
      expect.arrayContaining([
        [general, "recalled", 0],
        ["@TGS#MISSING", "failed", 10010],
        [live, "skipped", 0],
      ]),
    );
    expect(run.warnings).toEqual([
      expect.stringContaining("Group @TGS#LIVE is an AVChatRoom: it keeps no history"),
    ]);
    expect(run.outputs).toMatchObject({ succeeded: "1", failed: "1", skipped: "1" });
  });

  it("does not fail the step for a skipped AVChatRoom", async () => {
    const run = await runAction(inputs({ group: `${general}\n${live}` }));
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ "action-status": "OK", skipped: "1" });
    expect(run.summary).toContain("⏭️ skipped");
  });

  it("refuses a topic of a group that is not a Community before any recall", async () => {
    const publicWithTopicId = emulator.state.createGroup(APP_ID, {
      type: "Public",
      groupId: "@TGS#_@TGS#FAKE",
    });
    const run = await runAction(inputs({ group: publicWithTopicId, topic: `${publicWithTopicId}@TOPIC#_x` }));
    expect(run.exitCode).toBe(1);
    expect(calls(RECALL_COMMAND)).toEqual([]);
    expect(run.errors).toEqual([
      expect.stringContaining("topics exist only in Community groups. Nothing was recalled"),
    ]);
    expect(run.outputs["not-attempted"]).toBe("1");
  });

  it("is not made with preflight: false", async () => {
    const run = await runAction(inputs({ group: general, preflight: "false" }));
    expect(run.exitCode).toBe(0);
    expect(calls(GROUP_INFO_COMMAND)).toEqual([]);
  });
});

describe("dry run", () => {
  it("recalls nothing and counts each sender's messages in the last 1,000, paging each group once", async () => {
    const run = await runAction(
      inputs({ group: `${general}\n${community}`, sender: "mallory\neve\nnobody", "dry-run": "true" }),
    );

    expect(run.exitCode).toBe(0);
    expect(calls(RECALL_COMMAND)).toEqual([]);
    expect(calls(RECALL_BY_SEQ_COMMAND)).toEqual([]);
    expect(recalledBy("mallory")).toBe(0);
    expect(
      calls(HISTORY_COMMAND).filter((r) => (r.body as { GroupId: string }).GroupId === general),
    ).toHaveLength(50);
    expect(results(run).map((r) => [r.group, r.sender, r.outcome, r.messages])).toEqual(
      expect.arrayContaining([
        [general, "mallory", "dry-run", 5],
        [general, "eve", "dry-run", 2],
        [general, "nobody", "dry-run", 0],
        [community, "mallory", "dry-run", 1],
      ]),
    );
    expect(run.outputs["matched-messages"]).toBe("8");
    expect(run.summary).toContain("🔍 dry run");
    expect(run.summary).toContain("8 message(s) would be recalled. Nothing was recalled.");
  });

  it("counts in a topic", async () => {
    const run = await runAction(inputs({ group: community, topic: news, "dry-run": "true" }));
    expect(results(run)).toEqual([expect.objectContaining({ topic: news, outcome: "dry-run", messages: 1 })]);
    expect(calls(HISTORY_COMMAND).every((r) => (r.body as { TopicId?: string }).TopicId === news)).toBe(true);
  });
});

describe("verify", () => {
  it("counts what was recalled in the window and what is left", async () => {
    const run = await runAction(
      inputs({ group: `${general}\n${community}`, sender: "mallory\neve", verify: "true" }),
    );

    expect(run.exitCode).toBe(0);
    expect(results(run).map((r) => [r.group, r.sender, r.outcome, r.messages, r.remaining])).toEqual(
      expect.arrayContaining([
        [general, "mallory", "recalled", 5, 0],
        [general, "eve", "recalled", 2, 0],
        [community, "mallory", "recalled", 1, 0],
      ]),
    );
    expect(run.outputs).toMatchObject({ "recalled-messages": "8", "remaining-messages": "0" });
    // The 30 older messages are beyond the window: the recall leaves them, and verify does not count them.
    expect(
      emulator.state.history(APP_ID, general).filter((m) => m.from === "mallory" && !m.recalled),
    ).toHaveLength(30);
  });

  it("fails a pair whose messages are still there after the recall answered OK", async () => {
    emulator.faults.push({
      command: RECALL_COMMAND,
      body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}',
    });
    const run = await runAction(inputs({ group: general, verify: "true" }));

    expect(run.exitCode).toBe(1);
    expect(results(run)).toEqual([
      expect.objectContaining({ outcome: "failed", errorCode: -4, messages: 0, remaining: 5 }),
    ]);
    expect(run.errors[0]).toContain("5 message(s) still not recalled in the window after the recall");
    expect(run.outputs["remaining-messages"]).toBe("5");
  });
});

describe("notify", () => {
  it("recalls each sender's messages of the window by seq, ten a call at most", async () => {
    const run = await runAction(
      inputs({ group: `${general}\n${community}`, topic: "", mode: "notify", verify: "true" }),
    );

    expect(run.exitCode).toBe(0);
    expect(calls(RECALL_COMMAND)).toEqual([]);
    const batches = calls(RECALL_BY_SEQ_COMMAND).map(
      (r) => (r.body as { MsgSeqList: unknown[] }).MsgSeqList.length,
    );
    expect(batches.every((n) => n <= 10)).toBe(true);
    expect(recalledBy("mallory")).toBe(5);
    expect(recalledBy("mallory", community)).toBe(1);
    expect(results(run).map((r) => [r.group, r.outcome, r.messages, r.remaining])).toEqual(
      expect.arrayContaining([
        [general, "recalled", 5, 0],
        [community, "recalled", 1, 0],
      ]),
    );
  });

  it("fails a pair when a seq could not be recalled, and says which", async () => {
    emulator.faults.push({
      command: RECALL_BY_SEQ_COMMAND,
      body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RecallRetList":[]}',
    });
    const run = await runAction(inputs({ group: general, mode: "notify" }));
    expect(run.exitCode).toBe(1);
    expect(results(run)).toEqual([expect.objectContaining({ outcome: "failed", errorCode: -2 })]);
    expect(run.errors[0]).toContain("5 of 5 message(s) could not be recalled: seq");
  });
});
