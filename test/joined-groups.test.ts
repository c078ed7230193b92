import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/emulator/index.js";
import { JOINED_GROUPS_COMMAND, LIST_GROUPS_COMMAND } from "../src/recall/listing.js";
import { runCli } from "./support/cli-process.js";
import { APP_ID, appInputs, SECRET_KEY } from "./support/emulator.js";
import { runAction } from "./support/github-runner.js";

let emulator: Emulator;
let lobby: string;
let community: string;
let topic: string;

/**
 * mallory posted in a Public group, a Private group, a Community topic and an AVChatRoom; eve only
 * in the Private group; a listed Public group where mallory posted before she left (no longer a member).
 */
beforeEach(async () => {
  emulator = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }] });
  const { state } = emulator;
  state.createGroup(APP_ID, { type: "Public", groupId: "PUBLIC" });
  state.createGroup(APP_ID, { type: "Private", groupId: "PRIVATE" });
  community = state.createGroup(APP_ID, { type: "Community", groupId: "@TGS#_COMMUNITY" });
  topic = state.createTopic(APP_ID, community, "news");
  state.createGroup(APP_ID, { type: "AVChatRoom", groupId: "LIVE" });
  lobby = state.createGroup(APP_ID, { type: "Public", groupId: "LOBBY" });
  state.sendMessage(APP_ID, "PUBLIC", "mallory", "spam");
  state.sendMessage(APP_ID, "PRIVATE", "mallory", "spam");
  state.sendMessage(APP_ID, "PRIVATE", "eve", "spam");
  state.sendMessage(APP_ID, community, "mallory", "spam", topic);
  state.sendMessage(APP_ID, "LIVE", "mallory", "spam");
  state.sendMessage(APP_ID, lobby, "someone", "hello");
  state.importAccount(APP_ID, "mallory");
});

afterEach(() => emulator.close());

const inputs = (more: Record<string, string>) => appInputs(emulator.url, more);
const pairs = (run: { outputs: Record<string, string> }) =>
  (
    JSON.parse(run.outputs.results!) as {
      group: string;
      topic: string | null;
      sender: string;
      outcome: string;
    }[]
  )
    .map((r) => `${r.topic ?? r.group} ${r.sender} ${r.outcome}`)
    .sort();

describe("joined-groups", () => {
  it("recalls each sender in the groups it is a member of, and in the listed ones, never an AVChatRoom", async () => {
    const run = await runAction(inputs({ sender: "mallory\neve", group: lobby, "joined-groups": "true" }));
    expect(run.exitCode).toBe(0);
    expect(pairs(run)).toEqual([
      "@TGS#_COMMUNITY mallory recalled",
      "LOBBY eve recalled",
      "LOBBY mallory recalled",
      "PRIVATE eve recalled",
      "PRIVATE mallory recalled",
      "PUBLIC mallory recalled",
    ]);
    expect(emulator.requests.filter((r) => r.command === LIST_GROUPS_COMMAND)).toEqual([]);
    expect(emulator.requests.filter((r) => r.command === JOINED_GROUPS_COMMAND).length).toBe(8);
    expect(run.lines).toContain("Found 3 group(s) the senders are members of, besides the listed ones.");
  });

  it("takes exclude-group, group-type and every topic, with no group listed", async () => {
    const run = await runAction(
      inputs({
        sender: "mallory",
        "joined-groups": "true",
        "exclude-group": "PRIVATE",
        "group-type": "Public, Community",
        topic: "*",
      }),
    );
    expect(run.exitCode).toBe(0);
    expect(pairs(run)).toEqual([`${topic} mallory recalled`, "PUBLIC mallory recalled"]);
  });

  it("refuses, before any recall, a sender that is not an account when only its memberships would find groups", async () => {
    emulator.state.deleteAccount(APP_ID, "eve");
    const run = await runAction(inputs({ sender: "mallory\neve", "joined-groups": "true" }));
    expect(run.exitCode).toBe(1);
    expect(run.errors.join("\n")).toContain('"eve" is not an account of this app (never made, or deleted)');
    expect(emulator.requests.filter((r) => r.command === JOINED_GROUPS_COMMAND)).toEqual([]);
    expect(JSON.parse(run.outputs.results!)).toEqual([]);
  });

  it("is a flag of the command line", async () => {
    const run = runCli(
      [
        "recall",
        "--sender",
        "eve",
        "--joined-groups",
        "--sdk-app-id",
        String(APP_ID),
        "--endpoint",
        emulator.url,
      ],
      { TENCENT_CHAT_SECRET_KEY: SECRET_KEY },
    );
    expect(await run.exit).toBe(0);
    expect(JSON.parse(run.output().stdout)).toMatchObject({
      group: "PRIVATE",
      sender: "eve",
      outcome: "recalled",
    });
  });
});
