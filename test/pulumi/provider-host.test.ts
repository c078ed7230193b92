import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explainCode } from "../../src/chat/errors.js";
import { signUserSig } from "../../src/chat/usersig.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createConsumer, type Consumer } from "./support/consumer.js";
import { runProgram } from "./support/program.js";
import { startProviderHost, UNKNOWN, type Props, type ProviderHost } from "./support/provider-host.js";

const APP_ID = 1400000001;
const SECRET_KEY = "host-secret-key-3b9e71";
const WRONG_KEY = "wrong-secret-key-a04c22";
const RECALL = "group_open_http_svc/delete_group_msg_by_sender";
const DIFF_NONE = 1;
const DIFF_SOME = 2;
const USER_SIG = signUserSig(SECRET_KEY, { identifier: "administrator", sdkAppId: APP_ID, expire: 3600 });

/** How the engine sends a secret it does not hide from a provider. */
const secret = (value: string) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

let consumer: Consumer;
let emulator: Emulator;
let providerText: string;
const hosts: ProviderHost[] = [];

async function host(env: NodeJS.ProcessEnv, config: Props) {
  const started = await startProviderHost(consumer.dir, env);
  hosts.push(started);
  return { provider: started, configured: await started.configure(config) };
}

function groupWithMessages(): string {
  const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
  emulator.state.sendMessage(APP_ID, groupId, "leckie", "buy cheap watches");
  emulator.state.sendMessage(APP_ID, groupId, "alice", "hello");
  emulator.state.sendMessage(APP_ID, groupId, "leckie", "click this link");
  return groupId;
}

function recalled(groupId: string): string[] {
  return emulator.state
    .history(APP_ID, groupId)
    .filter((m) => m.recalled)
    .map((m) => m.from);
}

function recallCalls(): number {
  return emulator.requests.filter((r) => r.command === RECALL).length;
}

beforeAll(async () => {
  consumer = await createConsumer("commonjs");
  const run = await runProgram(consumer, "commonjs", SECRET_KEY);
  providerText = run.registered[0]!.object.__provider as string;
  emulator = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }] });
}, 180_000);

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await emulator?.close();
  await consumer?.remove();
}, 60_000);

describe("the provider host, configured from stack configuration", () => {
  let provider: ProviderHost;
  let configured: { acceptSecrets: boolean; supportsPreview: boolean };
  let groupId: string;
  let inputs: Props;
  let state: { id: string; properties: Props };

  beforeAll(async () => {
    ({ provider, configured } = await host(
      {},
      {
        "tencent-chat:sdkAppId": String(APP_ID),
        "tencent-chat:secretKey": secret(SECRET_KEY),
        "tencent-chat:endpoint": emulator.url,
        "consumer:unrelated": "value",
      },
    ));
    groupId = groupWithMessages();
    inputs = { groupId, senderAccount: "leckie", triggers: ["incident-4711"], __provider: providerText };
  }, 120_000);

  it("does not take secrets or previews from the engine, so Create is never sent during a preview", async () => {
    expect(configured).toEqual({ acceptSecrets: false, supportsPreview: false });
  });

  it("checks valid inputs without failures and returns them", async () => {
    const result = await provider.check(inputs);
    expect(result.failures).toEqual([]);
    expect(result.inputs).toEqual(inputs);
  });

  it("rejects bad inputs with the Action's messages, on the properties at fault", async () => {
    const result = await provider.check({
      groupId: "g".repeat(49),
      senderAccount: "",
      sdkAppId: "abc",
      __provider: providerText,
    });
    expect(result.failures).toEqual([
      { property: "groupId", reason: expect.stringContaining("groupId: group ID") },
      { property: "senderAccount", reason: "senderAccount: give at least one sender user ID." },
      { property: "sdkAppId", reason: expect.stringMatching(/^sdkAppId: expected the SDKAppID/) },
    ]);
    expect(result.failures[0]!.reason).toContain("the limit is 48");
  });

  it("rejects a secret key and a UserSig together without echoing either", async () => {
    const result = await provider.check({ ...inputs, secretKey: WRONG_KEY, userSig: USER_SIG });
    expect(result.failures).toEqual([
      { property: "secretKey", reason: "secretKey and userSig are both set; give only one of them." },
    ]);
  });

  it("lets values unknown at preview through, and a preview calls nothing", async () => {
    const preview = {
      groupId: UNKNOWN,
      senderAccount: "leckie",
      triggers: [UNKNOWN],
      __provider: providerText,
    };
    expect((await provider.check(preview)).failures).toEqual([]);
    const created = await provider.create(preview, true);
    expect(created.properties).toMatchObject({ actionStatus: UNKNOWN, senderAccount: "leckie" });
    expect(recallCalls()).toBe(0);
  });

  it("recalls the sender's messages on create and reports the outcome", async () => {
    const before = Date.now();
    state = await provider.create(inputs);
    expect(recalled(groupId)).toEqual(["leckie", "leckie"]);
    expect(emulator.requests.filter((r) => r.command === RECALL).map((r) => r.body)).toEqual([
      { GroupId: groupId, Sender_Account: "leckie" },
    ]);
    expect(state.id).not.toBe("");
    expect(state.properties).toEqual({
      groupId,
      senderAccount: "leckie",
      triggers: ["incident-4711"],
      actionStatus: "OK",
      errorCode: 0,
      errorInfo: expect.any(String),
      attempts: 1,
      recalledAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      recalledMessages: null,
      remainingMessages: null,
      __provider: providerText,
    });
    expect(Date.parse(state.properties.recalledAt as string)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("with verify, counts what was recalled and what is left", async () => {
    const verified = groupWithMessages();
    const created = await provider.create({ ...inputs, groupId: verified, verify: true });
    expect(created.properties).toMatchObject({
      actionStatus: "OK",
      recalledMessages: 2,
      remainingMessages: 0,
      verify: true,
    });
    expect(recalled(verified)).toEqual(["leckie", "leckie"]);
  });

  it("with notify, recalls by seq so that clients see it at once", async () => {
    const notified = groupWithMessages();
    const before = emulator.requests.length;
    const created = await provider.create({ ...inputs, groupId: notified, mode: "notify" });
    expect(created.properties).toMatchObject({ actionStatus: "OK", recalledMessages: 2, mode: "notify" });
    expect(emulator.requests.slice(before).map((r) => r.command)).toContain(
      "group_open_http_svc/group_msg_recall",
    );
  });

  it("replaces the resource when the triggers change, and only updates it when the region changes", async () => {
    const retrigger = await provider.diff(state.properties, { ...inputs, triggers: ["incident-4712"] });
    expect(retrigger).toEqual({ changes: DIFF_SOME, replaces: ["triggers"] });
    const other = await provider.diff(state.properties, { ...inputs, senderAccount: "alice" });
    expect(other).toEqual({ changes: DIFF_SOME, replaces: ["senderAccount"] });
    const moved = await provider.diff(state.properties, { ...inputs, region: "singapore" });
    expect(moved).toEqual({ changes: DIFF_SOME, replaces: [] });
    expect(await provider.diff(state.properties, inputs)).toEqual({ changes: DIFF_NONE, replaces: [] });
  });

  it("updates, reads and deletes without calling the API", async () => {
    const calls = emulator.requests.length;
    const updated = await provider.update(state.properties, { ...inputs, region: "singapore" });
    expect(updated).toEqual({ ...state.properties, region: "singapore" });
    const read = await provider.read(state.id, updated);
    expect(read).toEqual({ id: state.id, properties: updated });
    await provider.delete(state.id, updated);
    expect(emulator.requests.length).toBe(calls);
    expect(recalled(groupId)).toEqual(["leckie", "leckie"]);
  });

  it("fails a create on a non-zero ErrorCode with the code and its meaning", async () => {
    emulator.faults.push({ command: RECALL, errorCode: 10010, errorInfo: "group dismissed", times: 1 });
    const failed = provider.create({ ...inputs, groupId: groupWithMessages() });
    await expect(failed).rejects.toThrow(/ErrorCode 10010/);
    await expect(failed).rejects.toThrow(explainCode(10010));
  });

  it("fails a create for a mistyped sender, so that nothing is recorded and the next update tries again", async () => {
    const typo = groupWithMessages();
    const failed = provider.create({ ...inputs, groupId: typo, senderAccount: "lekie" });
    await expect(failed).rejects.toThrow(/"lekie" is not an account of this app .* closest IDs: "leckie"/);
    expect(recalled(typo)).toEqual([]);
  });

  it("recalls within a time window and a depth, by seq, with a reason", async () => {
    const windowed = groupWithMessages();
    const created = await provider.create({
      ...inputs,
      groupId: windowed,
      since: "1h",
      depth: 5000,
      reason: "spam",
    });
    expect(created.properties).toMatchObject({ actionStatus: "OK", recalledMessages: 2, reason: "spam" });
    const reasons = emulator.state
      .messages(APP_ID, windowed)
      .filter((m) => m.recalled)
      .map((m) => m.recallReason);
    expect(reasons).toEqual(["spam", "spam"]);
    const deeper = await provider.diff(created.properties, {
      ...inputs,
      groupId: windowed,
      since: "1h",
      depth: 9000,
    });
    expect(deeper).toEqual({ changes: DIFF_SOME, replaces: ["depth"] });
  });

  it("prefers a secret key given as an argument to the stack configuration", async () => {
    const other = groupWithMessages();
    const failed = provider.create({ ...inputs, groupId: other, secretKey: WRONG_KEY });
    await expect(failed).rejects.toThrow(/Recall of sender leckie .* failed: ErrorCode 7\d{4}/);
    expect(recalled(other)).toEqual([]);
  });

  it("recalls with a ready UserSig given as an argument", async () => {
    const other = groupWithMessages();
    const created = await provider.create({ ...inputs, groupId: other, userSig: USER_SIG });
    expect(created.properties.actionStatus).toBe("OK");
    expect(recalled(other)).toEqual(["leckie", "leckie"]);
  });
});

describe("the provider host, configured from the environment", () => {
  it("takes the stack configuration before the environment, and the environment when nothing else is set", async () => {
    const environment = { TENCENT_CHAT_SDK_APP_ID: String(APP_ID), TENCENT_CHAT_ENDPOINT: emulator.url };
    const started = await Promise.all([
      host(
        { ...environment, TENCENT_CHAT_SECRET_KEY: WRONG_KEY },
        { "tencent-chat:secretKey": secret(SECRET_KEY) },
      ),
      host({ ...environment, TENCENT_CHAT_SECRET_KEY: SECRET_KEY }, {}),
    ]);
    for (const { provider } of started) {
      const groupId = groupWithMessages();
      const props = { groupId, senderAccount: "leckie", __provider: providerText };
      expect((await provider.check(props)).failures).toEqual([]);
      expect((await provider.create(props)).properties.actionStatus).toBe("OK");
      expect(recalled(groupId)).toEqual(["leckie", "leckie"]);
    }
  }, 120_000);

  it("names every place a missing SDKAppID may be set", async () => {
    const { provider } = await host({ TENCENT_CHAT_SECRET_KEY: SECRET_KEY }, {});
    const { failures } = await provider.check({
      groupId: "@TGS#1",
      senderAccount: "leckie",
      __provider: providerText,
    });
    expect(failures).toEqual([
      {
        property: "sdkAppId",
        reason: expect.stringContaining("tencent-chat:sdkAppId"),
      },
    ]);
    expect(failures[0]!.reason).toContain("TENCENT_CHAT_SDK_APP_ID");
  }, 120_000);
});

describe("what the provider host returned", () => {
  it("holds no secret key and no UserSig, apart from the inputs Check hands back to the engine", () => {
    expect(hosts.length).toBeGreaterThanOrEqual(4);
    for (const { transcript } of hosts) {
      const responses = transcript.responses.map((entry) => {
        const { method, result } = entry as { method: string; result: { inputs?: Props } };
        if (method !== "check" || !result.inputs) return entry;
        const inputs = Object.entries(result.inputs).filter(
          ([name]) => !["secretKey", "userSig"].includes(name),
        );
        return { method, result: { ...result, inputs } };
      });
      const text = JSON.stringify({ ...transcript, responses, providerText });
      for (const secretText of [SECRET_KEY, WRONG_KEY, USER_SIG, "usersig="]) {
        expect(text).not.toContain(secretText);
      }
      expect(text).not.toMatch(/eJ[\w*-]{40,}/);
    }
  });
});
