import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_HISTORY_RETENTION_SECONDS,
  RECALL_RET_CODES,
  type Emulator,
} from "../../src/emulator/index.js";
import { APP_ID, SECRET_KEY } from "../support/emulator.js";
import { GET_HISTORY, post, RECALL_BY_SENDER, RECALL_BY_SEQ, startTestEmulator } from "./http.js";

let emulator: Emulator;

afterEach(async () => {
  await emulator?.close();
});

const DAY = 24 * 3600;

function now(): number {
  return Math.floor(Date.now() / 1000);
}

interface HistoryEntry {
  From_Account: string;
  IsPlaceMsg: number;
  MsgBody: unknown[];
  MsgSeq: number;
  MsgTimeStamp: number;
}

async function history(groupId: string, withRecalled = 0) {
  const answer = await post(emulator, {
    command: GET_HISTORY,
    body: { GroupId: groupId, ReqMsgNumber: 20, WithRecalledMsg: withRecalled },
  });
  expect(answer).toMatchObject({ ActionStatus: "OK", ErrorCode: 0 });
  return { isFinished: answer.IsFinished, list: answer.RspMsgList as HistoryEntry[] };
}

function recallSeqs(groupId: string, seqs: number[], more: Record<string, unknown> = {}) {
  return post(emulator, {
    command: RECALL_BY_SEQ,
    body: { GroupId: groupId, MsgSeqList: seqs.map((MsgSeq) => ({ MsgSeq })), ...more },
  });
}

describe("emulator: group_msg_recall's Reason", () => {
  it("keeps the Reason on each message it recalls, and none when no Reason is given", async () => {
    emulator = await startTestEmulator();
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
    for (let i = 0; i < 4; i++) emulator.state.sendMessage(APP_ID, groupId, "mallory", `spam ${i}`);
    const answer = await recallSeqs(groupId, [1, 3], { Reason: "spam, reported by alice" });
    expect(answer.RecallRetList).toEqual([
      { MsgSeq: 1, RetCode: 0 },
      { MsgSeq: 3, RetCode: 0 },
    ]);
    expect((await recallSeqs(groupId, [2])).ErrorCode).toBe(0);
    expect(emulator.state.messages(APP_ID, groupId).map((m) => [m.seq, m.recalled, m.recallReason])).toEqual([
      [1, true, "spam, reported by alice"],
      [2, true, undefined],
      [3, true, "spam, reported by alice"],
      [4, false, undefined],
    ]);
  });

  it("keeps the first Reason when a message is recalled again", async () => {
    emulator = await startTestEmulator();
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
    emulator.state.sendMessage(APP_ID, groupId, "mallory", "spam");
    await recallSeqs(groupId, [1], { Reason: "first" });
    const again = await recallSeqs(groupId, [1], { Reason: "second" });
    expect(again.RecallRetList).toEqual([{ MsgSeq: 1, RetCode: RECALL_RET_CODES.notRecallable }]);
    expect(emulator.state.messages(APP_ID, groupId)[0]!.recallReason).toBe("first");
  });
});

describe("emulator: roaming history expiry", () => {
  it("keeps 7 days of history by default: older messages show as IsPlaceMsg 1 with an empty body", async () => {
    expect(DEFAULT_HISTORY_RETENTION_SECONDS).toBe(7 * DAY);
    emulator = await startTestEmulator();
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
    const t = now();
    emulator.state.sendMessage(APP_ID, groupId, "mallory", "too old", undefined, 1, t - 8 * DAY);
    emulator.state.sendMessage(APP_ID, groupId, "mallory", "almost too old", undefined, 2, t - 6 * DAY);
    emulator.state.sendMessage(APP_ID, groupId, "mallory", "fresh");
    const page = await history(groupId);
    expect(page.isFinished).toBe(1);
    expect(page.list.map((m) => [m.MsgSeq, m.IsPlaceMsg, m.MsgBody.length])).toEqual([
      [3, 0, 1],
      [2, 0, 1],
      [1, 1, 0],
    ]);
    expect(page.list[2]).toMatchObject({ From_Account: "mallory", MsgTimeStamp: t - 8 * DAY });
    expect(page.list[1]!.MsgTimeStamp).toBe(t - 6 * DAY);
    expect(emulator.state.isExpired(APP_ID, emulator.state.messages(APP_ID, groupId)[0]!)).toBe(true);
  });

  it("answers RetCode 10030 for an expired message, and delete_group_msg_by_sender leaves it alone", async () => {
    emulator = await startTestEmulator();
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
    emulator.state.sendMessage(APP_ID, groupId, "mallory", "old", undefined, 0, now() - 30 * DAY);
    emulator.state.sendMessage(APP_ID, groupId, "mallory", "new");
    emulator.state.sendMessage(APP_ID, groupId, "mallory", "newer");
    const answer = await recallSeqs(groupId, [1, 2], { Reason: "spam" });
    expect(answer.RecallRetList).toEqual([
      { MsgSeq: 1, RetCode: RECALL_RET_CODES.notFound },
      { MsgSeq: 2, RetCode: 0 },
    ]);
    const bySender = await post(emulator, {
      command: RECALL_BY_SENDER,
      body: { GroupId: groupId, Sender_Account: "mallory" },
    });
    expect(bySender.ErrorCode).toBe(0);
    expect(emulator.state.messages(APP_ID, groupId).map((m) => [m.recalled, m.recallReason])).toEqual([
      [false, undefined],
      [true, "spam"],
      [true, undefined],
    ]);
    expect((await history(groupId, 1)).list.map((m) => m.IsPlaceMsg)).toEqual([2, 2, 1]);
  });

  it("shows a recalled message that then expired as IsPlaceMsg 1, even when recalled ones are left out", async () => {
    emulator = await startTestEmulator({
      apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY, historyRetentionSeconds: 3600 }],
    });
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
    emulator.state.sendMessage(
      APP_ID,
      groupId,
      "mallory",
      "recalled, then expired",
      undefined,
      0,
      now() - 7200,
    );
    emulator.state.sendMessage(APP_ID, groupId, "mallory", "recalled", undefined, 0, now() - 1800);
    emulator.state.sendMessage(APP_ID, groupId, "alice", "kept", undefined, 0, now() - 1800);
    for (const message of emulator.state.messages(APP_ID, groupId).slice(0, 2)) message.recalled = true;
    const page = await history(groupId);
    expect(page.list.map((m) => [m.MsgSeq, m.IsPlaceMsg])).toEqual([
      [3, 0],
      [1, 1],
    ]);
    expect(page.isFinished).toBe(0);
  });

  it("takes the app's historyRetentionSeconds: messages within it can be recalled, older ones not", async () => {
    emulator = await startTestEmulator({
      apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY, historyRetentionSeconds: 3600 }],
    });
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
    emulator.state.sendMessage(APP_ID, groupId, "mallory", "2 hours old", undefined, 0, now() - 7200);
    emulator.state.sendMessage(APP_ID, groupId, "mallory", "30 minutes old", undefined, 0, now() - 1800);
    expect((await history(groupId)).list.map((m) => m.IsPlaceMsg)).toEqual([0, 1]);
    expect((await recallSeqs(groupId, [1, 2])).RecallRetList).toEqual([
      { MsgSeq: 1, RetCode: RECALL_RET_CODES.notFound },
      { MsgSeq: 2, RetCode: 0 },
    ]);
  });

  it("refuses a historyRetentionSeconds that is not a whole number of seconds", async () => {
    await expect(
      startTestEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY, historyRetentionSeconds: -1 }] }),
    ).rejects.toThrow(RangeError);
  });
});
