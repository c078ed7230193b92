import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { signUserSig } from "../../src/chat/usersig.js";
import { listeningUrl as listening, runCli } from "../support/cli-process.js";

const servers: Server[] = [];
const dirs: string[] = [];

afterEach(async () => {
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const emulatorProcess = (args: string[]) => runCli(["emulator", ...args]);

function seedFile(seed: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "seed-"));
  dirs.push(dir);
  const path = join(dir, "seed.json");
  writeFileSync(path, typeof seed === "string" ? seed : JSON.stringify(seed));
  return path;
}

/** Exits 2 with exactly this message on stderr. */
async function refuses(args: string[], message: string): Promise<void> {
  const run = emulatorProcess(args);
  expect(await run.exit).toBe(2);
  expect(run.output()).toEqual({ stdout: "", stderr: `tencent-chat-recall: ${message}\n` });
}

const APP = { sdkAppId: 1400000001, secretKey: "my-test-key" };

describe("the emulator command", () => {
  it("serves the sample seed, where recalling leckie in @TGS#2C5SZEAEF answers OK and changes history", async () => {
    const run = emulatorProcess(["--seed", "examples/emulator-seed.json"]);
    const url = await listening(run);
    expect(run.output().stdout).toBe(
      `Seeded groups: @TGS#2C5SZEAEF, @TGS#_@TGS#cQVLVHIM62CJ, @TGS#aJRGC4MH6\nChat REST emulator listening on ${url}\n`,
    );
    const sig = signUserSig("my-test-key", {
      identifier: "administrator",
      sdkAppId: 1400000001,
      expire: 600,
    });
    const call = async (command: string, body: unknown) => {
      const query = new URLSearchParams({
        sdkappid: "1400000001",
        identifier: "administrator",
        usersig: sig,
        random: "1",
        contenttype: "json",
      });
      const res = await fetch(`${url}/v4/${command}?${query}`, {
        method: "POST",
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, unknown>;
    };
    const info = await call("group_open_http_svc/get_group_info", {
      GroupIdList: ["@TGS#2C5SZEAEF", "@TGS#_@TGS#cQVLVHIM62CJ", "@TGS#aJRGC4MH6"],
    });
    expect((info.GroupInfo as { Type: string }[]).map((g) => g.Type)).toEqual([
      "Public",
      "Community",
      "AVChatRoom",
    ]);
    const topics = await call("million_group_open_http_svc/get_topic", {
      GroupId: "@TGS#_@TGS#cQVLVHIM62CJ",
    });
    expect(topics.TopicAndSelfInfo).toHaveLength(2);

    const recall = await call("group_open_http_svc/delete_group_msg_by_sender", {
      GroupId: "@TGS#2C5SZEAEF",
      Sender_Account: "leckie",
    });
    expect(recall).toEqual({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" });
    const history = await call("group_open_http_svc/group_msg_get_simple", {
      GroupId: "@TGS#2C5SZEAEF",
      ReqMsgNumber: 20,
    });
    expect((history.RspMsgList as { From_Account: string }[]).map((m) => m.From_Account)).toEqual([
      "carol",
      "bob",
      "alice",
    ]);
  });

  it.each([
    [
      "an SDKAppID with a letter",
      { apps: [{ ...APP, sdkAppId: "140000001x" }] },
      'apps[0].sdkAppId: expected the SDKAppID, a positive integer below 2^32, got "140000001x" (write it as a JSON number, without quotes).',
    ],
    [
      "an SDKAppID given as a string",
      { apps: [{ ...APP, sdkAppId: "1400000001" }] },
      'apps[0].sdkAppId: expected the SDKAppID, a positive integer below 2^32, got "1400000001" (write it as a JSON number, without quotes).',
    ],
    [
      "an SDKAppID of 2^32",
      { apps: [APP], groups: [{ sdkAppId: 4294967296, type: "Public" }] },
      "groups[0].sdkAppId: expected the SDKAppID, a positive integer below 2^32, got 4294967296.",
    ],
    [
      "an unknown group type",
      {
        apps: [APP],
        groups: [
          { sdkAppId: 1400000001, type: "Public" },
          { sdkAppId: 1400000001, type: "Pubic" },
        ],
      },
      'groups[1].type: unknown group type "Pubic"; valid types: Private, Public, ChatRoom, AVChatRoom, Community, Work, Meeting.',
    ],
    [
      "unknown top-level keys",
      { apps: [APP], group: [], extra: 1 },
      'seed: unknown keys "group", "extra"; expected apps, groups, groupBatches.',
    ],
    [
      "an unknown key in a message",
      {
        apps: [APP],
        groups: [{ sdkAppId: 1400000001, type: "Public", messages: [{ from: "a", txt: "b" }] }],
      },
      'groups[0].messages[0]: unknown key "txt"; expected from, text, topic, recalled, deleted, secondsAgo.',
    ],
    [
      "a group of an app it does not declare",
      { apps: [APP], groups: [{ sdkAppId: 1400000002, type: "Public" }] },
      'groups[0].sdkAppId: no app 1400000002; list it in "apps" (or with --app).',
    ],
    [
      "a message in a topic the group lacks",
      {
        apps: [APP],
        groups: [
          { sdkAppId: 1400000001, type: "Community", messages: [{ from: "a", text: "b", topic: "news" }] },
        ],
      },
      /groups\[0\]\.messages\[0\]\.topic: group @TGS#_\w+ has no topic "news"; list it in "topics"\./,
    ],
    [
      "topics in a group that is not a Community",
      { apps: [APP], groups: [{ sdkAppId: 1400000001, groupId: "g", type: "Public", topics: ["news"] }] },
      "groups[0]: group g is not a Community group.",
    ],
    [
      "100,000 nested arrays",
      `{"apps":${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
      "seed: arrays and objects nested more than 32 levels deep; a seed needs at most 5.",
    ],
    [
      "groupBatches that would create more than a million groups",
      {
        apps: [APP],
        groupBatches: [
          { sdkAppId: 1400000001, count: 600_000 },
          { sdkAppId: 1400000001, count: 400_000 },
        ],
      },
      "groupBatches[1].count: the seed would create more than 1000000 apps, groups, topics, messages and accounts in all (groupBatches counts included), the most a seed may.",
    ],
  ])("refuses a seed with %s, naming the file and the entry", async (_name, seed, message) => {
    const path = seedFile(seed);
    const run = emulatorProcess(["--seed", path]);
    expect(await run.exit).toBe(2);
    const { stdout, stderr } = run.output();
    expect(stdout).toBe("");
    if (typeof message === "string") expect(stderr).toBe(`tencent-chat-recall: --seed ${path}: ${message}\n`);
    else expect(stderr).toMatch(new RegExp(`^tencent-chat-recall: --seed ${path}: ${message.source}\\n$`));
  });

  it("refuses a seed file that is not JSON or cannot be read", async () => {
    const path = seedFile("{nope");
    const run = emulatorProcess(["--seed", path]);
    expect(await run.exit).toBe(2);
    expect(run.output().stderr).toMatch(new RegExp(`^tencent-chat-recall: --seed ${path}: not valid JSON: `));
    const missing = emulatorProcess(["--seed", "/nonexistent/seed.json"]);
    expect(await missing.exit).toBe(2);
    expect(missing.output().stderr).toMatch(
      /^tencent-chat-recall: --seed \/nonexistent\/seed.json: could not read the file: /,
    );
  });

  it("says a busy port is in use and suggests --port 0", async () => {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    await refuses(
      ["--app", "1400000001:my-test-key", "--port", String(port)],
      `--port ${port}: port ${port} on 127.0.0.1 is in use; choose another or --port 0 to let the system pick one.`,
    );
  });

  it("takes --request-log, and refuses a value that is not a count", async () => {
    const run = emulatorProcess(["--app", "1400000001:my-test-key", "--request-log", "0"]);
    await listening(run);
    await refuses(
      ["--app", "1400000001:my-test-key", "--request-log", "many"],
      '--request-log: expected a number of requests from 0 to 10000000, got "many".',
    );
  });

  it("refuses an --app SDKAppID at or above 2^32", async () => {
    await refuses(
      ["--app", "4294967296:key"],
      '--app: expected the SDKAppID before the colon, a positive integer below 2^32 such as 1400000001, got "4294967296".',
    );
  });

  it("reports groups generated by groupBatches by number", async () => {
    const path = seedFile({
      apps: [APP],
      groupBatches: [{ sdkAppId: 1400000001, count: 20000, types: ["Public", "Community"] }],
    });
    const run = emulatorProcess(["--seed", path]);
    await listening(run);
    expect(run.output().stdout).toMatch(/^Generated groups: 20000\n/);
  });
});
