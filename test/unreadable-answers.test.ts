import { afterEach, describe, expect, it } from "vitest";
import { HISTORY_COMMAND } from "../src/recall/history.js";
import { JOINED_GROUPS_COMMAND, LIST_GROUPS_COMMAND } from "../src/recall/listing.js";
import { RECALL_BY_SEQ_COMMAND } from "../src/recall/recall-seqs.js";
import { appInputs } from "./support/emulator.js";
import { FaultServer, type SeenRequest } from "./support/fault-server.js";
import { runAction } from "./support/github-runner.js";

let server: FaultServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
const MESSAGE = {
  From_Account: "mallory",
  IsPlaceMsg: 0,
  MsgSeq: 1,
  MsgTimeStamp: 1_700_000_000,
  MsgBody: [],
};
const commandOf = (request: SeenRequest) => request.path.split("/v4/")[1] ?? "";

/** A server that answers history with `page`, and every other command OK (with the fields it needs). */
async function serving(answers: Record<string, Record<string, unknown>>) {
  server = await FaultServer.start((request) => ({
    json: { ...OK, ...(answers[commandOf(request)] ?? {}) },
  }));
  return server;
}

const calls = (command: string) => server!.requests.filter((r) => commandOf(r) === command).length;

describe("a history answer we cannot read", () => {
  it.each([
    ["no RspMsgList", {}],
    ["RspMsgList an object", { RspMsgList: { 0: MESSAGE } }],
    ["IsPlaceMsg missing", { RspMsgList: [{ ...MESSAGE, IsPlaceMsg: undefined }] }],
    ["IsPlaceMsg a string", { RspMsgList: [{ ...MESSAGE, IsPlaceMsg: "0" }] }],
    ["MsgSeq a string", { RspMsgList: [{ ...MESSAGE, MsgSeq: "1" }] }],
    ["no From_Account", { RspMsgList: [{ ...MESSAGE, From_Account: undefined }] }],
    ["a seq twice", { RspMsgList: [MESSAGE, MESSAGE] }],
    ["a seq twice, out of order", { RspMsgList: [3, 2, 3].map((MsgSeq) => ({ ...MESSAGE, MsgSeq })) }],
  ])("with %s is a failed read, retried, in a dry run, with notify and with verify", async (_, page) => {
    const { url } = await serving({ [HISTORY_COMMAND]: page });
    const base = appInputs(url, {
      group: "@TGS#AAA",
      sender: "mallory",
      preflight: "false",
      "max-attempts": "2",
    });
    for (const more of [{ "dry-run": "true" }, { mode: "notify" }, { verify: "true" }]) {
      const run = await runAction({ ...base, ...more });
      expect(run.exitCode).toBe(1);
      expect(run.outputs).toMatchObject({ "error-code": "-2", "action-status": "FAIL" });
      expect(run.outputs["error-info"]).toContain("the answer cannot be read");
    }
    expect(calls(RECALL_BY_SEQ_COMMAND)).toBe(0);
    expect(calls(HISTORY_COMMAND)).toBe(6);
  });
});

describe("a listing we cannot read", () => {
  it.each([
    ["no GroupIdList", { TotalCount: 5, Next: 0 }],
    ["fewer groups than TotalCount", { TotalCount: 5, GroupIdList: [{ GroupId: "@TGS#A" }], Next: 0 }],
  ])("with %s fails the run, never 'no groups'", async (_, answer) => {
    const { url } = await serving({ [LIST_GROUPS_COMMAND]: answer });
    const run = await runAction(
      appInputs(url, { group: "*", sender: "mallory", preflight: "false", "max-attempts": "2" }),
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors.join("\n")).toMatch(/Finding the groups and topics failed|cannot be read|TotalCount/);
  });

  it("of joined groups fails the run too", async () => {
    const { url } = await serving({
      "im_open_login_svc/account_check": {
        ResultItem: [{ UserID: "mallory", ResultCode: 0, AccountStatus: "Imported" }],
      },
      [JOINED_GROUPS_COMMAND]: { TotalCount: 3 },
    });
    const run = await runAction(
      appInputs(url, { "joined-groups": "true", sender: "mallory", "max-attempts": "2" }),
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors.join("\n")).toContain("GroupIdList is missing or not a list");
  });
});
