import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ARCHIVE_FAILED } from "../src/chat/errors.js";
import { startEmulator, type Emulator } from "../src/emulator/index.js";
import { HISTORY_COMMAND } from "../src/recall/history.js";
import { RECALL_BY_SEQ_COMMAND } from "../src/recall/recall-seqs.js";
import { RECALL_COMMAND } from "../src/recall/strategy-silent.js";
import { runCli } from "./support/cli-process.js";
import { APP_ID, appInputs, SECRET_KEY } from "./support/emulator.js";
import { runAction } from "./support/github-runner.js";

const HOUR = 3600;
let emulator: Emulator;
let group: string;
let now: number;

/** A group where mallory posted 3 h, 2 h, 30 min and 10 min ago, among alice's messages. */
beforeEach(async () => {
  emulator = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }] });
  now = Math.floor(Date.now() / 1000);
  group = emulator.state.createGroup(APP_ID, { type: "Public", groupId: "@TGS#BURST" });
  for (const [from, ago] of [
    ["mallory", 3 * HOUR],
    ["alice", 2.5 * HOUR],
    ["mallory", 2 * HOUR],
    ["alice", HOUR],
    ["mallory", HOUR / 2],
    ["mallory", HOUR / 6],
  ] as const)
    emulator.state.sendMessage(APP_ID, group, from, `${from} ${ago}s ago`, undefined, 7, now - ago);
});

afterEach(() => emulator.close());

const inputs = (more: Record<string, string>) => appInputs(emulator.url, { group, ...more });
const calls = (command: string) => emulator.requests.filter((r) => r.command === command);
const recalledTexts = (id = group) =>
  emulator.state
    .messages(APP_ID, id)
    .filter((m) => m.recalled)
    .map((m) => m.text);

describe("a time window", () => {
  it("recalls by seq only the sender's messages sent since a time back from now", async () => {
    const run = await runAction(inputs({ since: "1h" }));
    expect(run.exitCode).toBe(0);
    expect(recalledTexts()).toEqual([`mallory ${HOUR / 2}s ago`, `mallory ${HOUR / 6}s ago`]);
    expect(calls(RECALL_COMMAND)).toEqual([]);
    expect(run.lines.join("\n")).toContain("by seq with group_msg_recall, so that clients see it at once");
    expect(run.outputs).toMatchObject({ "recalled-messages": "2" });
  });

  it("takes ISO 8601 times for both ends, and counts within them in a dry run", async () => {
    const iso = (ago: number) => new Date((now - ago) * 1000).toISOString();
    const run = await runAction(inputs({ since: iso(2.5 * HOUR), until: iso(HOUR / 4), "dry-run": "true" }));
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ "matched-messages": "2" });
    expect(recalledTexts()).toEqual([]);
  });

  it("refuses a window that ends before it starts, or a time it cannot read, before any call", async () => {
    const swapped = await runAction(inputs({ since: "1h", until: "2h" }));
    expect(swapped.errors).toEqual([
      expect.stringContaining('Input "until": the window ends before it starts'),
    ]);
    const unreadable = await runAction(inputs({ since: "yesterday" }));
    expect(unreadable.errors).toEqual([expect.stringContaining('Input "since": expected an ISO 8601 time')]);
    const zoneless = await runAction(inputs({ since: "2026-12-01T08:00:00" }));
    expect(zoneless.exitCode).toBe(1);
    const noSuchDay = await runAction(inputs({ until: "2026-02-30T00:00:00Z" }));
    expect(noSuchDay.errors).toEqual([expect.stringContaining('Input "until": expected an ISO 8601 time')]);
    expect(emulator.requests).toEqual([]);
  });
});

describe("depth", () => {
  it("finds and recalls the sender's messages beyond the last 1,000, paging down to seq 1", async () => {
    for (let i = 0; i < 1200; i++)
      emulator.state.sendMessage(APP_ID, group, i % 2 ? "alice" : "bob", `m${i}`);
    emulator.state.sendMessage(APP_ID, group, "mallory", "newest");

    const silent = await runAction(inputs({ "dry-run": "true" }));
    expect(silent.outputs).toMatchObject({ "matched-messages": "1" });

    const deep = await runAction(inputs({ depth: "5000" }));
    expect(deep.exitCode).toBe(0);
    expect(recalledTexts()).toHaveLength(5);
    expect(calls(HISTORY_COMMAND).length - 50).toBe(Math.ceil(1207 / 20));
  });

  it("searches no deeper than the depth, even within the first page", async () => {
    const run = await runAction(inputs({ depth: "3", mode: "notify" }));
    expect(run.exitCode).toBe(0);
    expect(recalledTexts()).toEqual([`mallory ${HOUR / 2}s ago`, `mallory ${HOUR / 6}s ago`]);
  });

  it("reads on past a run of deleted messages", async () => {
    for (let i = 0; i < 45; i++) {
      const seq = emulator.state.sendMessage(APP_ID, group, "alice", "deleted");
      emulator.state.deleteMessage(APP_ID, group, seq);
    }
    const run = await runAction(inputs({ mode: "notify" }));
    expect(run.outputs).toMatchObject({ "recalled-messages": "4" });
  });

  it("stops paging at the end of the roaming history", async () => {
    await emulator.close();
    emulator = await startEmulator({
      apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY, historyRetentionSeconds: HOUR }],
    });
    group = emulator.state.createGroup(APP_ID, { type: "Public" });
    for (let i = 0; i < 2000; i++)
      emulator.state.sendMessage(APP_ID, group, "mallory", "old", undefined, 0, now - 2 * HOUR);
    for (let i = 0; i < 30; i++) emulator.state.sendMessage(APP_ID, group, "mallory", "new");

    const run = await runAction(inputs({ depth: "100000" }));
    expect(run.exitCode).toBe(0);
    expect(recalledTexts()).toEqual(Array(30).fill("new"));
    // Of the 102 pages down to seq 1: the first, and at most two rounds of the twenty read at once.
    expect(calls(HISTORY_COMMAND).length).toBeLessThanOrEqual(41);
  });
});

describe("a reason", () => {
  it("is sent with every recall by seq", async () => {
    const run = await runAction(inputs({ mode: "notify", reason: "Spam (report #4711)" }));
    expect(run.exitCode).toBe(0);
    expect(calls(RECALL_BY_SEQ_COMMAND).map((r) => (r.body as { Reason?: string }).Reason)).toEqual([
      "Spam (report #4711)",
    ]);
    const reasons = emulator.state
      .messages(APP_ID, group)
      .filter((m) => m.recalled)
      .map((m) => m.recallReason);
    expect(reasons).toEqual(Array(4).fill("Spam (report #4711)"));
  });

  it("is refused with the silent recall, and past 100 bytes, before any call", async () => {
    const silent = await runAction(inputs({ reason: "spam" }));
    expect(silent.errors).toEqual([
      expect.stringContaining(
        'Input "reason": the silent recall (delete_group_msg_by_sender) has no reason field',
      ),
    ]);
    const long = await runAction(inputs({ mode: "notify", reason: "é".repeat(51) }));
    expect(long.errors).toEqual([expect.stringContaining("the reason is 102 bytes in UTF-8")]);
    expect(emulator.requests).toEqual([]);
  });
});

describe("the archive", () => {
  it("writes each message before it is recalled, and recalls exactly those", async () => {
    const run = await runAction(inputs({ archive: "true", since: "150m" }));
    expect(run.exitCode).toBe(0);
    const file = run.outputs["archive-file"]!;
    expect(file).toMatch(/tencent-chat-recall-\d+-archive\.jsonl$/);
    const lines = run.archiveFile.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.MsgBody)).toEqual(
      [2 * HOUR, HOUR / 2, HOUR / 6]
        .reverse()
        .map((ago) => [{ MsgType: "TIMTextElem", MsgContent: { Text: `mallory ${ago}s ago` } }]),
    );
    expect(lines[0]).toMatchObject({
      group,
      topic: null,
      sender: "mallory",
      MsgRandom: 7,
      time: now - HOUR / 6,
    });
    expect(recalledTexts()).toEqual([2 * HOUR, HOUR / 2, HOUR / 6].map((ago) => `mallory ${ago}s ago`));
    expect(run.outputs).toMatchObject({ "archived-messages": "3" });
    expect(run.summary).toContain(`3 message(s) archived.\n\nArchive: \` ${file} \``);
  });

  it("with verify, counts only what this run recalled", async () => {
    await runAction(inputs({ archive: "true" }));
    const again = await runAction(inputs({ archive: "true", verify: "true" }));
    expect(again.exitCode).toBe(0);
    expect(again.outputs).toMatchObject({ "recalled-messages": "0", "archived-messages": "0" });
    expect(JSON.parse(again.outputs.results!)[0]).toMatchObject({ messages: 0, remaining: 0 });
  });

  it("fails the pairs before any recall when the messages cannot be written", async () => {
    const run = await runAction(inputs({ archive: "/dev/full" }));
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.outputs.results!)).toEqual([
      expect.objectContaining({ outcome: "failed", errorCode: ARCHIVE_FAILED }),
    ]);
    expect(calls(RECALL_BY_SEQ_COMMAND)).toEqual([]);
    expect(recalledTexts()).toEqual([]);
  });

  it("stops the run before any call when the file cannot be opened", async () => {
    const run = await runAction(inputs({ archive: "/proc/no-such-dir/archive.jsonl" }));
    expect(run.exitCode).toBe(1);
    expect(run.errors.join("\n")).toContain("could not be opened");
    expect(calls(RECALL_BY_SEQ_COMMAND)).toEqual([]);
  });
});

describe("the command line", () => {
  it("takes --since, --reason and --archive FILE", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "archive-")), "evidence.jsonl");
    const run = runCli(
      [
        "recall",
        ...[
          "--group",
          group,
          "--sender",
          "mallory",
          "--sdk-app-id",
          String(APP_ID),
          "--endpoint",
          emulator.url,
        ],
        ...["--since", "45m", "--reason", "spam", "--archive", file],
      ],
      { TENCENT_CHAT_SECRET_KEY: SECRET_KEY },
    );
    expect(await run.exit).toBe(0);
    expect(JSON.parse(run.output().stdout)).toMatchObject({ outcome: "recalled", messages: 2 });
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(2);
    expect(run.output().stderr).toContain(`2 message(s) archived.\nArchive: ${file}\n`);
    expect(recalledTexts()).toEqual([`mallory ${HOUR / 2}s ago`, `mallory ${HOUR / 6}s ago`]);
  });
});
