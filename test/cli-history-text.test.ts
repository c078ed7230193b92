import { afterEach, describe, expect, it } from "vitest";
import { listeningUrl, runCli as cli } from "./support/cli-process.js";
import { FaultServer } from "./support/fault-server.js";
import { SAMPLE_GROUP as GROUP, SAMPLE_SEED as SEED, sampleAppEnv as env } from "./support/sample-seed.js";

let faults: FaultServer | undefined;

afterEach(async () => {
  await faults?.close();
  faults = undefined;
});

/** A server whose every answer is one page of history holding these messages. */
function serveHistory(RspMsgList: unknown[]): Promise<FaultServer> {
  const page = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", GroupId: GROUP, IsFinished: 1, RspMsgList };
  return FaultServer.start([{ json: page }]);
}

async function historyJson(endpoint: string): Promise<Record<string, unknown>[]> {
  const run = cli(["history", "--group", GROUP, "--json"], env(endpoint));
  expect(await run.exit).toBe(0);
  return run
    .output()
    .stdout.trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const text = (Text: unknown) => ({ MsgType: "TIMTextElem", MsgContent: { Text } });
const LONG = `${"0123456789".repeat(10)}END`;
const HOSTILE = "\u001b]0;owned\u0007\u001b[2Jred\u202etxet";

describe("history shows each message's text", () => {
  it("in the table and whole in --json, as the emulator stored it", async () => {
    const endpoint = await listeningUrl(cli(["emulator", "--seed", SEED]));
    expect((await historyJson(endpoint)).map((m) => [m.seq, m.sender, m.text])).toEqual([
      [6, "leckie", "Last chance!!!"],
      [5, "carol", "Stand-up in 5 minutes"],
      [4, "leckie", "Limited offer, click now"],
      [3, "bob", "Morning Alice!"],
      [2, "leckie", "Cheap watches here: http://spam.invalid"],
      [1, "alice", "Good morning, everyone"],
    ]);
    const table = cli(["history", "--group", GROUP], env(endpoint));
    expect(await table.exit).toBe(0);
    const rows = table
      .output()
      .stdout.trimEnd()
      .split("\n")
      .map((line) => line.slice(36));
    expect(rows).toEqual([
      "kept      leckie  Last chance!!!",
      "kept      carol   Stand-up in 5 minutes",
      "kept      leckie  Limited offer, click now",
      "kept      bob     Morning Alice!",
      "kept      leckie  Cheap watches here: http://spam.invalid",
      "kept      alice   Good morning, everyone",
    ]);
  });

  it("joins text elements, names the others, escapes what a terminal would act on, and cuts long text in the table only", async () => {
    const message = (seq: number, from: string, body: unknown, place = 0) => ({
      From_Account: from,
      IsPlaceMsg: place,
      MsgBody: body,
      MsgPriority: 1,
      MsgRandom: seq,
      MsgSeq: seq,
      MsgTimeStamp: 1_700_000_000,
    });
    faults = await serveHistory([
      message(6, "alice", [text("Hello, "), text("world"), { MsgType: "TIMImageElem", MsgContent: {} }]),
      message(5, "mallory", [text(HOSTILE), { MsgType: "\u001b[31mX" }]),
      message(4, "bob", [text("line one\nline two\ttabbed")]),
      message(3, "carol", [text(LONG)]),
      message(2, "mallory", [], 2),
      message(1, "dave", [{ MsgType: "TIMFaceElem", MsgContent: { Index: 1 } }, text("!")]),
    ]);

    expect((await historyJson(faults.url)).map((m) => m.text)).toEqual([
      "Hello, world [TIMImageElem]",
      `${HOSTILE} [\u001b[31mX]`,
      "line one\nline two\ttabbed",
      LONG,
      "",
      "[TIMFaceElem] !",
    ]);

    const table = cli(["history", "--group", GROUP], env(faults.url));
    expect(await table.exit).toBe(0);
    const { stdout } = table.output();
    expect(
      [...stdout].filter((c) => ["\u001b", "\u0007", "\u202e", "\t"].includes(c)),
      "no control character reaches the terminal",
    ).toEqual([]);
    const rows = stdout
      .trimEnd()
      .split("\n")
      .map((line) => line.slice(36));
    expect(rows).toEqual([
      "kept      alice    Hello, world [TIMImageElem]",
      "kept      mallory  \\u001b]0;owned\\u0007\\u001b[2Jred\\u202etxet [\\u001b[31mX]",
      "kept      bob      line one line two tabbed",
      `kept      carol    ${LONG.slice(0, 59)}…`,
      "recalled  mallory",
      "kept      dave     [TIMFaceElem] !",
    ]);
  });

  it("says so in its help", async () => {
    const help = cli(["history", "--help"]);
    expect(await help.exit).toBe(0);
    expect(help.output().stdout.replace(/\s+/g, " ")).toContain(
      "sender, and text (its first 60 characters; with --json, whole; other elements as [TIMImageElem]",
    );
  });

  it("cuts escaped text at 60 characters, never inside an escape", async () => {
    const body = [text(`${"a".repeat(55)}\u001b[31m and more`)];
    faults = await serveHistory([
      {
        From_Account: "u1",
        IsPlaceMsg: 0,
        MsgBody: body,
        MsgRandom: 1,
        MsgSeq: 1,
        MsgTimeStamp: 1_700_000_000,
      },
    ]);
    const table = cli(["history", "--group", GROUP], env(faults.url));
    expect(await table.exit).toBe(0);
    expect(table.output().stdout).toBe(
      `       1  2023-11-14T22:13:20.000Z  kept      u1  ${"a".repeat(55)}…\n`,
    );
  });

  it("cuts a sender longer than its column in the table, never inside an escape, and shows it whole in --json", async () => {
    const from = `${"m".repeat(27)}\u001b[31m${"m".repeat(5000)}`;
    const message = {
      From_Account: from,
      IsPlaceMsg: 0,
      MsgBody: [text("hi")],
      MsgSeq: 1,
      MsgTimeStamp: 1_700_000_000,
    };
    faults = await serveHistory([message]);
    const table = cli(["history", "--group", GROUP], env(faults.url));
    expect(await table.exit).toBe(0);
    expect(table.output().stdout).toBe(
      `       1  2023-11-14T22:13:20.000Z  kept      ${"m".repeat(27)}…  hi\n`,
    );
    expect((await historyJson(faults.url)).map((m) => m.sender)).toEqual([from]);
  });
});
