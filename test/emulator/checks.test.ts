import { afterEach, describe, expect, it } from "vitest";
import { signUserSig, userSigAsBase64 } from "../../src/chat/usersig.js";
import type { Emulator } from "../../src/emulator/index.js";
import { APP_ID, SECRET_KEY } from "../support/emulator.js";
import {
  callPath,
  post,
  rawRequest,
  RECALL_BY_SENDER as RECALL,
  startTestEmulator,
  type Call,
} from "./http.js";

let emulator: Emulator;

afterEach(async () => {
  await emulator?.close();
});

describe("emulator: request checks", () => {
  it.each([
    ["an unknown SDKAppID", { query: { sdkappid: "1400999999" } }, 70020],
    ["a missing sdkappid", { query: { sdkappid: "" } }, 60012],
    ["a non-json contenttype", { query: { contenttype: "xml" } }, 60002],
    ["a random that is not a uint32", { query: { random: "4294967296" } }, 60002],
    ["an empty usersig", { sig: "" }, 70002],
    ["a usersig that is not one", { sig: "garbage" }, 70003],
    [
      "a usersig signed with another key",
      { sig: signUserSig("other", { identifier: "administrator", sdkAppId: APP_ID, expire: 60 }) },
      70009,
    ],
    [
      "an expired usersig",
      {
        sig: signUserSig(SECRET_KEY, {
          identifier: "administrator",
          sdkAppId: APP_ID,
          expire: 60,
          time: 1000,
        }),
      },
      70001,
    ],
    [
      "a usersig of another identifier",
      { sig: signUserSig(SECRET_KEY, { identifier: "someone", sdkAppId: APP_ID, expire: 60 }) },
      70013,
    ],
    ["an identifier that is not an app admin", { identifier: "leckie" }, 10007],
    ["an unknown command", { command: "group_open_http_svc/no_such_thing" }, 10003],
    ["a body that is not JSON", { rawBody: "{nope" }, 60003],
    ["an empty body", { rawBody: "" }, 60003],
    ["a JSON body that is not an object", { rawBody: "[1,2]" }, 60003],
    ["a recall without Sender_Account", { command: RECALL, body: { GroupId: "@TGS#A" } }, 10004],
    [
      "a recall with an invalid GroupId",
      { command: RECALL, body: { GroupId: "x".repeat(49), Sender_Account: "a" } },
      10015,
    ],
    [
      "a custom group ID in the auto-generated form",
      {
        command: "group_open_http_svc/create_group",
        body: { Type: "Public", Name: "n", GroupId: "@TGS#MINE" },
      },
      10015,
    ],
    [
      "a Community group ID without @TGS#_",
      {
        command: "group_open_http_svc/create_group",
        body: { Type: "Community", Name: "n", GroupId: "mine" },
      },
      10015,
    ],
    [
      "a recall in a group that does not exist",
      { command: RECALL, body: { GroupId: "@TGS#A", Sender_Account: "a" } },
      10010,
    ],
  ])("answers %s with its documented code", async (_name, call, code) => {
    emulator = await startTestEmulator();
    const answer = await post(emulator, call as Call);
    expect(answer).toMatchObject({ ActionStatus: "FAIL", ErrorCode: code });
    expect(typeof answer.ErrorInfo).toBe("string");
  });

  it("refuses a UserSig dated more than 5 minutes ahead of its clock with 70003, and takes one less ahead", async () => {
    emulator = await startTestEmulator();
    const now = Math.floor(Date.now() / 1000);
    const datedAhead = (seconds: number) =>
      signUserSig(SECRET_KEY, {
        identifier: "administrator",
        sdkAppId: APP_ID,
        expire: 3600,
        time: now + seconds,
      });
    expect(await post(emulator, { sig: datedAhead(240) })).toMatchObject({
      ActionStatus: "OK",
      ErrorCode: 0,
    });
    for (const ahead of [400, 86_400, 10 * 365 * 86_400]) {
      const answer = await post(emulator, { sig: datedAhead(ahead) });
      expect(answer).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 70003 });
      expect(answer.ErrorInfo).toMatch(
        /^UserSig TLS\.time is \d+ s ahead of the server's clock \(at most 300 s allowed\)$/,
      );
    }
    expect(emulator.requests).toHaveLength(1);
  });

  it("refuses a UserSig written in standard base64 (+ / =) with 70003, however it is escaped", async () => {
    emulator = await startTestEmulator();
    // A UserSig whose URL-safe form has at least one of * - _, so that its standard form differs.
    let sig = "";
    for (let back = 0; !/[*_-]/.test(sig); back++) {
      const time = Math.floor(Date.now() / 1000) - back;
      sig = signUserSig(SECRET_KEY, { identifier: "administrator", sdkAppId: APP_ID, expire: 3600, time });
    }
    expect((await post(emulator, { sig })).ErrorCode).toBe(0);
    const standard = userSigAsBase64(sig);
    expect(standard).toMatch(/[+/=]/);
    // Percent-encoded, as URLSearchParams writes it.
    expect(await post(emulator, { sig: standard })).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 70003 });
    // Written raw in the query, where a + reads as a space.
    const raw = callPath().replace(/usersig=[^&]*/, `usersig=${standard}`);
    const answer = await rawRequest(emulator, {
      path: raw,
      body: [JSON.stringify({ GroupIdList: ["@TGS#X"] })],
    });
    expect(JSON.parse(answer.body)).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 70003 });
    expect(emulator.requests).toHaveLength(1);
  });

  it.each([
    "constructor",
    "toString",
    "__proto__",
    "hasOwnProperty",
    "valueOf",
    "group_open_http_svc/constructor",
    "group_open_http_svc/__proto__",
    "group_open_http_svc/toString",
    "million_group_open_http_svc/hasOwnProperty",
    "",
  ])("answers the command word %j with 10003, like any unknown one", async (command) => {
    emulator = await startTestEmulator();
    expect(await post(emulator, { command, body: {} })).toMatchObject({
      ActionStatus: "FAIL",
      ErrorCode: 10003,
    });
  });

  it("answers a rate-limit code past the calls-per-second limit, per command", async () => {
    emulator = await startTestEmulator({ rateLimitPerSecond: 5 });
    const codes = [];
    for (let i = 0; i < 7; i++) codes.push((await post(emulator)).ErrorCode);
    expect(codes.filter((c) => c === 60007)).toHaveLength(2);
    expect(
      (await post(emulator, { command: RECALL, body: { GroupId: "@TGS#A", Sender_Account: "a" } })).ErrorCode,
    ).toBe(10010);
  });

  it("takes a per-command limit over the general one", async () => {
    emulator = await startTestEmulator({
      rateLimitPerSecond: 100,
      commandRateLimits: { "group_open_http_svc/get_appid_group_list": 1 },
    });
    const list = { command: "group_open_http_svc/get_appid_group_list", body: {} };
    expect((await post(emulator, list)).ErrorCode).toBe(0);
    expect((await post(emulator, list)).ErrorCode).toBe(60007);
    expect((await post(emulator)).ErrorCode).toBe(0);
  });

  it("answers the configured code past the limit", async () => {
    emulator = await startTestEmulator({ rateLimitPerSecond: 1, rateLimitCode: 60019 });
    await post(emulator);
    expect((await post(emulator)).ErrorCode).toBe(60019);
  });
});
