import { RECALL_COMMAND as RECALL } from "../src/recall/session.js";
import { afterEach, describe, expect, it } from "vitest";
import { signUserSig } from "../src/chat/usersig.js";
import { RECALL_WINDOW, startEmulator, type Emulator } from "../src/emulator/index.js";
import { APP_ID, SECRET_KEY } from "./support/emulator.js";

let emulator: Emulator;

afterEach(async () => {
  await emulator?.close();
});

async function start(rateLimitPerSecond?: number) {
  emulator = await startEmulator({
    apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY, admins: ["administrator"] }],
    ...(rateLimitPerSecond ? { rateLimitPerSecond } : {}),
  });
}

interface Call {
  command?: string;
  body?: unknown;
  rawBody?: string;
  query?: Record<string, string>;
  identifier?: string;
  sig?: string;
}

/** A raw HTTP call, so the emulator's checks are exercised independently of our client. */
async function post(call: Call = {}): Promise<Record<string, unknown>> {
  const identifier = call.identifier ?? "administrator";
  const query = new URLSearchParams({
    sdkappid: String(APP_ID),
    identifier,
    usersig: call.sig ?? signUserSig(SECRET_KEY, { identifier, sdkAppId: APP_ID, expire: 600 }),
    random: "12345",
    contenttype: "json",
    ...call.query,
  });
  const res = await fetch(
    `${emulator.url}/v4/${call.command ?? "group_open_http_svc/get_group_info"}?${query}`,
    {
      method: "POST",
      body: call.rawBody ?? JSON.stringify(call.body ?? { GroupIdList: ["@TGS#X"] }),
    },
  );
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

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
    await start();
    const answer = await post(call as Call);
    expect(answer).toMatchObject({ ActionStatus: "FAIL", ErrorCode: code });
    expect(typeof answer.ErrorInfo).toBe("string");
  });

  it("answers a rate-limit code past the calls-per-second limit, per command", async () => {
    await start(5);
    const codes = [];
    for (let i = 0; i < 7; i++) codes.push((await post()).ErrorCode);
    expect(codes.filter((c) => c === 60007)).toHaveLength(2);
    expect(
      (await post({ command: RECALL, body: { GroupId: "@TGS#A", Sender_Account: "a" } })).ErrorCode,
    ).toBe(10010);
  });
});

describe("emulator: the Chat service model", () => {
  it("creates groups, stores messages and pages history newest first through the REST API", async () => {
    await start();
    const created = await post({
      command: "group_open_http_svc/create_group",
      body: { Type: "Public", Name: "general", GroupId: "custom-group" },
    });
    expect(created).toMatchObject({ ErrorCode: 0, GroupId: "custom-group" });
    for (const text of ["one", "two", "three"]) {
      const sent = await post({
        command: "group_open_http_svc/send_group_msg",
        body: {
          GroupId: "custom-group",
          From_Account: "alice",
          Random: 7,
          MsgBody: [{ MsgType: "TIMTextElem", MsgContent: { Text: text } }],
        },
      });
      expect(sent.ErrorCode).toBe(0);
    }
    const page = await post({
      command: "group_open_http_svc/group_msg_get_simple",
      body: { GroupId: "custom-group", ReqMsgNumber: 2 },
    });
    const list = page.RspMsgList as { MsgSeq: number; MsgBody: { MsgContent: { Text: string } }[] }[];
    expect(list.map((m) => [m.MsgSeq, m.MsgBody[0]!.MsgContent.Text])).toEqual([
      [3, "three"],
      [2, "two"],
    ]);
    const next = await post({
      command: "group_open_http_svc/group_msg_get_simple",
      body: { GroupId: "custom-group", ReqMsgNumber: 2, ReqMsgSeq: 1 },
    });
    expect(next).toMatchObject({ IsFinished: 1, RspMsgList: [{ MsgSeq: 1, From_Account: "alice" }] });
    const info = await post({ body: { GroupIdList: ["custom-group", "@TGS#GONE"] } });
    expect(info.GroupInfo).toEqual([
      expect.objectContaining({ GroupId: "custom-group", ErrorCode: 0, Type: "Public" }),
      expect.objectContaining({ GroupId: "@TGS#GONE", ErrorCode: 10010 }),
    ]);
  });

  it("recalls only that sender's messages among the last 1,000, and shows them recalled in history", async () => {
    await start();
    const group = emulator.state.createGroup(APP_ID, { type: "Private" });
    emulator.state.sendMessage(APP_ID, group, "mallory", "too old to recall");
    for (let i = 0; i < RECALL_WINDOW - 2; i++)
      emulator.state.sendMessage(APP_ID, group, "alice", `msg ${i}`);
    emulator.state.sendMessage(APP_ID, group, "mallory", "first in window");
    emulator.state.sendMessage(APP_ID, group, "mallory", "newest");

    expect(await post({ command: RECALL, body: { GroupId: group, Sender_Account: "mallory" } })).toEqual({
      ActionStatus: "OK",
      ErrorCode: 0,
      ErrorInfo: "",
    });
    const history = emulator.state.history(APP_ID, group);
    expect(history.filter((m) => m.recalled).map((m) => m.text)).toEqual(["first in window", "newest"]);
    expect(history[0]).toMatchObject({ from: "mallory", recalled: false });

    const page = await post({
      command: "group_open_http_svc/group_msg_get_simple",
      body: { GroupId: group, ReqMsgNumber: 1 },
    });
    expect(page.RspMsgList).toEqual([
      expect.objectContaining({ From_Account: "mallory", IsPlaceMsg: 1, MsgBody: [] }),
    ]);
  });

  it("answers OK for an AVChatRoom and changes nothing, since it keeps no history", async () => {
    await start();
    const room = emulator.state.createGroup(APP_ID, { type: "AVChatRoom" });
    emulator.state.sendMessage(APP_ID, room, "mallory", "live");
    expect(await post({ command: RECALL, body: { GroupId: room, Sender_Account: "mallory" } })).toMatchObject(
      { ErrorCode: 0 },
    );
    expect(emulator.state.history(APP_ID, room)).toEqual([]);
  });

  it("recalls within a Community topic only, and refuses TopicId elsewhere", async () => {
    await start();
    const community = emulator.state.createGroup(APP_ID, { type: "Community" });
    expect(community.startsWith("@TGS#_")).toBe(true);
    const topic = emulator.state.createTopic(APP_ID, community, "news");
    emulator.state.sendMessage(APP_ID, community, "mallory", "topic msg", topic);
    emulator.state.sendMessage(APP_ID, community, "mallory", "group msg");

    const ok = await post({
      command: RECALL,
      body: { GroupId: community, Sender_Account: "mallory", TopicId: topic },
    });
    expect(ok.ErrorCode).toBe(0);
    expect(emulator.state.history(APP_ID, community, topic)[0]!.recalled).toBe(true);
    expect(emulator.state.history(APP_ID, community)[0]!.recalled).toBe(false);

    const missing = await post({
      command: RECALL,
      body: { GroupId: community, Sender_Account: "mallory", TopicId: `${community}@TOPIC#_nope` },
    });
    expect(missing.ErrorCode).toBe(10010);
    const plain = emulator.state.createGroup(APP_ID, { type: "Public" });
    const wrong = await post({
      command: RECALL,
      body: { GroupId: plain, Sender_Account: "a", TopicId: `${plain}@TOPIC#_x` },
    });
    expect(wrong.ErrorCode).toBe(10004);
  });
});
