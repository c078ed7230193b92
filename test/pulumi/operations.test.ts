import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { resolveConnection } from "../../src/recall/resolve.js";
import { closeSharedClients } from "../../src/pulumi/clients.js";
import { propertyOf } from "../../src/pulumi/names.js";
import { check, create, diff, update } from "../../src/pulumi/operations.js";
import {
  resourceSources,
  type Environment,
  type Properties,
  type StackConfig,
} from "../../src/pulumi/sources.js";

function connection(inputs: Properties, config: StackConfig, env: Environment) {
  return resolveConnection(resourceSources(inputs, config, env));
}

function problem(inputs: Properties, config: StackConfig, env: Environment) {
  try {
    connection(inputs, config, env);
  } catch (error) {
    const { setting, message } = error as { setting: Parameters<typeof propertyOf>[0]; message: string };
    return { property: propertyOf(setting), message };
  }
  throw new Error("expected a problem");
}

const APP_ID = 1400000001;
const SECRET_KEY = "ops-secret-key-51d0";

describe("where the connection comes from", () => {
  const config = { sdkAppId: "1400000002", secretKey: "config-key", region: "seoul" };
  const env = {
    TENCENT_CHAT_SDK_APP_ID: "1400000003",
    TENCENT_CHAT_SECRET_KEY: "env-key",
    TENCENT_CHAT_REGION: "tokyo",
    TENCENT_CHAT_IDENTIFIER: "ops",
  };

  it("takes each setting from the argument, else the stack configuration, else the environment", () => {
    expect(connection({ sdkAppId: 1400000001 }, config, env)).toMatchObject({
      sdkAppId: 1400000001,
      auth: { secretKey: "config-key" },
      region: "seoul",
      identifier: "ops",
    });
    expect(connection({}, {}, env)).toMatchObject({
      sdkAppId: 1400000003,
      auth: { secretKey: "env-key" },
      region: "tokyo",
    });
    expect(connection({}, { sdkAppId: "1400000002", secretKey: "k" }, {})).toMatchObject({
      identifier: "administrator",
      region: "china",
      maxAttempts: 5,
      requestTimeoutMs: 10_000,
    });
  });

  it("takes the secret key or the UserSig from the first place that sets either", () => {
    expect(connection({ userSig: "sig" }, config, env).auth).toEqual({ userSig: "sig" });
    expect(connection({}, { sdkAppId: "1" }, { TENCENT_CHAT_USER_SIG: "sig" }).auth).toEqual({
      userSig: "sig",
    });
  });

  it("names the source of a bad value, and every place a missing one may be set", () => {
    expect(problem({}, { ...config, region: "mars" }, env)).toEqual({
      property: "region",
      message: expect.stringMatching(/^tencent-chat:region: unknown/),
    });
    expect(problem({}, {}, { TENCENT_CHAT_SDK_APP_ID: "x", TENCENT_CHAT_SECRET_KEY: "k" }).message).toMatch(
      /^TENCENT_CHAT_SDK_APP_ID: expected the SDKAppID/,
    );
    expect(problem({ sdkAppId: 1 }, {}, {})).toEqual({
      property: "secretKey",
      message: expect.stringMatching(/tencent-chat:secretKey.*TENCENT_CHAT_SECRET_KEY/),
    });
  });
});

describe("check", () => {
  it("checks a topic against its group", async () => {
    const { failures } = await check({
      groupId: "@TGS#_@TGS#cQVLVHIM62CJ",
      senderAccount: "leckie",
      topicId: "@TGS#_@TGS#other@TOPIC#_News",
      sdkAppId: 1,
      secretKey: SECRET_KEY,
    });
    expect(failures).toEqual([{ property: "topicId", reason: expect.stringMatching(/^topicId: topic ID/) }]);
  });

  it("never echoes a secret key in a failure", async () => {
    const { failures } = await check({
      groupId: "g",
      senderAccount: "s",
      sdkAppId: "no",
      secretKey: SECRET_KEY,
    });
    expect(failures).toHaveLength(1);
    expect(JSON.stringify(failures)).not.toContain(SECRET_KEY);
  });

  it('refuses "*": a resource recalls in one group or topic', async () => {
    const { failures } = await check({
      groupId: "*",
      senderAccount: "s",
      sdkAppId: 1,
      secretKey: SECRET_KEY,
    });
    expect(failures).toEqual([
      {
        property: "groupId",
        reason: expect.stringContaining('groupId: "*" (every group or topic) is for the Action'),
      },
    ]);
  });

  it("rejects triggers that are not a list", async () => {
    const { failures } = await check({
      groupId: "g",
      senderAccount: "s",
      triggers: "x",
      sdkAppId: 1,
      userSig: "u",
    });
    expect(failures.map((f) => f.property)).toEqual(["triggers"]);
  });
});

describe("diff and update", () => {
  const olds = {
    groupId: "g",
    senderAccount: "s",
    actionStatus: "OK",
    recalledAt: "2025-01-01T00:00:00.000Z",
  };

  it("do not see the secret key, which is never in the state's outputs", async () => {
    expect(await diff(olds, { groupId: "g", senderAccount: "s", secretKey: "new" })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("keep the outcome, record the new connection settings and drop removed ones", async () => {
    const updated = await update(
      { ...olds, region: "seoul", endpoint: "http://x" },
      { ...olds, region: "tokyo" },
    );
    expect(updated.outs).toEqual({ ...olds, region: "tokyo" });
  });
});

describe("create", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }] });
  });
  afterAll(async () => {
    closeSharedClients();
    await emulator?.close();
  });

  it("recalls the sender's messages in a Community topic only", async () => {
    const groupId = emulator.state.createGroup(APP_ID, { type: "Community" });
    const topicId = emulator.state.createTopic(APP_ID, groupId, "News");
    emulator.state.sendMessage(APP_ID, groupId, "leckie", "in the group");
    emulator.state.sendMessage(APP_ID, groupId, "leckie", "in the topic", topicId);
    const inputs = { groupId, senderAccount: "leckie", topicId, sdkAppId: APP_ID, endpoint: emulator.url };
    const { outs } = await create({ ...inputs, secretKey: SECRET_KEY }, {}, {});
    expect(outs).toMatchObject({ ...inputs, actionStatus: "OK", errorCode: 0 });
    expect(outs).not.toHaveProperty("secretKey");
    expect(emulator.state.history(APP_ID, groupId, topicId).map((m) => m.recalled)).toEqual([true]);
    expect(emulator.state.history(APP_ID, groupId).map((m) => m.recalled)).toEqual([false]);
  });

  it("holds every resource of a deployment under one ceiling: resources that connect the same way share a client", async () => {
    const limited = await startEmulator({
      apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }],
      rateLimitPerSecond: 10,
    });
    try {
      const groupId = limited.state.createGroup(APP_ID, { type: "Public" });
      const creates = Array.from({ length: 30 }, (_, i) =>
        create(
          {
            groupId,
            senderAccount: `user-${i}`,
            sdkAppId: APP_ID,
            endpoint: limited.url,
            // Below the server's 10/s, so that a pause between the client and the server's count does not tip a second over.
            maxCallsPerSecond: 8,
            preflight: false,
          },
          { secretKey: SECRET_KEY },
          {},
        ),
      );
      const outs = await Promise.all(creates);
      expect(outs.every((o) => o.outs.actionStatus === "OK")).toBe(true);
      const stats = limited.stats()["group_open_http_svc/delete_group_msg_by_sender"]!;
      expect(stats.accepted).toBe(30);
      // Thirty clients of their own would each send at once; one shared client keeps to its pace.
      expect(stats.rateLimited).toBeLessThanOrEqual(2);
      expect(stats.busiestSecond).toBeLessThanOrEqual(10);
    } finally {
      await limited.close();
    }
  });

  it("reports a call that never got an answer with the number of attempts", async () => {
    emulator.faults.push({ httpStatus: 502, times: 2 });
    const inputs = { groupId: "@TGS#1", senderAccount: "leckie", sdkAppId: APP_ID, endpoint: emulator.url };
    const how = { secretKey: SECRET_KEY, maxAttempts: 2, preflight: false };
    await expect(create({ ...inputs, ...how }, {}, {})).rejects.toThrow(/no answer after 2 attempt\(s\)/);
  });
});
