import { afterEach, describe, expect, it } from "vitest";
import { applySeed, type Emulator } from "../../src/emulator/index.js";
import { APP_ID } from "../support/emulator.js";
import { GET_GROUP_INFO, GET_TOPIC, LIST_GROUPS, post, postText, startTestEmulator } from "./http.js";

let emulator: Emulator;

afterEach(async () => {
  await emulator?.close();
});

/** The bare digits of the answer's top-level Next, as written (JSON.parse would round them). */
function nextLiteral(text: string): string {
  const match = /"Next":(\d+)[,}]/.exec(text);
  expect(match, text).not.toBeNull();
  return match![1]!;
}

async function listPage(fields: string) {
  const { status, text } = await postText(emulator, { command: LIST_GROUPS, rawBody: `{${fields}}` });
  expect(status).toBe(200);
  const answer = JSON.parse(text) as {
    ErrorCode: number;
    TotalCount: number;
    GroupIdList: { GroupId: string }[];
  };
  return {
    answer,
    ids: answer.GroupIdList?.map((g) => g.GroupId),
    next: answer.ErrorCode === 0 ? nextLiteral(text) : "",
  };
}

/** Every group ID of a listing, page by page, sending each Next back exactly as it came. */
async function listAll(limit: number, groupType?: string): Promise<{ ids: string[]; pages: number }> {
  const filter = groupType ? `,"GroupType":"${groupType}"` : "";
  const ids: string[] = [];
  let next = "0";
  let pages = 0;
  do {
    const page = await listPage(`"Limit":${limit},"Next":${next}${filter}`);
    expect(page.answer.ErrorCode).toBe(0);
    ids.push(...page.ids!);
    next = page.next;
    pages++;
  } while (next !== "0");
  return { ids, pages };
}

describe("emulator: get_appid_group_list", () => {
  it("pages with uint64 cursors above 2^53, written and read with every digit", async () => {
    const base = 2n ** 60n + 5n;
    emulator = await startTestEmulator({ listingCursorBase: base });
    const created = Array.from({ length: 25 }, (_, i) =>
      emulator.state.createGroup(APP_ID, { type: "Public", groupId: `group-${i}` }),
    );

    const first = await listPage(`"Limit":10,"Next":0`);
    expect(first.answer).toMatchObject({ ErrorCode: 0, TotalCount: 25 });
    expect(first.ids).toEqual(created.slice(0, 10));
    expect(first.next).toBe(base.toString());
    expect(Number(first.next)).toBeGreaterThan(Number.MAX_SAFE_INTEGER);

    const second = await listPage(`"Limit":10,"Next":${first.next}`);
    expect(second.ids).toEqual(created.slice(10, 20));
    expect(second.next).toBe((base + 1n).toString());

    const last = await listPage(`"Next":${second.next},"Limit":10`);
    expect(last.ids).toEqual(created.slice(20));
    expect(last.next).toBe("0");
    expect(last.answer.TotalCount).toBe(25);

    const rounded = JSON.stringify((JSON.parse(`{"Next":${second.next}}`) as { Next: number }).Next);
    expect(rounded).not.toBe(second.next);
    const refused = await listPage(`"Limit":10,"Next":${rounded}`);
    expect(refused.answer).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 10004 });
    expect((refused.answer as unknown as { ErrorInfo: string }).ErrorInfo).toContain(
      "not a cursor this service issued",
    );
  });

  it("starts at the first page when Next is absent and answers Next 0 when one page holds all", async () => {
    emulator = await startTestEmulator();
    emulator.state.createGroup(APP_ID, { type: "Public", groupId: "only" });
    const page = await listPage("");
    expect(page.answer).toMatchObject({ ErrorCode: 0, TotalCount: 1, GroupIdList: [{ GroupId: "only" }] });
    expect(page.next).toBe("0");
  });

  it.each([
    ["a Next it did not issue", `"Next":12345`],
    ["a Next given as a string", `"Next":"1"`],
    ["a negative Next", `"Next":-1`],
    ["a Next of 2^64", `"Next":18446744073709551616`],
    ["a Next with a fraction", `"Next":1.5`],
    ["a Next with an exponent", `"Next":1e3`],
    ["Limit 0", `"Limit":0`],
    ["Limit 10001", `"Limit":10001`],
    ["GroupType Work", `"GroupType":"Work"`],
    ["GroupType Meeting", `"GroupType":"Meeting"`],
    ["an unknown GroupType", `"GroupType":"Pubic"`],
  ])("answers %s with 10004", async (_name, fields) => {
    emulator = await startTestEmulator();
    emulator.state.createGroup(APP_ID, { type: "Public" });
    expect((await listPage(fields)).answer).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 10004 });
  });

  it("filters by GroupType, counting only that type, and refuses a cursor issued for another filter", async () => {
    emulator = await startTestEmulator();
    const types = ["Public", "Private", "ChatRoom", "AVChatRoom", "Community"];
    const byType = new Map<string, string[]>(types.map((t) => [t, []]));
    for (let i = 0; i < 30; i++) {
      const type = types[i % types.length]!;
      byType.get(type)!.push(emulator.state.createGroup(APP_ID, { type: i % 10 === 1 ? "Work" : type }));
    }
    for (const type of types) {
      const { ids } = await listAll(4, type);
      expect(ids).toEqual(byType.get(type));
      expect((await listPage(`"GroupType":"${type}"`)).answer.TotalCount).toBe(6);
    }
    expect((await listPage(`"GroupType":"BChatRoom"`)).answer).toMatchObject({
      TotalCount: 0,
      GroupIdList: [],
    });

    const publicPage = await listPage(`"Limit":2,"GroupType":"Public"`);
    const crossed = await listPage(`"Limit":2,"GroupType":"Community","Next":${publicPage.next}`);
    expect(crossed.answer).toMatchObject({ ErrorCode: 10004 });
    expect(await listPage(`"Limit":2,"Next":${publicPage.next}`)).toMatchObject({
      answer: { ErrorCode: 10004 },
    });
  });

  it("lists 20,000 seeded groups of mixed types in pages of the default 10,000, then of 1,000", async () => {
    emulator = await startTestEmulator({ listingCursorBase: 2n ** 62n });
    const ids = applySeed(emulator.state, {
      groupBatches: [
        {
          sdkAppId: APP_ID,
          count: 19_997,
          types: ["Public", "Private", "ChatRoom", "AVChatRoom"],
          idPrefix: "g",
        },
        { sdkAppId: APP_ID, count: 3, types: ["Community"], idPrefix: "c", topicsPerCommunity: 2 },
      ],
    });
    expect(ids).toHaveLength(20_000);
    expect(new Set(ids).size).toBe(20_000);

    const whole = await listAll(10_000);
    expect(whole.pages).toBe(2);
    expect(whole.ids).toEqual(ids);
    const defaultPage = await listPage("");
    expect(defaultPage.ids).toHaveLength(10_000);
    expect(defaultPage.answer.TotalCount).toBe(20_000);

    const small = await listAll(1000);
    expect(small.pages).toBe(20);
    expect(small.ids).toEqual(ids);
    expect((await listAll(1000, "Community")).ids).toEqual(["@TGS#_c1", "@TGS#_c2", "@TGS#_c3"]);

    const info = await post(emulator, { command: GET_GROUP_INFO, body: { GroupIdList: ["g4", "@TGS#_c2"] } });
    expect(info.GroupInfo).toEqual([
      expect.objectContaining({ GroupId: "g4", Type: "AVChatRoom" }),
      expect.objectContaining({ GroupId: "@TGS#_c2", Type: "Community" }),
    ]);
  });
});

describe("emulator: get_topic", () => {
  function community(): { groupId: string; topics: string[] } {
    const groupId = emulator.state.createGroup(APP_ID, { type: "Community", owner: "alice" });
    const topics = ["news", "chat"].map((name) => emulator.state.createTopic(APP_ID, groupId, name));
    emulator.state.sendMessage(APP_ID, groupId, "bob", "hello", topics[1]);
    return { groupId, topics };
  }

  it("answers every topic of a Community group with its ID and name", async () => {
    emulator = await startTestEmulator();
    const { groupId, topics } = community();
    const answer = await post(emulator, {
      command: GET_TOPIC,
      body: { GroupId: groupId, From_Account: "alice" },
    });
    expect(answer).toMatchObject({ ActionStatus: "OK", ErrorCode: 0 });
    expect(answer.TopicAndSelfInfo).toEqual([
      {
        ErrorCode: 0,
        ErrorInfo: "",
        TopicInfo: expect.objectContaining({ TopicId: topics[0], TopicName: "news", NextMsgSeq: 1 }),
        SelfInfo: expect.objectContaining({ MsgFlag: "AcceptAndNotify" }),
      },
      {
        ErrorCode: 0,
        ErrorInfo: "",
        TopicInfo: expect.objectContaining({ TopicId: topics[1], TopicName: "chat", NextMsgSeq: 2 }),
        SelfInfo: expect.objectContaining({ MsgFlag: "AcceptAndNotify" }),
      },
    ]);
  });

  it("answers the listed topics, with an entry of its own code for one that does not exist", async () => {
    emulator = await startTestEmulator();
    const { groupId, topics } = community();
    const missing = `${groupId}@TOPIC#_gone`;
    const answer = await post(emulator, {
      command: GET_TOPIC,
      body: { GroupId: groupId, TopicIdList: [topics[1], missing] },
    });
    expect(answer.TopicAndSelfInfo).toEqual([
      expect.objectContaining({ ErrorCode: 0, TopicInfo: expect.objectContaining({ TopicId: topics[1] }) }),
      expect.objectContaining({
        ErrorCode: 10010,
        ErrorInfo: expect.any(String),
        TopicInfo: { TopicId: missing },
      }),
    ]);
  });

  it("answers 10007 for a group that is not a Community, 10010 for a missing one and 10015 for an invalid ID", async () => {
    emulator = await startTestEmulator();
    const publicGroup = emulator.state.createGroup(APP_ID, { type: "Public" });
    expect(await post(emulator, { command: GET_TOPIC, body: { GroupId: publicGroup } })).toMatchObject({
      ErrorCode: 10007,
    });
    expect(await post(emulator, { command: GET_TOPIC, body: { GroupId: "@TGS#_GONE" } })).toMatchObject({
      ErrorCode: 10010,
    });
    expect(await post(emulator, { command: GET_TOPIC, body: { GroupId: "é" } })).toMatchObject({
      ErrorCode: 10015,
    });
    expect(
      await post(emulator, { command: GET_TOPIC, body: { GroupId: publicGroup, TopicIdList: "x" } }),
    ).toMatchObject({
      ErrorCode: 10004,
    });
  });

  it("is rate-limited on its own, like every command", async () => {
    emulator = await startTestEmulator({ rateLimitPerSecond: 2 });
    const { groupId } = community();
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push((await post(emulator, { command: GET_TOPIC, body: { GroupId: groupId } })).ErrorCode);
    expect(codes).toEqual([0, 0, 60007]);
    expect((await post(emulator)).ErrorCode).toBe(0);
    expect(emulator.stats()[GET_TOPIC]).toMatchObject({ accepted: 2, rateLimited: 1 });
  });
});
