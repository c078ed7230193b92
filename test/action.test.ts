import { RECALL_COMMAND as RECALL } from "../src/recall/strategy-silent.js";
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator } from "../src/emulator/index.js";
import { decodeUserSig, signUserSig, userSigAsBase64 } from "../src/chat/usersig.js";
import { runAction, visibleText } from "./support/github-runner.js";
import { APP_ID, appInputs, SECRET_KEY, emulatorWithGroup, recalledSenders } from "./support/emulator.js";

let emulator: Emulator;

afterEach(async () => {
  await emulator?.close();
});

const baseInputs = (groupId: string) => appInputs(emulator.url, { group: groupId });

describe("the Action run as the runner runs it", () => {
  it("recalls the sender's messages, keeps the others, and reports OK", async () => {
    let groupId: string;
    ({ emulator, groupId } = await emulatorWithGroup());
    const run = await runAction(baseInputs(groupId));

    expect(run.exitCode).toBe(0);
    expect(recalledSenders(emulator, groupId)).toEqual(["mallory", "mallory"]);
    expect(run.outputs["action-status"]).toBe("OK");
    expect(run.outputs["error-code"]).toBe("0");
    expect(run.outputs.succeeded).toBe("1");
    expect(run.outputs.failed).toBe("0");
    const result = {
      group: groupId,
      sender: "mallory",
      topic: null,
      outcome: "recalled",
      actionStatus: "OK",
      errorCode: 0,
      errorInfo: "",
      attempts: 1,
      reads: 0,
      messages: null,
      remaining: null,
    };
    expect(JSON.parse(run.outputs.results!)).toEqual([result]);
    expect(run.resultsFile.map((line) => JSON.parse(line))).toEqual([result]);
    expect(run.summary).toContain(`| \` ${groupId} \` | \` mallory \` | ✅ recalled |  |  |  | 1 |`);
    expect(run.errors).toEqual([]);
    // Each pair's line is in a collapsed group; the plan and the outcome are outside it.
    expect(run.commands.map((c) => c.command)).toEqual(expect.arrayContaining(["group", "endgroup"]));
    const lines = run.stdout.split("\n").filter((line) => !line.startsWith("::add-mask::"));
    expect(lines.slice(0, 4)).toEqual([
      expect.stringMatching(/^Recalling the messages of 1 \(group or topic, sender\) pair/),
      "::group::Pairs",
      `OK   sender mallory in group ${groupId} (1 attempt(s))`,
      "::endgroup::",
    ]);
    expect(lines[4]).toBe("1 of 1 pair(s) recalled, 0 failed, 0 skipped, 0 not attempted.");
  });

  it("masks the secret key and the UserSig it signs, and shows neither anywhere", async () => {
    let groupId: string;
    ({ emulator, groupId } = await emulatorWithGroup());
    const run = await runAction(baseInputs(groupId));

    expect(run.stdout.indexOf(`::add-mask::${SECRET_KEY}`)).toBe(0);
    const signed = run.masks.filter(
      (m) => m.startsWith("eJ") && decodeUserSig(m)?.identifier === "administrator",
    );
    expect(signed.length).toBeGreaterThanOrEqual(1);
    const forms = [SECRET_KEY, signed[0]!, userSigAsBase64(signed[0]!), decodeUserSig(signed[0]!)!.sig];
    for (const form of forms) expect(run.masks).toContain(form);
    const shown = visibleText(run);
    for (const form of forms) expect(shown).not.toContain(form);
  });

  it("leads the summary with the verdict, and folds a long table, with the reads of a dry run apart", async () => {
    let groupId: string;
    ({ emulator, groupId } = await emulatorWithGroup());
    const senders = Array.from({ length: 25 }, (_, i) => `user-${i}`).join("\n");
    const run = await runAction({
      ...baseInputs(groupId),
      sender: senders,
      preflight: "false",
      "dry-run": "true",
    });
    expect(run.exitCode).toBe(0);
    const [verdict, table] = [
      run.summary.indexOf("### ✅ Dry run: 25 of 25"),
      run.summary.indexOf("| group |"),
    ];
    expect(verdict).toBeGreaterThan(0);
    expect(table).toBeGreaterThan(verdict);
    expect(run.summary).toContain("<details><summary>Every pair (25)</summary>");
    expect(run.summary).toContain(
      "| group | sender | outcome | ErrorCode | ErrorInfo | messages | attempts | reads |",
    );
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ attempts: 0, reads: 1 });
    expect(run.outputs).toMatchObject({
      "matched-messages": "0",
      "recalled-messages": "",
      "remaining-messages": "",
    });
  });

  it("calls every (group, sender) pair once, reports each failure, and fails the step", async () => {
    let groupId: string;
    ({ emulator, groupId } = await emulatorWithGroup());
    const run = await runAction({
      ...baseInputs(groupId),
      group: `${groupId}\n@TGS#MISSING\n${groupId}`,
      sender: "mallory, bob,mallory",
    });

    expect(run.exitCode).toBe(1);
    // The preflight finds @TGS#MISSING missing: no recall call is made for it.
    expect(emulator.requests.filter((r) => r.command === RECALL).map((r) => r.body)).toEqual([
      { GroupId: groupId, Sender_Account: "mallory" },
      { GroupId: groupId, Sender_Account: "bob" },
    ]);
    expect(emulator.requests.filter((r) => r.command === "group_open_http_svc/get_group_info")).toHaveLength(
      1,
    );
    expect(recalledSenders(emulator, groupId).sort()).toEqual(["bob", "mallory", "mallory"]);
    expect(run.outputs["action-status"]).toBe("FAIL");
    expect(run.outputs["error-code"]).toBe("10010");
    expect(run.outputs.succeeded).toBe("2");
    expect(run.outputs.failed).toBe("2");
    // One cause, said once with its count; the log has a line for each pair.
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Recall of sender mallory in group @TGS#MISSING failed: ErrorCode 10010 \(the group does not exist.* \(2 pairs failed this way: sender mallory in group @TGS#MISSING; sender bob in group @TGS#MISSING\)$/,
      ),
    ]);
    for (const sender of ["mallory", "bob"])
      expect(run.lines).toContainEqual(
        expect.stringContaining(
          `FAIL Recall of sender ${sender} in group @TGS#MISSING failed: ErrorCode 10010`,
        ),
      );
    expect(run.summary).toContain("❌ failed | 10010");
    expect(run.summary).toMatch(
      /^## Tencent Cloud Chat recall\n\n### ❌ 2 of 4 pair\(s\) recalled, 2 failed, 0 skipped, 0 not attempted\.\n\nTook /,
    );
    expect(run.summary).toContain("### Failures by cause\n\n| pairs | first failure | pairs it failed |");
  });

  it.each([
    [{ group: "" }, 'Input "group": give at least one group ID'],
    [{ sender: "x".repeat(33) }, 'Input "sender": user ID'],
    [{ "sdk-app-id": "14000x" }, 'Input "sdk-app-id": expected the SDKAppID'],
    [{ "user-sig": "abc" }, 'Input "secret-key" and Input "user-sig" are both set'],
    [{ "secret-key": "" }, 'Input "secret-key" or Input "user-sig" is required'],
    [{ region: "mars" }, 'Input "region": unknown region "mars"'],
    [{ endpoint: "http://example.com" }, "http is allowed only for"],
    [{ "max-attempts": "lots" }, 'Input "max-attempts": expected a whole number'],
    [{ "request-timeout": "0" }, 'Input "request-timeout": expected a decimal number from 1 to 600'],
    [{ "request-timeout": "0x10" }, 'Input "request-timeout": expected a decimal number from 1 to 600'],
    [{ endpoint: "http://127.0.0.1:1/?" }, "must not carry a query (?) or fragment (#)"],
    [{ group: "team,alpha" }, 'Input "group": "team,alpha" has a comma'],
    [{ topic: "@TGS#_OTHER@TOPIC#_x" }, 'Input "topic": topic ID "@TGS#_OTHER@TOPIC#_x" must be'],
  ])("rejects bad input %j before any request", async (override, message) => {
    let groupId: string;
    ({ emulator, groupId } = await emulatorWithGroup());
    const run = await runAction({ ...baseInputs(groupId), ...override });

    expect(run.exitCode).toBe(1);
    expect(emulator.requests).toEqual([]);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(message);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
    expect(visibleText(run)).not.toContain(SECRET_KEY);
  });

  it("retries a transient failure and succeeds", async () => {
    let groupId: string;
    ({ emulator, groupId } = await emulatorWithGroup());
    emulator.faults.push({ command: RECALL, httpStatus: 502 }, { command: RECALL, errorCode: 70500 });
    const run = await runAction(baseInputs(groupId));

    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.results!)[0].attempts).toBe(3);
    const randoms = emulator.requests.filter((r) => r.command === RECALL).map((r) => r.random);
    expect(new Set(randoms).size).toBe(3);
    expect(recalledSenders(emulator, groupId)).toEqual(["mallory", "mallory"]);
  });

  it("bounds a hanging server by request-timeout and max-attempts, then fails", async () => {
    let groupId: string;
    ({ emulator, groupId } = await emulatorWithGroup());
    emulator.faults.push({ command: RECALL, hangMs: 60_000, times: 2 });
    const started = Date.now();
    const run = await runAction({ ...baseInputs(groupId), "request-timeout": "1", "max-attempts": "2" });

    // Generous, on real time: the server would hang for 60 s.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.exitCode).toBe(1);
    expect(run.outputs["error-code"]).toBe("-1");
    expect(run.errors[0]).toContain("no answer after 2 attempt(s): no answer within 1000 ms");
    expect(emulator.requests.filter((r) => r.command === RECALL)).toHaveLength(2);
  });

  it("passes a ready user-sig through unchanged and never shows it", async () => {
    let groupId: string;
    ({ emulator, groupId } = await emulatorWithGroup());
    const userSig = signUserSig(SECRET_KEY, { identifier: "administrator", sdkAppId: APP_ID, expire: 3600 });
    const run = await runAction({ ...baseInputs(groupId), "secret-key": "", "user-sig": userSig });

    expect(run.exitCode).toBe(0);
    expect(recalledSenders(emulator, groupId)).toEqual(["mallory", "mallory"]);
    expect(run.masks).toEqual(
      expect.arrayContaining([userSig, userSigAsBase64(userSig), decodeUserSig(userSig)!.sig]),
    );
    expect(visibleText(run)).not.toContain(userSig);
    expect(visibleText(run)).not.toContain(decodeUserSig(userSig)!.sig);
  });

  it("recalls in Community topics, one call per (topic, sender)", async () => {
    ({ emulator } = await emulatorWithGroup());
    const community = emulator.state.createGroup(APP_ID, { type: "Community" });
    const news = emulator.state.createTopic(APP_ID, community, "news");
    const chat = emulator.state.createTopic(APP_ID, community, "chat");
    emulator.state.sendMessage(APP_ID, community, "mallory", "in news", news);
    emulator.state.sendMessage(APP_ID, community, "mallory", "in chat", chat);
    emulator.state.sendMessage(APP_ID, community, "mallory", "in the group itself");
    const run = await runAction({ ...baseInputs(community), topic: `${news}\n${chat}` });

    expect(run.exitCode).toBe(0);
    expect(recalledSenders(emulator, community, news)).toEqual(["mallory"]);
    expect(recalledSenders(emulator, community, chat)).toEqual(["mallory"]);
    expect(recalledSenders(emulator, community)).toEqual([]);
    expect(
      JSON.parse(run.outputs.results!)
        .map((r: { topic: string }) => r.topic)
        .sort(),
    ).toEqual([chat, news].sort());
  });
});

describe("list files", () => {
  it("reads group and sender IDs from files in the workspace: one a line, # comments, no final newline needed", async () => {
    let groupId: string;
    ({ emulator, groupId } = await emulatorWithGroup());
    const second = emulator.state.createGroup(APP_ID, { type: "Public", groupId: "team,alpha" });
    emulator.state.sendMessage(APP_ID, second, "bob", "hi");
    const run = await runAction(
      {
        ...baseInputs(groupId),
        group: "",
        sender: "mallory",
        "group-file": "moderation/groups.txt",
        "sender-file": "moderation/senders.txt",
      },
      {
        files: {
          "moderation/groups.txt": `# groups to clean\n${groupId}\n\n  team,alpha  `,
          "moderation/senders.txt": "# blocked\r\nbob",
        },
      },
    );

    expect(run.exitCode).toBe(0);
    expect(emulator.requests.filter((r) => r.command === RECALL).map((r) => r.body)).toEqual(
      expect.arrayContaining([
        { GroupId: groupId, Sender_Account: "mallory" },
        { GroupId: groupId, Sender_Account: "bob" },
        { GroupId: "team,alpha", Sender_Account: "mallory" },
        { GroupId: "team,alpha", Sender_Account: "bob" },
      ]),
    );
    expect(run.outputs.succeeded).toBe("4");
  });

  it("names a file it cannot read, before any request", async () => {
    ({ emulator } = await emulatorWithGroup());
    const run = await runAction({ ...baseInputs("@TGS#X"), group: "", "group-file": "missing.txt" });
    expect(run.exitCode).toBe(1);
    expect(emulator.requests).toEqual([]);
    expect(run.errors).toEqual([
      expect.stringMatching(/^Input "group-file": cannot read ".*missing\.txt": ENOENT/),
    ]);
  });

  it("names the line of a bad ID in a file, without showing it", async () => {
    ({ emulator } = await emulatorWithGroup());
    const run = await runAction(
      { ...baseInputs("@TGS#X"), group: "", "group-file": "groups.txt" },
      { files: { "groups.txt": "@TGS#OK\n\n" + "g".repeat(60) } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Input "group-file": line 3 of ".*groups\.txt" is not a group ID: it is 60 bytes; the limit is 48 \(the line is not shown\)\.$/,
      ),
    ]);
    expect(visibleText(run)).not.toContain("g".repeat(60));
  });
});
