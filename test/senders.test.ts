import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NOT_AN_ACCOUNT } from "../src/chat/errors.js";
import { startEmulator, type Emulator } from "../src/emulator/index.js";
import { ACCOUNT_CHECK_COMMAND } from "../src/recall/senders.js";
import { RECALL_COMMAND } from "../src/recall/strategy-silent.js";
import { runCli } from "./support/cli-process.js";
import { APP_ID, appInputs, SECRET_KEY } from "./support/emulator.js";
import { runAction } from "./support/github-runner.js";

let emulator: Emulator;
let group: string;

/** A group where leckie (an account) and a deleted spammer posted, and lee and alice talk. */
beforeEach(async () => {
  emulator = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }] });
  const { state } = emulator;
  group = state.createGroup(APP_ID, { type: "Public", groupId: "@TGS#2C5SZEAEF" });
  for (const [from, text] of [
    ["leckie", "buy cheap watches"],
    ["alice", "hello"],
    ["lee", "hi"],
    ["spam-bot-7", "click this link"],
    ["leckie", "cheap watches again"],
  ] as const)
    state.sendMessage(APP_ID, group, from, text);
  state.deleteAccount(APP_ID, "spam-bot-7");
  state.importAccount(APP_ID, "quiet");
});

afterEach(() => emulator.close());

const inputs = (more: Record<string, string>) => appInputs(emulator.url, { group, ...more });
const results = (run: { outputs: Record<string, string> }) =>
  JSON.parse(run.outputs.results!) as Record<string, unknown>[];
const recalledBy = (sender: string) =>
  emulator.state.history(APP_ID, group).filter((m) => m.from === sender && m.recalled).length;
const recallCalls = () => emulator.requests.filter((r) => r.command === RECALL_COMMAND);

describe("a sender that is not there", () => {
  it("fails a mistyped sender with no recall call, naming the senders it likely meant", async () => {
    const run = await runAction(inputs({ sender: "lekie\nleckie" }));

    expect(run.exitCode).toBe(1);
    expect(emulator.requests.filter((r) => r.command === ACCOUNT_CHECK_COMMAND)).toHaveLength(1);
    expect(recallCalls().map((r) => (r.body as { Sender_Account: string }).Sender_Account)).toEqual([
      "leckie",
    ]);
    const typo = results(run).find((r) => r.sender === "lekie")!;
    expect(typo).toMatchObject({ outcome: "failed", actionStatus: "FAIL", errorCode: NOT_AN_ACCOUNT });
    expect(typo.errorInfo).toContain('"lekie" is not an account of this app and has no messages');
    expect(typo.errorInfo).toContain('closest IDs: "leckie", "lee"');
    expect(run.errors).toEqual([expect.stringContaining('"lekie" is not an account')]);
    expect(run.summary).toContain("` lekie ` | ❌ failed | -5 |");
    expect(recalledBy("leckie")).toBe(2);
  });

  it("recalls the messages of a deleted account, which stay in the group", async () => {
    const run = await runAction(inputs({ sender: "spam-bot-7" }));
    expect(run.exitCode).toBe(0);
    expect(results(run)).toEqual([expect.objectContaining({ sender: "spam-bot-7", outcome: "recalled" })]);
    expect(recalledBy("spam-bot-7")).toBe(1);
  });

  it("recalls a deleted account's messages in many groups at once, and a second run passes too", async () => {
    const groups = Array.from({ length: 40 }, (_, i) => `@TGS#MANY${i}`);
    for (const id of groups) {
      emulator.state.createGroup(APP_ID, { type: "Public", groupId: id });
      for (let i = 0; i < 3; i++) emulator.state.sendMessage(APP_ID, id, "spam-bot-7", `spam ${i}`);
    }
    emulator.state.deleteAccount(APP_ID, "spam-bot-7");
    const first = await runAction(inputs({ group: groups.join("\n"), sender: "spam-bot-7" }), {
      timeoutMs: 30_000,
    });
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({ succeeded: "40", failed: "0" });
    const again = await runAction(inputs({ group: groups.join("\n"), sender: "spam-bot-7", mode: "notify" }));
    expect(again.exitCode).toBe(0);
    expect(again.outputs).toMatchObject({ succeeded: "40", "recalled-messages": "0" });
  });

  it("says an account with no messages had nothing to recall, counted, and still passes", async () => {
    const run = await runAction(inputs({ sender: "quiet", "dry-run": "true" }));
    expect(run.exitCode).toBe(0);
    expect(results(run)).toEqual([
      expect.objectContaining({ outcome: "dry-run", messages: 0, errorInfo: "nothing to recall" }),
    ]);
    expect(run.lines).toContain("DRY  sender quiet in group @TGS#2C5SZEAEF: nothing to recall");
    expect(run.summary).toContain("(1 with nothing to recall)");
  });

  it("fails a mistyped sender in a dry run too, and with the preflight off recalls it as asked", async () => {
    const dry = await runAction(inputs({ sender: "lekie", "dry-run": "true" }));
    expect(dry.exitCode).toBe(1);
    expect(results(dry)[0]).toMatchObject({ outcome: "failed", errorCode: NOT_AN_ACCOUNT });

    const unchecked = await runAction(inputs({ sender: "lekie", preflight: "false" }));
    expect(unchecked.exitCode).toBe(0);
    expect(emulator.requests.filter((r) => r.command === ACCOUNT_CHECK_COMMAND)).toHaveLength(1);
  });
});

describe("a line of a list that holds a comma", () => {
  it("is read as one ID, with a warning naming the line", async () => {
    const run = await runAction(inputs({ sender: "leckie\nalice, bob" }));
    expect(run.warnings).toContain(
      'Input "sender", line 2: "alice, bob" holds a comma and is read as one ID, as each line of a list is. If it lists several IDs, put each on a line of its own.',
    );
    expect(results(run).map((r) => r.sender)).toEqual(expect.arrayContaining(["leckie", "alice, bob"]));
  });
});

describe("the command line", () => {
  it("exits 1 for a mistyped sender and says which senders are there", async () => {
    const run = runCli(
      [
        "recall",
        "--group",
        group,
        "--sender",
        "lekie",
        "--sdk-app-id",
        String(APP_ID),
        "--endpoint",
        emulator.url,
      ],
      { TENCENT_CHAT_SECRET_KEY: SECRET_KEY },
    );
    expect(await run.exit).toBe(1);
    const { stdout, stderr } = run.output();
    expect(JSON.parse(stdout)).toMatchObject({
      sender: "lekie",
      outcome: "failed",
      errorCode: NOT_AN_ACCOUNT,
    });
    expect(stderr).toContain('closest IDs: "leckie", "lee"');
    expect(recallCalls()).toEqual([]);
  });

  it("warns of a list file line that holds a comma and a space", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "senders-")), "senders.txt");
    writeFileSync(file, "# spammers\nleckie\nalice, bob\n");
    const run = runCli(
      [
        "recall",
        "--group",
        group,
        "--sender-file",
        file,
        "--allow-files-outside",
        "--sdk-app-id",
        String(APP_ID),
        "--endpoint",
        emulator.url,
      ],
      { TENCENT_CHAT_SECRET_KEY: SECRET_KEY },
    );
    await run.exit;
    expect(run.output().stderr).toContain(`ID 2: "alice, bob" holds a comma and is read as one ID`);
  });
});
