import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ChatClient } from "../src/chat/client.js";
import { signUserSig } from "../src/chat/usersig.js";
import { APP_ID, SECRET_KEY } from "./support/emulator.js";

const CLI = new URL("../lib/cli/main.js", import.meta.url).pathname;
const children: ChildProcess[] = [];

afterEach(() => {
  children.splice(0).forEach((c) => c.kill("SIGTERM"));
});

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env } });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, exit, output: () => ({ stdout, stderr }) };
}

async function startEmulatorProcess(): Promise<string> {
  const seed = join(mkdtempSync(join(tmpdir(), "seed-")), "seed.json");
  writeFileSync(
    seed,
    JSON.stringify({
      apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }],
      groups: [
        {
          sdkAppId: APP_ID,
          groupId: "@TGS#DEMO",
          type: "Public",
          messages: [
            { from: "alice", text: "hello" },
            { from: "mallory", text: "spam" },
          ],
        },
      ],
    }),
  );
  const emulator = cli(["emulator", "--seed", seed]);
  for (let i = 0; i < 600; i++) {
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(emulator.output().stdout)?.[1];
    if (url) return url;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`emulator did not start: ${emulator.output().stderr}`);
}

async function history(endpoint: string) {
  const client = new ChatClient({
    sdkAppId: APP_ID,
    identifier: "administrator",
    auth: { secretKey: SECRET_KEY },
    region: "china",
    endpoint,
    maxAttempts: 1,
    requestTimeoutMs: 2000,
    maxCallsPerSecond: 200,
  });
  const { response } = await client.call("group_open_http_svc/group_msg_get_simple", {
    GroupId: "@TGS#DEMO",
    ReqMsgNumber: 20,
    WithRecalledMsg: 1,
  });
  client.close();
  return (response.RspMsgList as { From_Account: string; IsPlaceMsg: number }[]).map((m) => [
    m.From_Account,
    m.IsPlaceMsg === 2 ? "recalled" : "kept",
  ]);
}

function recall(group: string, endpoint: string, more: string[] = [], secretKey = SECRET_KEY) {
  const args = [
    "--group",
    group,
    "--sender",
    "mallory",
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
    const run = recall("@TGS#DEMO", endpoint);
    expect(await run.exit).toBe(0);
    const { stdout, stderr } = run.output();
    expect(JSON.parse(stdout)).toMatchObject({
      group: "@TGS#DEMO",
      sender: "mallory",
      actionStatus: "OK",
      errorCode: 0,
    });
    expect(stderr).toContain("1 recalled, 0 failed, 0 skipped, 0 not attempted, of 1");
    expect(stdout + stderr).not.toContain(SECRET_KEY);
    expect(await history(endpoint)).toEqual([
      ["mallory", "recalled"],
      ["alice", "kept"],
    ]);
  });

  it("takes a --user-sig flag over TENCENT_CHAT_SECRET_KEY in the environment", async () => {
    const endpoint = await startEmulatorProcess();
    const userSig = signUserSig(SECRET_KEY, { identifier: "administrator", sdkAppId: APP_ID, expire: 600 });
    const run = recall("@TGS#DEMO", endpoint, ["--user-sig", userSig], "a-wrong-key");
    expect(await run.exit).toBe(0);
    expect(await history(endpoint)).toEqual([
      ["mallory", "recalled"],
      ["alice", "kept"],
    ]);
  });

  it("exits 1 and names the failure when a call fails", async () => {
    const endpoint = await startEmulatorProcess();
    const run = recall("@TGS#GONE", endpoint);
    expect(await run.exit).toBe(1);
    expect(run.output().stderr).toContain("ErrorCode 10010 (the group does not exist or was dismissed)");
  });

  it("exits 2 with the flag and the fix on bad input", async () => {
    const run = cli(["recall", "--group", "@TGS#DEMO", "--sender", "mallory", "--sdk-app-id", "1400000001"]);
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
});
