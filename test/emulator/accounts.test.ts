import { afterEach, describe, expect, it } from "vitest";
import { ACCOUNT_INVALID_PARAMETER, type Emulator } from "../../src/emulator/index.js";
import { APP_ID } from "../support/emulator.js";
import {
  ACCOUNT_CHECK,
  ACCOUNT_DELETE,
  ACCOUNT_IMPORT,
  ADD_MEMBERS,
  CREATE_GROUP,
  GET_HISTORY,
  JOINED_GROUPS,
  post,
  RECALL_BY_SENDER,
  SEND_MESSAGE,
  startTestEmulator,
} from "./http.js";

let emulator: Emulator;

afterEach(async () => {
  await emulator?.close();
});

async function check(...userIds: string[]): Promise<Record<string, string>> {
  const answer = await post(emulator, {
    command: ACCOUNT_CHECK,
    body: { CheckItem: userIds.map((UserID) => ({ UserID })) },
  });
  expect(answer).toMatchObject({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" });
  const items = answer.ResultItem as { UserID: string; ResultCode: number; AccountStatus: string }[];
  expect(items.map((item) => item.UserID)).toEqual(userIds);
  expect(items.every((item) => item.ResultCode === 0)).toBe(true);
  return Object.fromEntries(items.map((item) => [item.UserID, item.AccountStatus]));
}

interface JoinedAnswer {
  ErrorCode: number;
  TotalCount: number;
  GroupIdList: { GroupId: string }[];
}

async function joined(member: string, fields: Record<string, unknown> = {}) {
  const answer = (await post(emulator, {
    command: JOINED_GROUPS,
    body: { Member_Account: member, ...fields },
  })) as unknown as JoinedAnswer;
  expect(answer).toMatchObject({ ErrorCode: 0 });
  return { total: answer.TotalCount, ids: answer.GroupIdList.map((g) => g.GroupId), answer };
}

function say(groupId: string, from: string, text = "hi"): Promise<Record<string, unknown>> {
  return post(emulator, {
    command: SEND_MESSAGE,
    body: {
      GroupId: groupId,
      From_Account: from,
      MsgBody: [{ MsgType: "TIMTextElem", MsgContent: { Text: text } }],
    },
  });
}

describe("emulator: account_import, account_check and account_delete", () => {
  it("answers Imported or NotImported for each UserID, in request order; admins are accounts", async () => {
    emulator = await startTestEmulator();
    expect(await check("nobody", "administrator", "alice")).toEqual({
      nobody: "NotImported",
      administrator: "Imported",
      alice: "NotImported",
    });
    const imported = await post(emulator, {
      command: ACCOUNT_IMPORT,
      body: { UserID: "alice", Nick: "Alice", FaceUrl: "https://example.invalid/a.png" },
    });
    expect(imported).toEqual({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" });
    expect(await check("alice", "nobody")).toEqual({ alice: "Imported", nobody: "NotImported" });
    expect(emulator.state.isAccount(APP_ID, "alice")).toBe(true);
    const again = await post(emulator, { command: ACCOUNT_IMPORT, body: { UserID: "alice" } });
    expect(again.ErrorCode).toBe(0);
  });

  it("deletes accounts and their memberships, while their messages stay in history and can be recalled", async () => {
    emulator = await startTestEmulator();
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
    emulator.state.sendMessage(APP_ID, groupId, "mallory", "spam");
    emulator.state.sendMessage(APP_ID, groupId, "alice", "hello");
    expect((await joined("mallory")).ids).toEqual([groupId]);

    const deleted = await post(emulator, {
      command: ACCOUNT_DELETE,
      body: { DeleteItem: [{ UserID: "mallory" }, { UserID: "never-was" }] },
    });
    expect(deleted).toMatchObject({
      ActionStatus: "OK",
      ErrorCode: 0,
      ResultItem: [
        { ResultCode: 0, ResultInfo: "", UserID: "mallory" },
        { ResultCode: 0, ResultInfo: "", UserID: "never-was" },
      ],
    });
    expect(await check("mallory", "alice")).toEqual({ mallory: "NotImported", alice: "Imported" });
    expect(await joined("mallory")).toMatchObject({ total: 0, ids: [] });
    expect(emulator.state.requireGroup(APP_ID, groupId).members.has("mallory")).toBe(false);

    const history = await post(emulator, {
      command: GET_HISTORY,
      body: { GroupId: groupId, ReqMsgNumber: 5 },
    });
    expect(history.RspMsgList).toEqual([
      expect.objectContaining({ MsgSeq: 2, From_Account: "alice", IsPlaceMsg: 0 }),
      expect.objectContaining({ MsgSeq: 1, From_Account: "mallory", IsPlaceMsg: 0 }),
    ]);
    const recall = await post(emulator, {
      command: RECALL_BY_SENDER,
      body: { GroupId: groupId, Sender_Account: "mallory" },
    });
    expect(recall.ErrorCode).toBe(0);
    expect(emulator.state.messages(APP_ID, groupId).map((m) => m.recalled)).toEqual([true, false]);
  });

  it.each([
    [ACCOUNT_CHECK, "no CheckItem", {}],
    [ACCOUNT_CHECK, "an empty CheckItem", { CheckItem: [] }],
    [ACCOUNT_CHECK, "101 items", { CheckItem: Array.from({ length: 101 }, (_, i) => ({ UserID: `u${i}` })) }],
    [ACCOUNT_CHECK, "an item without UserID", { CheckItem: [{ UserID: "a" }, {}] }],
    [ACCOUNT_CHECK, "an empty UserID", { CheckItem: [{ UserID: "" }] }],
    [ACCOUNT_CHECK, "a numeric UserID", { CheckItem: [{ UserID: 7 }] }],
    [ACCOUNT_CHECK, "a CheckItem that is not a list", { CheckItem: { UserID: "a" } }],
    [ACCOUNT_CHECK, "a null item", { CheckItem: [null] }],
    [ACCOUNT_IMPORT, "no UserID", { Nick: "n" }],
    [ACCOUNT_IMPORT, "a UserID over 32 bytes", { UserID: "u".repeat(33) }],
    [ACCOUNT_IMPORT, "a Nick that is not a string", { UserID: "u", Nick: 1 }],
    [ACCOUNT_DELETE, "an empty DeleteItem", { DeleteItem: [] }],
    [
      ACCOUNT_DELETE,
      "101 items",
      { DeleteItem: Array.from({ length: 101 }, (_, i) => ({ UserID: `u${i}` })) },
    ],
  ])("answers %s with %s by 70402, the account service's invalid parameter", async (command, _name, body) => {
    emulator = await startTestEmulator();
    const answer = await post(emulator, { command, body });
    expect(answer).toMatchObject({ ActionStatus: "FAIL", ErrorCode: ACCOUNT_INVALID_PARAMETER });
    expect(answer.ErrorInfo).toEqual(expect.any(String));
  });

  it("deletes none of a DeleteItem list when one of its items is invalid", async () => {
    emulator = await startTestEmulator();
    emulator.state.importAccount(APP_ID, "alice");
    const answer = await post(emulator, {
      command: ACCOUNT_DELETE,
      body: { DeleteItem: [{ UserID: "alice" }, { UserID: "" }] },
    });
    expect(answer.ErrorCode).toBe(ACCOUNT_INVALID_PARAMETER);
    expect(emulator.state.isAccount(APP_ID, "alice")).toBe(true);
  });

  it("limits account_check to its documented 100 calls a second, and get_joined_group_list to 200", async () => {
    emulator = await startTestEmulator();
    let limited = false;
    for (let batch = 0; batch < 5 && !limited; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 120 }, () =>
          post(emulator, { command: ACCOUNT_CHECK, body: { CheckItem: [{ UserID: "a" }] } }),
        ),
      );
      limited = answers.some((answer) => answer.ErrorCode === 60007);
    }
    expect(limited).toBe(true);
    expect(emulator.stats()[ACCOUNT_CHECK]!.busiestSecond).toBe(100);

    const answers = await Promise.all(
      Array.from({ length: 150 }, () =>
        post(emulator, { command: JOINED_GROUPS, body: { Member_Account: "a" } }),
      ),
    );
    expect(answers.every((answer) => answer.ErrorCode === 0)).toBe(true);
  });

  it("applies an explicit rateLimitPerSecond to account_check too", async () => {
    emulator = await startTestEmulator({ rateLimitPerSecond: 2 });
    const codes = [];
    for (let i = 0; i < 3; i++) {
      codes.push(
        (await post(emulator, { command: ACCOUNT_CHECK, body: { CheckItem: [{ UserID: "a" }] } })).ErrorCode,
      );
    }
    expect(codes).toEqual([0, 0, 60007]);
  });
});

describe("emulator: group membership", () => {
  it("makes a sender a member (and an account) of the group, but not an app admin", async () => {
    emulator = await startTestEmulator();
    const created = await post(emulator, { command: CREATE_GROUP, body: { Type: "Public", Name: "n" } });
    const groupId = created.GroupId as string;
    expect(await check("bob")).toEqual({ bob: "NotImported" });
    expect((await say(groupId, "bob")).ErrorCode).toBe(0);
    expect((await say(groupId, "bob")).ErrorCode).toBe(0);
    expect(await check("bob")).toEqual({ bob: "Imported" });
    expect(await joined("bob")).toMatchObject({ total: 1, ids: [groupId] });

    expect((await say(groupId, "administrator")).ErrorCode).toBe(0);
    expect(await joined("administrator")).toMatchObject({ total: 0, ids: [] });
    expect([...emulator.state.requireGroup(APP_ID, groupId).members]).toEqual(["bob"]);
  });

  it("makes the owner a member, and adds members with add_group_member", async () => {
    emulator = await startTestEmulator();
    const created = await post(emulator, {
      command: CREATE_GROUP,
      body: { Type: "Public", Name: "n", Owner_Account: "olga" },
    });
    const groupId = created.GroupId as string;
    expect((await joined("olga")).ids).toEqual([groupId]);

    const added = await post(emulator, {
      command: ADD_MEMBERS,
      body: { GroupId: groupId, MemberList: [{ Member_Account: "carol" }, { Member_Account: "olga" }] },
    });
    expect(added).toMatchObject({
      ActionStatus: "OK",
      ErrorCode: 0,
      MemberList: [
        { Member_Account: "carol", Result: 1 },
        { Member_Account: "olga", Result: 2 },
      ],
    });
    expect(await check("carol")).toEqual({ carol: "Imported" });
    expect((await joined("carol")).ids).toEqual([groupId]);
    expect([...emulator.state.requireGroup(APP_ID, groupId).members]).toEqual(["olga", "carol"]);
  });

  it.each([
    ["an empty MemberList", { GroupId: "g", MemberList: [] }, 10004],
    ["a member without Member_Account", { GroupId: "g", MemberList: [{}] }, 10004],
    ["no GroupId", { MemberList: [{ Member_Account: "a" }] }, 10004],
    ["a group that does not exist", { GroupId: "gone", MemberList: [{ Member_Account: "a" }] }, 10010],
  ])("answers add_group_member with %s by %i", async (_name, body, code) => {
    emulator = await startTestEmulator();
    emulator.state.createGroup(APP_ID, { type: "Public", groupId: "g" });
    expect(await post(emulator, { command: ADD_MEMBERS, body })).toMatchObject({
      ActionStatus: "FAIL",
      ErrorCode: code,
    });
  });
});

describe("emulator: get_joined_group_list", () => {
  /** Groups of each type, created in one order and joined by alice in another. */
  function groupsOfAlice(): string[] {
    const { state } = emulator;
    const ids = [
      state.createGroup(APP_ID, { type: "Public", groupId: "public-1" }),
      state.createGroup(APP_ID, { type: "Public", groupId: "public-2" }),
      state.createGroup(APP_ID, { type: "ChatRoom", groupId: "meeting" }),
      state.createGroup(APP_ID, { type: "Community", groupId: "@TGS#_community" }),
      state.createGroup(APP_ID, { type: "Private", groupId: "work" }),
      state.createGroup(APP_ID, { type: "Public", groupId: "public-3" }),
      state.createGroup(APP_ID, { type: "AVChatRoom", groupId: "live" }),
    ];
    state.createGroup(APP_ID, { type: "Public", groupId: "not-joined" });
    const joinOrder = ["public-3", "live", "meeting", "public-1", "@TGS#_community", "work", "public-2"];
    for (const id of joinOrder) {
      if (id === "@TGS#_community") {
        const topic = state.createTopic(APP_ID, id, "news");
        state.sendMessage(APP_ID, id, "alice", "in a topic", topic);
      } else if (id === "public-1") {
        state.addMember(APP_ID, id, "alice");
      } else {
        state.sendMessage(APP_ID, id, "alice", "hello");
      }
    }
    expect(new Set(joinOrder)).toEqual(new Set(ids));
    return joinOrder;
  }

  it("lists the groups in join order, page by page with Offset and Limit, with TotalCount for all", async () => {
    emulator = await startTestEmulator();
    const order = groupsOfAlice().filter((id) => id !== "live");
    expect(emulator.state.joinedGroups(APP_ID, "alice").map((g) => g.id)).toHaveLength(7);

    expect(await joined("alice")).toMatchObject({ total: 6, ids: order });
    const pages = [];
    for (let offset = 0; offset < 6; offset += 4) {
      pages.push(await joined("alice", { Limit: 4, Offset: offset }));
    }
    expect(pages.map((p) => p.ids)).toEqual([order.slice(0, 4), order.slice(4)]);
    expect(pages.map((p) => p.total)).toEqual([6, 6]);
    expect(await joined("alice", { Offset: 2 })).toMatchObject({ total: 6, ids: order.slice(2) });
    expect(await joined("alice", { Limit: 1 })).toMatchObject({ total: 6, ids: order.slice(0, 1) });
    expect(await joined("alice", { Limit: 3, Offset: 6 })).toMatchObject({ total: 6, ids: [] });
    expect(await joined("alice", { Limit: 10_000 })).toMatchObject({ total: 6, ids: order });
  });

  it("lists AVChatRoom groups only with WithHugeGroups 1", async () => {
    emulator = await startTestEmulator();
    const order = groupsOfAlice();
    expect(await joined("alice", { WithHugeGroups: 1 })).toMatchObject({ total: 7, ids: order });
    expect((await joined("alice", { WithHugeGroups: 0 })).ids).not.toContain("live");
    expect(await joined("alice", { GroupType: "AVChatRoom" })).toMatchObject({ total: 0, ids: [] });
    expect(await joined("alice", { GroupType: "AVChatRoom", WithHugeGroups: 1 })).toMatchObject({
      total: 1,
      ids: ["live"],
    });
    expect(await joined("alice", { Limit: 2, Offset: 1, WithHugeGroups: 1 })).toMatchObject({
      total: 7,
      ids: ["live", "meeting"],
    });
  });

  it("filters by GroupType, with the names get_appid_group_list takes", async () => {
    emulator = await startTestEmulator();
    groupsOfAlice();
    expect(await joined("alice", { GroupType: "Public" })).toMatchObject({
      total: 3,
      ids: ["public-3", "public-1", "public-2"],
    });
    expect(await joined("alice", { GroupType: "Public", Limit: 2, Offset: 1 })).toMatchObject({
      total: 3,
      ids: ["public-1", "public-2"],
    });
    expect((await joined("alice", { GroupType: "ChatRoom" })).ids).toEqual(["meeting"]);
    expect((await joined("alice", { GroupType: "Community" })).ids).toEqual(["@TGS#_community"]);
    expect((await joined("alice", { GroupType: "Private" })).ids).toEqual(["work"]);
    expect(await joined("alice", { GroupType: "BChatRoom" })).toMatchObject({ total: 0, ids: [] });
  });

  it("leaves out Private groups no message was sent in unless WithNoActiveGroups is 1", async () => {
    emulator = await startTestEmulator();
    const work = emulator.state.createGroup(APP_ID, { type: "Private" });
    emulator.state.addMember(APP_ID, work, "alice");
    expect(await joined("alice")).toMatchObject({ total: 0, ids: [] });
    expect(await joined("alice", { WithNoActiveGroups: 1 })).toMatchObject({ total: 1, ids: [work] });
    emulator.state.sendMessage(APP_ID, work, "bob", "first message");
    expect(await joined("alice")).toMatchObject({ total: 1, ids: [work] });
  });

  it("answers TotalCount 0 and no groups for an account that does not exist or joined none", async () => {
    emulator = await startTestEmulator();
    groupsOfAlice();
    expect(await joined("nobody", { WithHugeGroups: 1 })).toMatchObject({ total: 0, ids: [] });
    expect(await joined("administrator")).toMatchObject({ total: 0, ids: [] });
  });

  it("adds the fields ResponseFilter asks for", async () => {
    emulator = await startTestEmulator();
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public", name: "general", owner: "olga" });
    emulator.state.sendMessage(APP_ID, groupId, "alice", "hello");
    const { answer } = await joined("alice", {
      ResponseFilter: {
        GroupBaseInfoFilter: ["Type", "Name", "MemberNum", "NextMsgSeq"],
        SelfInfoFilter: ["Role"],
      },
    });
    expect(answer.GroupIdList).toEqual([
      {
        GroupId: groupId,
        Type: "Public",
        Name: "general",
        MemberNum: 2,
        NextMsgSeq: 2,
        SelfInfo: { Role: "Member" },
      },
    ]);
    const owner = await joined("olga", { ResponseFilter: { SelfInfoFilter: ["Role", "MsgFlag"] } });
    expect(owner.answer.GroupIdList).toEqual([
      { GroupId: groupId, SelfInfo: { Role: "Owner", MsgFlag: "AcceptAndNotify" } },
    ]);
  });

  it.each([
    ["no Member_Account", {}],
    ["an empty Member_Account", { Member_Account: "" }],
    ["Limit 0", { Member_Account: "a", Limit: 0 }],
    ["Limit 10001", { Member_Account: "a", Limit: 10_001 }],
    ["a negative Offset", { Member_Account: "a", Offset: -1 }],
    ["an Offset given as a string", { Member_Account: "a", Offset: "1" }],
    ["WithHugeGroups 2", { Member_Account: "a", WithHugeGroups: 2 }],
    ["WithNoActiveGroups 2", { Member_Account: "a", WithNoActiveGroups: 2 }],
    ["GroupType Work", { Member_Account: "a", GroupType: "Work" }],
    ["an unknown GroupType", { Member_Account: "a", GroupType: "Pubic" }],
    ["a ResponseFilter that is not an object", { Member_Account: "a", ResponseFilter: ["Type"] }],
    [
      "a GroupBaseInfoFilter that is not a list",
      { Member_Account: "a", ResponseFilter: { GroupBaseInfoFilter: "Type" } },
    ],
  ])("answers %s with 10004", async (_name, body) => {
    emulator = await startTestEmulator();
    expect(await post(emulator, { command: JOINED_GROUPS, body })).toMatchObject({
      ActionStatus: "FAIL",
      ErrorCode: 10004,
    });
  });
});
