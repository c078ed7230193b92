import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explainCode } from "../../src/chat/errors.js";
import { signUserSig } from "../../src/chat/usersig.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createProject, tail, type PulumiProject } from "./support/pulumi.js";
import { filesContaining } from "./support/tools.js";

/*
 * examples/pulumi through the real Pulumi engine (pulumi v3.248.0 built from source, a file://
 * backend, the dynamic-provider plugin), the package packed from the working tree in the program's
 * node_modules, against the emulator on 127.0.0.1.
 */
const APP_ID = 1400000001;
const SECRET_KEY = "hosts-secret-key-5d1f0a9c";
const ARG_KEY = "hosts-argument-key-8e27b4c1";
const RECALL = "group_open_http_svc/delete_group_msg_by_sender";
/*
 * The engine's verbose logs, to stderr, with the plugins' logs flowing into them. Past -v=6 the
 * engine itself prints decrypted property values ("Planner decided to create … (inputs=map[…])" at
 * 7, "Marshaling property for RPC" at 9), secrets included: that is Pulumi's own diagnostics, which
 * its docs warn about, not this package's, so the search stops at 6.
 */
const VERBOSE = { logVerbosity: 6, logToStdErr: true, logFlow: true, debug: true };
const GROUP = "@TGS#2C5SZEAEF";

let emulator: Emulator;

function seedGroup(groupId: string): void {
  emulator.state.createGroup(APP_ID, { type: "Public", groupId });
  for (const [from, text] of [
    ["leckie", "Cheap watches here"],
    ["alice", "Good morning"],
    ["leckie", "Limited offer"],
  ]) {
    emulator.state.importAccount(APP_ID, from!);
    emulator.state.sendMessage(APP_ID, groupId, from!, text!);
  }
}

function recalledSenders(groupId: string): string[] {
  return emulator.state
    .history(APP_ID, groupId)
    .filter((m) => m.recalled)
    .map((m) => m.from);
}

const requestCount = () => emulator.requestCount;
const recallCalls = () => emulator.requests.filter((r) => r.command === RECALL).length;

beforeAll(async () => {
  emulator = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }] });
  emulator.state.addApp({ sdkAppId: APP_ID + 1, secretKey: ARG_KEY });
});
afterAll(() => emulator?.close());

describe("examples/pulumi under `pulumi up`, the stack configuration as its README says", () => {
  let project: PulumiProject;

  beforeAll(async () => {
    seedGroup(GROUP);
    project = await createProject(
      { "tencent-chat:sdkAppId": String(APP_ID), "tencent-chat:endpoint": emulator.url },
      { "tencent-chat:secretKey": SECRET_KEY },
    );
  }, 180_000);
  afterAll(() => project?.remove());

  it("up recalls; preview shows no changes; a new trigger replaces and recalls again; refresh and destroy call nothing", async () => {
    const up = await project.operation("up", VERBOSE);
    expect(up.ok, tail(up.text)).toBe(true);
    expect(up.summary?.resourceChanges).toMatchObject({ create: 2 }); // the stack and the recall
    expect(up.outputs?.status?.value).toBe("OK");
    expect(recalledSenders(GROUP)).toEqual(["leckie", "leckie"]);
    expect(recallCalls()).toBe(1);

    const preview = await project.operation("preview");
    expect(preview.ok, tail(preview.text)).toBe(true);
    expect(preview.changeSummary).toEqual({ same: 2 });
    expect(recallCalls()).toBe(1);

    // New messages, then a new incident number: the resource is replaced and recalls again.
    emulator.state.sendMessage(APP_ID, GROUP, "leckie", "Back again");
    const set = await project.pulumi(["config", "set", "incident", "incident-4712"]);
    expect(set.code, set.stderr).toBe(0);
    const again = await project.operation("up");
    expect(again.ok, tail(again.text)).toBe(true);
    expect(again.summary?.resourceChanges).toMatchObject({ replace: 1, same: 1 });
    expect(recallCalls()).toBe(2);
    expect(recalledSenders(GROUP)).toEqual(["leckie", "leckie", "leckie"]);

    const before = requestCount();
    const refresh = await project.operation("refresh");
    expect(refresh.ok, tail(refresh.text)).toBe(true);
    expect(refresh.summary?.resourceChanges).toEqual({ same: 2 });
    expect(requestCount()).toBe(before);

    const state = await project.exportText();
    expect(state).toContain("pulumi-nodejs:dynamic/tencent-chat:GroupMessageRecall");
    // The state, the engine's output and its verbose logs (to stderr and to files under TMPDIR),
    // PULUMI_HOME and the backend: the secret key is in none of them in plain text.
    expect(state).not.toContain(SECRET_KEY);
    expect(up.text).toContain('"level":"INFO"'); // the verbose logs were there to search
    for (const text of [up.text, preview.text, again.text, refresh.text])
      expect(text).not.toContain(SECRET_KEY);
    expect(await filesContaining([project.root, project.dir], SECRET_KEY)).toEqual([]);
    // The default provider's inputs are the whole stack configuration: the key is there as ciphertext.
    const stateJson = JSON.parse(state) as {
      deployment: { resources: { type: string; inputs?: Record<string, unknown> }[] };
    };
    const defaultProvider = stateJson.deployment.resources.find(
      (r) => r.type === "pulumi:providers:pulumi-nodejs",
    );
    expect(defaultProvider?.inputs?.["tencent-chat:secretKey"]).toMatchObject({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: expect.any(String),
    });

    const destroyed = requestCount();
    const destroy = await project.operation("destroy");
    expect(destroy.ok, tail(destroy.text)).toBe(true);
    expect(destroy.summary?.resourceChanges).toMatchObject({ delete: 2 });
    expect(requestCount()).toBe(destroyed);
    expect(destroy.text).not.toContain(SECRET_KEY);
  }, 600_000);

  it("a recall that fails fails `pulumi up` with the code and its meaning and records nothing; the next up, once the group exists, recalls", async () => {
    const missing = "@TGS#HOSTSMISSING1";
    await project.pulumi(["config", "set", "groupId", missing]);
    const failed = await project.operation("up");
    expect(failed.ok).toBe(false);
    expect(failed.text).toContain("10010");
    expect(failed.text).toContain(explainCode(10010));
    expect(failed.text).not.toContain(SECRET_KEY);
    const recorded = JSON.parse(await project.exportText()) as {
      deployment: { resources?: { type: string }[] };
    };
    expect(
      (recorded.deployment.resources ?? []).filter((r) => r.type.endsWith("GroupMessageRecall")),
    ).toEqual([]);

    seedGroup(missing);
    const up = await project.operation("up");
    expect(up.ok, tail(up.text)).toBe(true);
    expect(recalledSenders(missing)).toEqual(["leckie", "leckie"]);
    const destroy = await project.operation("destroy");
    expect(destroy.ok, tail(destroy.text)).toBe(true);
  }, 600_000);

  it("a secret key and a UserSig given as resource arguments stay secret in the state, the output and the logs", async () => {
    const userSig = signUserSig(ARG_KEY, { identifier: "administrator", sdkAppId: APP_ID + 1, expire: 3600 });
    const groupId = emulator.state.createGroup(APP_ID + 1, { type: "Public" });
    emulator.state.importAccount(APP_ID + 1, "leckie");
    emulator.state.sendMessage(APP_ID + 1, groupId, "leckie", "spam");
    emulator.state.sendMessage(APP_ID + 1, groupId, "leckie", "more spam");
    await writeFile(
      join(project.dir, "arguments.js"),
      `"use strict";
const { GroupMessageRecall } = require("tencent-chat-recall/pulumi");
const common = { groupId: ${JSON.stringify(groupId)}, sdkAppId: ${APP_ID + 1}, endpoint: ${JSON.stringify(emulator.url)} };
const byKey = new GroupMessageRecall("by-key", { ...common, senderAccount: "leckie", secretKey: ${JSON.stringify(ARG_KEY)} });
const bySig = new GroupMessageRecall("by-sig", { ...common, senderAccount: "leckie", userSig: ${JSON.stringify(userSig)}, triggers: ["second"] });
exports.byKey = byKey.actionStatus;
exports.bySig = bySig.actionStatus;
`,
    );
    const up = await project.operation("up", VERBOSE, "arguments.js");
    expect(up.ok, tail(up.text)).toBe(true);
    expect(up.outputs?.byKey?.value).toBe("OK");
    expect(up.outputs?.bySig?.value).toBe("OK");
    const state = await project.exportText();
    for (const secret of [ARG_KEY, userSig, SECRET_KEY]) {
      expect(state).not.toContain(secret);
      expect(up.text).not.toContain(secret);
      // The program file itself holds them: the backend, PULUMI_HOME and TMPDIR must not.
      expect(await filesContaining([project.root], secret)).toEqual([]);
    }
    const destroy = await project.operation("destroy", {}, "arguments.js");
    expect(destroy.ok, tail(destroy.text)).toBe(true);
  }, 600_000);
});
