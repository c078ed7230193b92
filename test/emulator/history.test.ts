import { afterEach, describe, expect, it } from "vitest";
import { RECALL_WINDOW, type Emulator } from "../../src/emulator/index.js";
import { APP_ID } from "../support/emulator.js";
import { GET_HISTORY, post, RECALL_BY_SENDER, RECALL_BY_SEQ, startTestEmulator } from "./http.js";

let emulator: Emulator;

afterEach(async () => {
  await emulator?.close();
});

interface HistoryEntry {
  From_Account: string;
  IsPlaceMsg: number;
  MsgBody: { MsgContent: { Text: string } }[];
  MsgSeq: number;
}

async function history(body: Record<string, unknown>) {
  const answer = await post(emulator, { command: GET_HISTORY, body });
  expect(answer).toMatchObject({ ActionStatus: "OK", ErrorCode: 0 });
  const list = answer.RspMsgList as HistoryEntry[];
  return {
    isFinished: answer.IsFinished,
    seqs: list.map((m) => m.MsgSeq),
    places: list.map((m) => m.IsPlaceMsg),
    list,
  };
}

/** A Public group with `count` messages from alice, seqs 1..count. */
function groupWithMessages(count: number): string {
  const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
  for (let i = 1; i <= count; i++) emulator.state.sendMessage(APP_ID, groupId, "alice", `message ${i}`);
  return groupId;
}

describe("emulator: group_msg_get_simple", () => {
  it("creates groups, stores messages and pages history newest first through the REST API", async () => {
    emulator = await startTestEmulator();
    const created = await post(emulator, {
      command: "group_open_http_svc/create_group",
      body: { Type: "Public", Name: "general", GroupId: "custom-group" },
    });
    expect(created).toMatchObject({ ErrorCode: 0, GroupId: "custom-group" });
    for (const text of ["one", "two", "three"]) {
      const sent = await post(emulator, {
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
    const page = await history({ GroupId: "custom-group", ReqMsgNumber: 2 });
    expect(page.list.map((m) => [m.MsgSeq, m.MsgBody[0]!.MsgContent.Text])).toEqual([
      [3, "three"],
      [2, "two"],
    ]);
    expect(page.list[0]).toMatchObject({ From_Account: "alice", MsgRandom: 7, MsgPriority: "Normal" });
    const next = await post(emulator, {
      command: GET_HISTORY,
      body: { GroupId: "custom-group", ReqMsgNumber: 2, ReqMsgSeq: 1 },
    });
    expect(next).toMatchObject({ IsFinished: 1, RspMsgList: [{ MsgSeq: 1, From_Account: "alice" }] });
  });

  it("answers the ReqMsgNumber seqs ending at ReqMsgSeq, or at the newest when it is absent or beyond", async () => {
    emulator = await startTestEmulator();
    const groupId = groupWithMessages(10);
    expect((await history({ GroupId: groupId, ReqMsgNumber: 3 })).seqs).toEqual([10, 9, 8]);
    expect((await history({ GroupId: groupId, ReqMsgNumber: 3, ReqMsgSeq: 5 })).seqs).toEqual([5, 4, 3]);
    expect((await history({ GroupId: groupId, ReqMsgNumber: 20, ReqMsgSeq: 2 })).seqs).toEqual([2, 1]);
    expect((await history({ GroupId: groupId, ReqMsgNumber: 2, ReqMsgSeq: 500 })).seqs).toEqual([10, 9]);
    const empty = emulator.state.createGroup(APP_ID, { type: "Private" });
    expect(await history({ GroupId: empty, ReqMsgNumber: 5 })).toMatchObject({ seqs: [], isFinished: 1 });
  });

  it("leaves recalled messages out unless WithRecalledMsg is 1, and says so with IsFinished 0", async () => {
    emulator = await startTestEmulator();
    const groupId = groupWithMessages(10);
    const recalled = await post(emulator, {
      command: RECALL_BY_SEQ,
      body: { GroupId: groupId, MsgSeqList: [{ MsgSeq: 9 }, { MsgSeq: 7 }] },
    });
    expect(recalled.ErrorCode).toBe(0);

    expect(await history({ GroupId: groupId, ReqMsgNumber: 5 })).toMatchObject({
      seqs: [10, 8, 6],
      places: [0, 0, 0],
      isFinished: 0,
    });
    expect(await history({ GroupId: groupId, ReqMsgNumber: 5, WithRecalledMsg: 0 })).toMatchObject({
      seqs: [10, 8, 6],
      isFinished: 0,
    });
    const all = await history({ GroupId: groupId, ReqMsgNumber: 5, WithRecalledMsg: 1 });
    expect(all).toMatchObject({ seqs: [10, 9, 8, 7, 6], places: [0, 2, 0, 2, 0], isFinished: 1 });
    expect(all.list[1]).toMatchObject({ From_Account: "alice", MsgBody: [] });
    expect(await history({ GroupId: groupId, ReqMsgNumber: 5, ReqMsgSeq: 5 })).toMatchObject({
      seqs: [5, 4, 3, 2, 1],
      isFinished: 1,
    });
  });

  it("shows a deleted or expired message as IsPlaceMsg 1 with an empty body, counted as returned", async () => {
    emulator = await startTestEmulator();
    const groupId = groupWithMessages(3);
    expect(emulator.state.deleteMessage(APP_ID, groupId, 2)).toBe(true);
    const page = await history({ GroupId: groupId, ReqMsgNumber: 3 });
    expect(page).toMatchObject({ seqs: [3, 2, 1], places: [0, 1, 0], isFinished: 1 });
    expect(page.list[1]!.MsgBody).toEqual([]);
  });

  it.each([
    ["ReqMsgNumber 0", { ReqMsgNumber: 0 }],
    ["ReqMsgNumber 21", { ReqMsgNumber: 21 }],
    ["ReqMsgNumber as a string", { ReqMsgNumber: "5" }],
    ["no ReqMsgNumber", {}],
    ["ReqMsgSeq 0", { ReqMsgNumber: 5, ReqMsgSeq: 0 }],
    ["ReqMsgSeq 1.5", { ReqMsgNumber: 5, ReqMsgSeq: 1.5 }],
    ["WithRecalledMsg 2", { ReqMsgNumber: 5, WithRecalledMsg: 2 }],
  ])("answers %s with 10004", async (_name, fields) => {
    emulator = await startTestEmulator();
    const groupId = groupWithMessages(1);
    expect(
      await post(emulator, { command: GET_HISTORY, body: { GroupId: groupId, ...fields } }),
    ).toMatchObject({
      ActionStatus: "FAIL",
      ErrorCode: 10004,
    });
  });

  it("answers history of an AVChatRoom with 10004, the service's code for it being undocumented", async () => {
    emulator = await startTestEmulator();
    const room = emulator.state.createGroup(APP_ID, { type: "AVChatRoom" });
    expect(
      await post(emulator, { command: GET_HISTORY, body: { GroupId: room, ReqMsgNumber: 5 } }),
    ).toMatchObject({
      ErrorCode: 10004,
    });
  });
});

describe("emulator: group_msg_recall", () => {
  it("recalls by seq and answers a RetCode per seq: 0, 10032 already recalled, 10030 no such message", async () => {
    emulator = await startTestEmulator();
    const groupId = groupWithMessages(3);
    const answer = await post(emulator, {
      command: RECALL_BY_SEQ,
      body: { GroupId: groupId, MsgSeqList: [{ MsgSeq: 2 }, { MsgSeq: 2 }, { MsgSeq: 99 }], Reason: "spam" },
    });
    expect(answer).toEqual({
      ActionStatus: "OK",
      ErrorCode: 0,
      ErrorInfo: "",
      RecallRetList: [
        { MsgSeq: 2, RetCode: 0 },
        { MsgSeq: 2, RetCode: 10032 },
        { MsgSeq: 99, RetCode: 10030 },
      ],
    });
    expect(emulator.state.history(APP_ID, groupId).map((m) => m.recalled)).toEqual([false, true, false]);
    expect((await history({ GroupId: groupId, ReqMsgNumber: 3 })).seqs).toEqual([3, 1]);
  });

  it("answers 10030 for a deleted message", async () => {
    emulator = await startTestEmulator();
    const groupId = groupWithMessages(2);
    emulator.state.deleteMessage(APP_ID, groupId, 1);
    const answer = await post(emulator, {
      command: RECALL_BY_SEQ,
      body: { GroupId: groupId, MsgSeqList: [{ MsgSeq: 1 }] },
    });
    expect(answer.RecallRetList).toEqual([{ MsgSeq: 1, RetCode: 10030 }]);
  });

  it("recalls within a Community topic", async () => {
    emulator = await startTestEmulator();
    const community = emulator.state.createGroup(APP_ID, { type: "Community" });
    const topic = emulator.state.createTopic(APP_ID, community, "news");
    emulator.state.sendMessage(APP_ID, community, "mallory", "topic msg", topic);
    emulator.state.sendMessage(APP_ID, community, "mallory", "group msg");
    const answer = await post(emulator, {
      command: RECALL_BY_SEQ,
      body: { GroupId: community, TopicId: topic, MsgSeqList: [{ MsgSeq: 1 }] },
    });
    expect(answer.RecallRetList).toEqual([{ MsgSeq: 1, RetCode: 0 }]);
    expect(emulator.state.history(APP_ID, community, topic)[0]!.recalled).toBe(true);
    expect(emulator.state.history(APP_ID, community)[0]!.recalled).toBe(false);
  });

  it("answers 0 for a seq an AVChatRoom has sent and 10030 for one it has not, keeping no history", async () => {
    emulator = await startTestEmulator();
    const room = emulator.state.createGroup(APP_ID, { type: "AVChatRoom" });
    emulator.state.sendMessage(APP_ID, room, "mallory", "live");
    const answer = await post(emulator, {
      command: RECALL_BY_SEQ,
      body: { GroupId: room, MsgSeqList: [{ MsgSeq: 1 }, { MsgSeq: 2 }] },
    });
    expect(answer.RecallRetList).toEqual([
      { MsgSeq: 1, RetCode: 0 },
      { MsgSeq: 2, RetCode: 10030 },
    ]);
  });

  it.each([
    ["an empty MsgSeqList", { MsgSeqList: [] }, 10004],
    ["11 seqs", { MsgSeqList: Array.from({ length: 11 }, (_, i) => ({ MsgSeq: i + 1 })) }, 10004],
    ["a MsgSeq that is not a positive integer", { MsgSeqList: [{ MsgSeq: "1" }] }, 10004],
    ["a Reason over 100 bytes", { MsgSeqList: [{ MsgSeq: 1 }], Reason: "é".repeat(51) }, 10004],
    ["a TopicId in a Public group", { MsgSeqList: [{ MsgSeq: 1 }], TopicId: "x@TOPIC#_y" }, 10004],
  ])("answers %s with %i", async (_name, fields, code) => {
    emulator = await startTestEmulator();
    const groupId = groupWithMessages(1);
    expect(
      await post(emulator, { command: RECALL_BY_SEQ, body: { GroupId: groupId, ...fields } }),
    ).toMatchObject({
      ActionStatus: "FAIL",
      ErrorCode: code,
    });
  });

  it("takes 10 seqs and a Reason of exactly 100 bytes", async () => {
    emulator = await startTestEmulator();
    const groupId = groupWithMessages(10);
    const answer = await post(emulator, {
      command: RECALL_BY_SEQ,
      body: {
        GroupId: groupId,
        Reason: "é".repeat(50),
        MsgSeqList: Array.from({ length: 10 }, (_, i) => ({ MsgSeq: i + 1 })),
      },
    });
    expect((answer.RecallRetList as { RetCode: number }[]).map((r) => r.RetCode)).toEqual(Array(10).fill(0));
  });

  it("answers 10010 for a group that does not exist", async () => {
    emulator = await startTestEmulator();
    expect(
      await post(emulator, {
        command: RECALL_BY_SEQ,
        body: { GroupId: "@TGS#GONE", MsgSeqList: [{ MsgSeq: 1 }] },
      }),
    ).toMatchObject({ ErrorCode: 10010 });
  });
});

describe("emulator: delete_group_msg_by_sender", () => {
  it("recalls only that sender's messages among the last 1,000, and hides them from history", async () => {
    emulator = await startTestEmulator();
    const group = emulator.state.createGroup(APP_ID, { type: "Private" });
    emulator.state.sendMessage(APP_ID, group, "mallory", "too old to recall");
    for (let i = 0; i < RECALL_WINDOW - 2; i++)
      emulator.state.sendMessage(APP_ID, group, "alice", `msg ${i}`);
    emulator.state.sendMessage(APP_ID, group, "mallory", "first in window");
    emulator.state.sendMessage(APP_ID, group, "mallory", "newest");

    expect(
      await post(emulator, {
        command: RECALL_BY_SENDER,
        body: { GroupId: group, Sender_Account: "mallory" },
      }),
    ).toEqual({
      ActionStatus: "OK",
      ErrorCode: 0,
      ErrorInfo: "",
    });
    const stored = emulator.state.history(APP_ID, group);
    expect(stored.filter((m) => m.recalled).map((m) => m.text)).toEqual(["first in window", "newest"]);
    expect(stored[0]).toMatchObject({ from: "mallory", recalled: false });

    expect(await history({ GroupId: group, ReqMsgNumber: 3 })).toMatchObject({ seqs: [999], isFinished: 0 });
    const withRecalled = await history({ GroupId: group, ReqMsgNumber: 1, WithRecalledMsg: 1 });
    expect(withRecalled.list).toEqual([
      expect.objectContaining({ From_Account: "mallory", IsPlaceMsg: 2, MsgBody: [] }),
    ]);
  });

  it("answers OK for an AVChatRoom and changes nothing, since it keeps no history", async () => {
    emulator = await startTestEmulator();
    const room = emulator.state.createGroup(APP_ID, { type: "AVChatRoom" });
    emulator.state.sendMessage(APP_ID, room, "mallory", "live");
    expect(
      await post(emulator, { command: RECALL_BY_SENDER, body: { GroupId: room, Sender_Account: "mallory" } }),
    ).toMatchObject({
      ErrorCode: 0,
    });
    expect(emulator.state.history(APP_ID, room)).toEqual([]);
  });

  it("recalls within a Community topic only, and refuses TopicId elsewhere", async () => {
    emulator = await startTestEmulator();
    const community = emulator.state.createGroup(APP_ID, { type: "Community" });
    expect(community.startsWith("@TGS#_")).toBe(true);
    const topic = emulator.state.createTopic(APP_ID, community, "news");
    emulator.state.sendMessage(APP_ID, community, "mallory", "topic msg", topic);
    emulator.state.sendMessage(APP_ID, community, "mallory", "group msg");

    const ok = await post(emulator, {
      command: RECALL_BY_SENDER,
      body: { GroupId: community, Sender_Account: "mallory", TopicId: topic },
    });
    expect(ok.ErrorCode).toBe(0);
    expect(emulator.state.history(APP_ID, community, topic)[0]!.recalled).toBe(true);
    expect(emulator.state.history(APP_ID, community)[0]!.recalled).toBe(false);

    const missing = await post(emulator, {
      command: RECALL_BY_SENDER,
      body: { GroupId: community, Sender_Account: "mallory", TopicId: `${community}@TOPIC#_nope` },
    });
    expect(missing.ErrorCode).toBe(10010);
    const plain = emulator.state.createGroup(APP_ID, { type: "Public" });
    const wrong = await post(emulator, {
      command: RECALL_BY_SENDER,
      body: { GroupId: plain, Sender_Account: "a", TopicId: `${plain}@TOPIC#_x` },
    });
    expect(wrong.ErrorCode).toBe(10004);
  });
});

describe("emulator: get_group_info", () => {
  it("answers each group's Type, or 10010 for a missing one and 10015 for an invalid ID", async () => {
    emulator = await startTestEmulator();
    const publicGroup = emulator.state.createGroup(APP_ID, { type: "Public", name: "general" });
    const room = emulator.state.createGroup(APP_ID, { type: "AVChatRoom" });
    const community = emulator.state.createGroup(APP_ID, { type: "Community" });
    const work = emulator.state.createGroup(APP_ID, { type: "Work" });
    const answer = await post(emulator, {
      body: { GroupIdList: [publicGroup, room, community, work, "@TGS#GONE", "x".repeat(49), "grüppe"] },
    });
    expect(answer).toMatchObject({ ActionStatus: "OK", ErrorCode: 0 });
    expect(answer.GroupInfo).toEqual([
      expect.objectContaining({ GroupId: publicGroup, ErrorCode: 0, Type: "Public", Name: "general" }),
      expect.objectContaining({ GroupId: room, ErrorCode: 0, Type: "AVChatRoom" }),
      expect.objectContaining({ GroupId: community, ErrorCode: 0, Type: "Community" }),
      expect.objectContaining({ GroupId: work, ErrorCode: 0, Type: "Private" }),
      { GroupId: "@TGS#GONE", ErrorCode: 10010, ErrorInfo: expect.any(String) },
      { GroupId: "x".repeat(49), ErrorCode: 10015, ErrorInfo: expect.any(String) },
      { GroupId: "grüppe", ErrorCode: 10015, ErrorInfo: expect.any(String) },
    ]);
  });

  it("takes 50 IDs a call and answers 10004 to 51", async () => {
    emulator = await startTestEmulator();
    const ids = Array.from({ length: 51 }, (_, i) => `group-${i}`);
    const fifty = await post(emulator, { body: { GroupIdList: ids.slice(0, 50) } });
    expect(fifty.GroupInfo).toHaveLength(50);
    expect(await post(emulator, { body: { GroupIdList: ids } })).toMatchObject({
      ActionStatus: "FAIL",
      ErrorCode: 10004,
    });
    expect(await post(emulator, { body: { GroupIdList: [] } })).toMatchObject({ ErrorCode: 10004 });
    expect(await post(emulator, { body: { GroupIdList: [1] } })).toMatchObject({ ErrorCode: 10004 });
  });
});
