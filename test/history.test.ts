import { afterEach, describe, expect, it } from "vitest";
import type { ChatClient } from "../src/chat/client.js";
import { readHistory } from "../src/recall/history.js";
import { adminClient } from "./support/admin-client.js";
import { FaultServer } from "./support/fault-server.js";

let server: FaultServer | undefined;
let client: ChatClient | undefined;

afterEach(async () => {
  client?.close();
  await server?.close();
  server = client = undefined;
});

/** A history of `newest` messages, every tenth mallory's, served at most `most` a page, as long messages make it. */
async function shortPages(newest: number, most: number) {
  const asked: number[] = [];
  server = await FaultServer.start((request) => {
    const body = JSON.parse(request.body) as { ReqMsgSeq?: number; ReqMsgNumber: number };
    const top = body.ReqMsgSeq ?? newest;
    asked.push(top);
    const count = Math.min(most, body.ReqMsgNumber, top);
    const RspMsgList = Array.from({ length: count }, (_, i) => ({
      From_Account: (top - i) % 10 === 0 ? "mallory" : "alice",
      IsPlaceMsg: 0,
      MsgSeq: top - i,
      MsgTimeStamp: 1_700_000_000 + top - i,
      MsgRandom: 1,
      MsgBody: [],
    }));
    const IsFinished = count < body.ReqMsgNumber ? 0 : 1;
    return { json: { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", IsFinished, RspMsgList } };
  });
  client = adminClient({ sdkAppId: 1400000001, secretKey: "key" }, server.url, { maxCallsPerSecond: 1000 });
  return { client, asked };
}

describe("reading the history", () => {
  it("reads on from where a short page ended, so that no seq is left out, and none twice", async () => {
    const { client, asked } = await shortPages(300, 7);
    const { messages, attempts } = await readHistory(client, { group: "G" }, { depth: 250 }, {});
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 250 }, (_, i) => 300 - i));
    expect(attempts).toBe(asked.length);
    expect(new Set(asked).size).toBe(asked.length);
  });

  it("keeps only the listed senders' messages within the time window, with their bodies when asked", async () => {
    const { client } = await shortPages(100, 20);
    const query = { depth: 1000, since: 1_700_000_031, until: 1_700_000_080, senders: new Set(["mallory"]) };
    const selected = [80, 70, 60, 50, 40];
    const withBodies = await readHistory(client, { group: "G" }, { ...query, bodies: true }, {});
    expect(withBodies.messages.map((m) => [m.seq, m.from, m.body])).toEqual(
      selected.map((seq) => [seq, "mallory", []]),
    );
    const without = await readHistory(client, { group: "G" }, query, {});
    expect(without.messages.map((m) => [m.seq, m.from, "body" in m])).toEqual(
      selected.map((seq) => [seq, "mallory", false]),
    );
  });
});
