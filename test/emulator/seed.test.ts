import { afterEach, describe, expect, it } from "vitest";
import {
  applySeed,
  EmulatorState,
  parseSeed,
  SeedError,
  startEmulator,
  type Emulator,
} from "../../src/emulator/index.js";
import { APP_ID, SECRET_KEY } from "../support/emulator.js";
import { ACCOUNT_CHECK, GET_HISTORY, JOINED_GROUPS, post, RECALL_BY_SEQ } from "./http.js";

let emulator: Emulator;

afterEach(async () => {
  await emulator?.close();
});

const APP = { sdkAppId: APP_ID, secretKey: SECRET_KEY };

/** Starts an emulator the way the emulator command does: the seed's apps, then the rest of the seed. */
async function startSeeded(json: unknown): Promise<string[]> {
  const seed = parseSeed(json);
  emulator = await startEmulator({ apps: seed.apps ?? [] });
  return applySeed(emulator.state, seed);
}

function seedError(json: unknown): string {
  try {
    parseSeed(json);
  } catch (error) {
    expect(error).toBeInstanceOf(SeedError);
    return (error as Error).message;
  }
  throw new Error("parseSeed accepted the seed");
}

describe("emulator seed: accounts, members and message ages", () => {
  it("imports accounts, adds members, dates messages, and deletes deletedAccounts after the groups", async () => {
    const ids = await startSeeded({
      apps: [
        {
          ...APP,
          accounts: ["alice", "quiet"],
          deletedAccounts: ["gone"],
          historyRetentionSeconds: 3600,
        },
      ],
      groups: [
        {
          sdkAppId: APP_ID,
          groupId: "general",
          type: "Public",
          owner: "olga",
          members: ["bob", "gone"],
          messages: [
            { from: "gone", text: "expired spam", secondsAgo: 7200 },
            { from: "gone", text: "recent spam", secondsAgo: 60 },
            { from: "alice", text: "hello" },
          ],
        },
        { sdkAppId: APP_ID, groupId: "other", type: "ChatRoom", members: ["bob"] },
      ],
    });
    expect(ids).toEqual(["general", "other"]);

    const checked = await post(emulator, {
      command: ACCOUNT_CHECK,
      body: { CheckItem: ["alice", "quiet", "gone", "olga", "bob", "nobody"].map((UserID) => ({ UserID })) },
    });
    expect((checked.ResultItem as { AccountStatus: string }[]).map((item) => item.AccountStatus)).toEqual([
      "Imported",
      "Imported",
      "NotImported",
      "Imported",
      "Imported",
      "NotImported",
    ]);

    const groupsOf = async (member: string) =>
      (
        (await post(emulator, { command: JOINED_GROUPS, body: { Member_Account: member } })).GroupIdList as {
          GroupId: string;
        }[]
      ).map((g) => g.GroupId);
    expect(await groupsOf("bob")).toEqual(["general", "other"]);
    expect(await groupsOf("olga")).toEqual(["general"]);
    expect(await groupsOf("alice")).toEqual(["general"]);
    expect(await groupsOf("gone")).toEqual([]);
    expect([...emulator.state.requireGroup(APP_ID, "general").members]).toEqual(["olga", "bob", "alice"]);

    const history = await post(emulator, {
      command: GET_HISTORY,
      body: { GroupId: "general", ReqMsgNumber: 5 },
    });
    const now = Math.floor(Date.now() / 1000);
    const list = history.RspMsgList as { From_Account: string; IsPlaceMsg: number; MsgTimeStamp: number }[];
    expect(list.map((m) => [m.From_Account, m.IsPlaceMsg])).toEqual([
      ["alice", 0],
      ["gone", 0],
      ["gone", 1],
    ]);
    expect(now - list[1]!.MsgTimeStamp).toBeGreaterThanOrEqual(60);
    expect(now - list[1]!.MsgTimeStamp).toBeLessThan(120);
    const recall = await post(emulator, {
      command: RECALL_BY_SEQ,
      body: { GroupId: "general", MsgSeqList: [{ MsgSeq: 1 }, { MsgSeq: 2 }] },
    });
    expect(recall.RecallRetList).toEqual([
      { MsgSeq: 1, RetCode: 10030 },
      { MsgSeq: 2, RetCode: 0 },
    ]);
  });

  it("keeps the keys out of a seed that does not use them", () => {
    expect(parseSeed({ apps: [APP], groups: [{ sdkAppId: APP_ID, type: "Public" }] })).toEqual({
      apps: [APP],
      groups: [{ sdkAppId: APP_ID, type: "Public" }],
    });
  });

  it.each([
    [
      "an empty account name",
      { apps: [{ ...APP, accounts: ["alice", ""] }] },
      'apps[0].accounts[1]: expected a non-empty string, got ""',
    ],
    [
      "deletedAccounts that is not a list",
      { apps: [{ ...APP, deletedAccounts: "gone" }] },
      'apps[0].deletedAccounts: expected an array, got "gone"',
    ],
    [
      "a historyRetentionSeconds of 0",
      { apps: [{ ...APP, historyRetentionSeconds: 0 }] },
      "apps[0].historyRetentionSeconds: expected an integer from 1 to 1000000000, got 0",
    ],
    [
      "a historyRetentionSeconds given as a string",
      { apps: [{ ...APP, historyRetentionSeconds: "3600" }] },
      'apps[0].historyRetentionSeconds: expected an integer from 1 to 1000000000, got "3600"',
    ],
    [
      "a member that is not a string",
      { apps: [APP], groups: [{ sdkAppId: APP_ID, type: "Public", members: ["bob", 7] }] },
      "groups[0].members[1]: expected a non-empty string, got 7",
    ],
    [
      "a negative secondsAgo",
      {
        apps: [APP],
        groups: [{ sdkAppId: APP_ID, type: "Public", messages: [{ from: "a", text: "b", secondsAgo: -1 }] }],
      },
      "groups[0].messages[0].secondsAgo: expected an integer from 0 to 1000000000, got -1",
    ],
    [
      "a fractional secondsAgo",
      {
        apps: [APP],
        groups: [{ sdkAppId: APP_ID, type: "Public", messages: [{ from: "a", text: "b", secondsAgo: 1.5 }] }],
      },
      "groups[0].messages[0].secondsAgo: expected an integer from 0 to 1000000000, got 1.5",
    ],
    [
      "an unknown key in an app",
      { apps: [{ ...APP, account: ["alice"] }] },
      'apps[0]: unknown key "account"; expected sdkAppId, secretKey, admins, accounts, deletedAccounts, historyRetentionSeconds',
    ],
    [
      "an unknown key in a group",
      { apps: [APP], groups: [{ sdkAppId: APP_ID, type: "Public", member: ["bob"] }] },
      'groups[0]: unknown key "member"; expected sdkAppId, groupId, type, name, owner, topics, members, messages',
    ],
    [
      "an unknown key in a message",
      {
        apps: [APP],
        groups: [{ sdkAppId: APP_ID, type: "Public", messages: [{ from: "a", text: "b", age: 1 }] }],
      },
      'groups[0].messages[0]: unknown key "age"; expected from, text, topic, recalled, deleted, secondsAgo',
    ],
  ])("refuses %s, naming the entry", (_name, json, message) => {
    expect(seedError(json)).toBe(message);
  });

  it("refuses accounts of an app the emulator was not started with", () => {
    const state = new EmulatorState();
    const seed = parseSeed({ apps: [APP, { sdkAppId: 1400000002, secretKey: "k", accounts: ["alice"] }] });
    state.addApp(APP);
    expect(() => applySeed(state, seed)).toThrow(
      new SeedError("apps[1].sdkAppId: app 1400000002 is not in the emulator; start it with the seed's apps"),
    );
  });
});

describe("emulator seed: bounds", () => {
  const LIMIT =
    "the seed would create more than 1000000 apps, groups, topics, messages and accounts in all (groupBatches counts included), the most a seed may";

  it.each([
    [
      "groupBatches whose counts sum past the limit",
      {
        apps: [APP],
        groupBatches: [
          { sdkAppId: APP_ID, count: 600_000 },
          { sdkAppId: APP_ID, count: 500_000 },
        ],
      },
      `groupBatches[1].count: ${LIMIT}`,
    ],
    [
      "a batch whose Community topics pass the limit",
      {
        apps: [APP],
        groupBatches: [
          { sdkAppId: APP_ID, count: 2001, types: ["Public", "Community"], topicsPerCommunity: 1000 },
        ],
      },
      `groupBatches[0].topicsPerCommunity: ${LIMIT}`,
    ],
    [
      "accounts and messages that together pass the limit",
      {
        apps: [{ ...APP, accounts: Array<string>(999_990).fill("alice") }],
        groups: [{ sdkAppId: APP_ID, type: "Public", messages: Array(10).fill({ from: "a", text: "b" }) }],
      },
      `groups[0].messages: ${LIMIT}`,
    ],
  ])("refuses %s, naming the limit", (_name, json, message) => {
    expect(seedError(json)).toBe(message);
  });

  it("takes a seed that creates exactly the limit", () => {
    const seed = parseSeed({
      apps: [APP],
      groupBatches: [
        { sdkAppId: APP_ID, count: 999, types: ["Public", "Community"], topicsPerCommunity: 1000 },
        // 1 app, 999 groups, 499 Communities with 1000 topics each, 500,000 groups: 1,000,000 in all.
        { sdkAppId: APP_ID, count: 500_000 },
      ],
    });
    expect(seed.groupBatches).toHaveLength(2);
  });

  it("refuses a seed nested 100,000 arrays deep with a SeedError, not a stack overflow", () => {
    const deep = JSON.parse(`{"apps":${"[".repeat(100_000)}${"]".repeat(100_000)}}`) as unknown;
    expect(seedError(deep)).toBe(
      "seed: arrays and objects nested more than 32 levels deep; a seed needs at most 5",
    );
  });

  it("describes a wrong value by its kind and size, not by the whole of it", () => {
    expect(seedError({ apps: [APP], groups: [{ sdkAppId: APP_ID, type: "P".repeat(1e6) }] })).toBe(
      `groups[0].type: unknown group type ${JSON.stringify("P".repeat(60))}... (1000000 characters); ` +
        "valid types: Private, Public, ChatRoom, AVChatRoom, Community, Work, Meeting",
    );
    expect(seedError({ apps: Array(3).fill([APP]) })).toBe(
      "apps[0]: expected an object, got an array of 1 item",
    );
  });
});
