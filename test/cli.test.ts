import { afterEach, describe, expect, it, vi } from "vitest";
import { signUserSig } from "../src/chat/usersig.js";
import { adminClient } from "./support/admin-client.js";
import { listeningUrl, runCli as cli } from "./support/cli-process.js";
import { FaultServer } from "./support/fault-server.js";
import {
  SAMPLE_APP_ID as APP_ID,
  SAMPLE_GROUP as GROUP,
  SAMPLE_SECRET_KEY as SECRET_KEY,
  SAMPLE_SEED as SEED,
  sampleAppEnv,
} from "./support/sample-seed.js";

let faults: FaultServer | undefined;

afterEach(async () => {
  await faults?.close();
  faults = undefined;
});

/** `tencent-chat-recall emulator --seed examples/emulator-seed.json`, as the README shows it. */
function startEmulatorProcess(): Promise<string> {
  return listeningUrl(cli(["emulator", "--seed", SEED]));
}

async function history(endpoint: string) {
  const client = adminClient({ sdkAppId: APP_ID, secretKey: SECRET_KEY }, endpoint, {
    requestTimeoutMs: 2000,
  });
  const { response } = await client.call("group_open_http_svc/group_msg_get_simple", {
    GroupId: GROUP,
    ReqMsgNumber: 20,
    WithRecalledMsg: 1,
  });
  client.close();
  return (response.RspMsgList as { From_Account: string; IsPlaceMsg: number }[])
    .filter((m) => m.IsPlaceMsg === 2)
    .map((m) => m.From_Account);
}

function recall(group: string, endpoint: string, more: string[] = [], secretKey = SECRET_KEY) {
  const args = [
    "--group",
    group,
    "--sender",
    "leckie",
    "--sdk-app-id",
    String(APP_ID),
    "--endpoint",
    endpoint,
  ];
  return cli(["recall", ...args, ...more], { TENCENT_CHAT_SECRET_KEY: secretKey });
}

describe("the command line", () => {
  it("recalls against an emulator it serves, reading the secret key from the environment", async () => {
    const endpoint = await startEmulatorProcess();
    const run = recall(GROUP, endpoint, ["--no-preflight"]);
    expect(await run.exit).toBe(0);
    const { stdout, stderr } = run.output();
    expect(JSON.parse(stdout)).toMatchObject({
      group: GROUP,
      sender: "leckie",
      outcome: "recalled",
      errorCode: 0,
    });
    expect(stderr).toContain("1 of 1 pair(s) recalled, 0 failed, 0 skipped, 0 not attempted.");
    expect(stdout + stderr).not.toContain(SECRET_KEY);
    expect(await history(endpoint)).toEqual(["leckie", "leckie", "leckie"]);
  });

  it("takes a --user-sig flag over TENCENT_CHAT_SECRET_KEY in the environment", async () => {
    const endpoint = await startEmulatorProcess();
    const userSig = signUserSig(SECRET_KEY, { identifier: "administrator", sdkAppId: APP_ID, expire: 600 });
    const run = recall(GROUP, endpoint, ["--user-sig", userSig], "a-wrong-key");
    expect(await run.exit).toBe(0);
    expect(await history(endpoint)).toEqual(["leckie", "leckie", "leckie"]);
  });

  it("exits 1 and names the failure when a pair fails", async () => {
    const endpoint = await startEmulatorProcess();
    const run = recall("@TGS#GONE", endpoint, ["--no-preflight"]);
    expect(await run.exit).toBe(1);
    expect(run.output().stderr).toContain("ErrorCode 10010 (the group does not exist or was dismissed)");
  });

  it("shows the window before and after a recall with history, and counts without recalling in a dry run", async () => {
    const endpoint = await startEmulatorProcess();
    const env = sampleAppEnv(endpoint);
    const history = async () => {
      const run = cli(["history", "--group", GROUP, "--json"], env);
      expect(await run.exit).toBe(0);
      return run
        .output()
        .stdout.trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { seq: number; sender: string; state: string });
    };
    const before = await history();
    expect(before.map((m) => [m.seq, m.sender, m.state])).toEqual([
      [6, "leckie", "kept"],
      [5, "carol", "kept"],
      [4, "leckie", "kept"],
      [3, "bob", "kept"],
      [2, "leckie", "kept"],
      [1, "alice", "kept"],
    ]);

    const dry = cli(["recall", "--group", GROUP, "--sender", "leckie,alice", "--dry-run"], env);
    expect(await dry.exit).toBe(0);
    const counted = dry
      .output()
      .stdout.trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(
      counted.map((r: { sender: string; outcome: string; messages: number }) => [
        r.sender,
        r.outcome,
        r.messages,
      ]),
    ).toEqual([
      ["leckie", "dry-run", 3],
      ["alice", "dry-run", 1],
    ]);
    expect(dry.output().stderr).toContain("4 message(s) would be recalled. Nothing was recalled.");
    expect(await history()).toEqual(before);

    expect(await recall(GROUP, endpoint).exit).toBe(0);
    const after = await history();
    expect(after.filter((m) => m.state === "recalled").map((m) => m.seq)).toEqual([6, 4, 2]);
  });

  it("shows history times that no date can hold as the server's number", async () => {
    const message = (seq: number, time: number) => ({
      From_Account: `u${seq}`,
      IsPlaceMsg: 0,
      MsgBody: [],
      MsgPriority: 1,
      MsgRandom: seq,
      MsgSeq: seq,
      MsgTimeStamp: time,
    });
    faults = await FaultServer.start([
      {
        json: {
          ActionStatus: "OK",
          ErrorCode: 0,
          ErrorInfo: "",
          GroupId: GROUP,
          IsFinished: 1,
          RspMsgList: [message(3, 1e13), message(2, -1e13), message(1, 1_700_000_000)],
        },
      },
    ]);
    const env = sampleAppEnv(faults.url);
    const json = cli(["history", "--group", GROUP, "--json"], env);
    expect(await json.exit).toBe(0);
    expect(
      json
        .output()
        .stdout.trim()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { seq: 3, time: 1e13, sender: "u3", state: "kept", text: "" },
      { seq: 2, time: -1e13, sender: "u2", state: "kept", text: "" },
      { seq: 1, time: "2023-11-14T22:13:20.000Z", sender: "u1", state: "kept", text: "" },
    ]);

    const table = cli(["history", "--group", GROUP], env);
    expect(await table.exit).toBe(0);
    const lines = table.output().stdout.trimEnd().split("\n");
    expect(lines).toEqual([
      "       3  10000000000000            kept      u3",
      "       2  -10000000000000           kept      u2",
      "       1  2023-11-14T22:13:20.000Z  kept      u1",
    ]);
    expect(table.output().stderr).toBe("3 message(s) in the window, 0 recalled.\n");
  });

  it("refuses history through a proxy URL with a bad % escape before any call, without the password", async () => {
    const run = cli(["history", "--group", GROUP], {
      ...sampleAppEnv("https://chat.example.test"),
      https_proxy: "http://alice:100%sure@127.0.0.1:9",
    });
    expect(await run.exit).toBe(2);
    expect(run.output()).toEqual({
      stdout: "",
      stderr:
        "tencent-chat-recall: https_proxy: the password in the proxy URL has a % that does not start an escape such as %40; write a % itself as %25.\n",
    });
  });

  it("exits 2 with the flag and the fix on bad input", async () => {
    const run = cli(["recall", "--group", GROUP, "--sender", "leckie", "--sdk-app-id", String(APP_ID)]);
    expect(await run.exit).toBe(2);
    expect(run.output().stderr).toBe(
      "tencent-chat-recall: --secret-key or --user-sig is required: pass the app's secret key from a secret (set --secret-key or TENCENT_CHAT_SECRET_KEY), or a ready admin UserSig.\n",
    );
    const unknown = cli(["recall", "--grup", "x"]);
    expect(await unknown.exit).toBe(2);
    expect(unknown.output().stderr).toBe(
      "tencent-chat-recall: unknown flag --grup; did you mean --group? See: tencent-chat-recall recall --help\n",
    );
  });

  it.each([
    [["--help"], /^Usage: tencent-chat-recall <command> \[options\]/],
    [["-h"], /Commands:\n {2}recall +recall the messages/],
    [["help", "recall"], /^Usage: tencent-chat-recall recall --group ID --sender ID/],
    [["recall", "--help"], /--dry-run +count, recall nothing/],
    [["history", "-h"], /^Usage: tencent-chat-recall history --group ID/],
    [["emulator", "--help"], /^Usage: tencent-chat-recall emulator/],
    [["--version"], /^\d+\.\d+\.\d+\n$/],
    [["-V"], /^\d+\.\d+\.\d+\n$/],
  ])("answers %j on stdout with exit status 0", async (args, output) => {
    const run = cli(args);
    expect(await run.exit).toBe(0);
    expect(run.output().stdout).toMatch(output);
  });

  it("offers the history command the flags that say what to show and how to connect, and no others", async () => {
    const run = cli(["history", "--help"]);
    expect(await run.exit).toBe(0);
    const flags = [...run.output().stdout.matchAll(/^ {2}(?:-\w, )?--([a-z-]+)/gm)].map((m) => m[1]);
    expect(flags).toEqual([
      "group",
      "topic",
      "json",
      "sdk-app-id",
      "secret-key",
      "user-sig",
      "identifier",
      "region",
      "endpoint",
      "max-attempts",
      "request-timeout",
      "max-calls-per-second",
      "api-ceilings",
      "help",
    ]);
  });

  it.each([
    [["recal"], 'unknown command "recal"; did you mean recall? See: tencent-chat-recall --help'],
    [
      ["recall", "--dryrun"],
      "unknown flag --dryrun; did you mean --dry-run? See: tencent-chat-recall recall --help",
    ],
    [
      ["history", "--grop", "x"],
      "unknown flag --grop; did you mean --group? See: tencent-chat-recall history --help",
    ],
    [
      ["emulator", "--prot", "1"],
      "unknown flag --prot; did you mean --port? See: tencent-chat-recall emulator --help",
    ],
  ])("suggests the nearest for %j, with exit status 2", async (args, message) => {
    const run = cli(args);
    expect(await run.exit).toBe(2);
    expect(run.output().stderr).toBe(`tencent-chat-recall: ${message}\n`);
  });

  it("prints a progress line every --progress-interval seconds when stderr is not a terminal", async () => {
    const endpoint = await startEmulatorProcess();
    const senders = Array.from({ length: 12 }, (_, i) => `s${i}`).join(",");
    const run = cli(
      [
        "recall",
        "--group",
        GROUP,
        "--sender",
        senders,
        "--max-calls-per-second",
        "10",
        "--progress-interval",
        "0.3",
        "--no-preflight",
      ],
      sampleAppEnv(endpoint),
    );
    expect(await run.exit).toBe(0);
    const lines = run
      .output()
      .stderr.split("\n")
      .filter((line) => / of 12 pair\(s\) done \(\d+ OK, 0 failed\)/.test(line));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(run.output().stderr).not.toContain("\u001b");
  });

  it("never passes the server's terminal escape sequences on", async () => {
    const hostile = "\u001b]0;owned\u0007\u001b[2J\u001b[31mred\u009b31m\u202etxet";
    faults = await FaultServer.start([
      { json: { ActionStatus: "FAIL", ErrorCode: 10004, ErrorInfo: hostile } },
    ]);
    const run = recall(GROUP, faults.url, ["--no-preflight"]);
    expect(await run.exit).toBe(1);
    const { stdout, stderr } = run.output();

    expect(
      [...(stdout + stderr)].filter((c) => ["\u001b", "\u0007", "\u009b", "\u202e"].includes(c)),
    ).toEqual([]);
    expect(JSON.parse(stdout).errorInfo).toBe(hostile);
    expect(stderr).toContain("\\u001b]0;owned\\u0007");
  });

  it("on Ctrl-C stops starting calls, prints a result for every pair and a final count, and exits 1", async () => {
    let calls = 0;
    faults = await FaultServer.start(() =>
      ++calls <= 2 ? { json: { ActionStatus: "OK", ErrorCode: 0 } } : { hang: true },
    );
    const senders = Array.from({ length: 100 }, (_, i) => `s${i}`).join(",");
    const run = cli(
      [
        "recall",
        "--group",
        GROUP,
        "--sender",
        senders,
        "--sdk-app-id",
        String(APP_ID),
        "--endpoint",
        faults.url,
        "--max-calls-per-second",
        "20",
        "--no-preflight",
      ],
      { TENCENT_CHAT_SECRET_KEY: SECRET_KEY },
    );
    await vi.waitFor(() => expect(run.output().stdout).toContain('"recalled"'), {
      timeout: 20_000,
      interval: 20,
    });
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(1);
    const { stdout, stderr } = run.output();
    expect(stdout.trim().split("\n")).toHaveLength(100);
    expect(stderr).toMatch(/\d+ of 100 pair\(s\) recalled, \d+ failed, 0 skipped, \d+ not attempted\./);
    // Said once, and named as the first failure; not a line for each pair left.
    expect(stderr.match(/stopped: The run was cancelled\./g)).toHaveLength(1);
    expect(stderr.match(/was not attempted/g)).toHaveLength(1);
  });
});
