import { execFileSync } from "node:child_process";
import { copyFile, readFile, readlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySeed, parseSeed, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { runAct, standIn } from "./support/act.js";
import { tail } from "./support/pulumi.js";
import { ensureDir, REPO, run, scratch } from "./support/tools.js";

/*
 * The repository's workflows run by nektos/act v0.2.87 (built from source) in host mode: act parses
 * the workflow files and action.yml as the runner does and runs the Action with node (runs.using:
 * node24). actions/checkout without repository/ref copies the working tree; the other remote actions
 * are stood in by local no-op actions (--local-repository).
 */

/** The process listening on a TCP port of 127.0.0.1, if any (the emulator a workflow step left). */
function listener(port: number): number | undefined {
  let out = "";
  try {
    out = execFileSync("ss", ["-Hltnp", `sport = :${port}`], { encoding: "utf8" });
  } catch {
    return undefined;
  }
  const match = /pid=(\d+)/.exec(out);
  return match ? Number(match[1]) : undefined;
}

describe(".github/workflows/ci.yml, job self-test, under act", () => {
  let root: { dir: string; remove: () => Promise<void> };

  beforeAll(async () => {
    root = await scratch("tcr-hosts-act-ci-");
    // The self-test starts the emulator on port 8080, as on GitHub's runner.
    const busy = listener(8080);
    if (busy !== undefined) throw new Error(`port 8080 is taken (pid ${busy}): the self-test job needs it`);
  });

  afterAll(async () => {
    // The step started the emulator in the background; end it by its id, if it is ours.
    const pid = listener(8080);
    if (pid !== undefined) {
      const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => "");
      if (cwd.startsWith(root.dir)) process.kill(pid, "SIGTERM");
    }
    await root?.remove();
  });

  it("recalls with the Action from the checkout (uses: ./), and the missing group fails with 10010", async () => {
    const stubs = await ensureDir(join(root.dir, "stand-ins"));
    const result = await runAct({
      root: root.dir,
      cwd: REPO,
      workflow: ".github/workflows/ci.yml",
      event: "push",
      job: "self-test",
      localRepositories: { "actions/setup-node@v4": await standIn(stubs, "setup-node") },
    });
    const log = result.log;
    expect(result.code, tail(log)).toBe(0);
    expect(log).toMatch(/🏁\s+Job succeeded/);
    expect(log).toMatch(/stand-in setup-node: .*node-version=20/);
    // The recall step succeeded and the next step read its outputs (it fails otherwise).
    expect(log).toMatch(/✅\s+Success - Main \.\/ /);
    expect(log).toContain("::set-output:: action-status=OK");
    expect(log).toMatch(/✅\s+Success - Main Check the outputs/);
    // The missing group: the step failed (continue-on-error) with an error annotation naming 10010,
    // and the check that reads its outcome and error-code output passed.
    expect(log).toMatch(/❌\s+Failure - Main A group that does not exist \(expected to fail\)/);
    expect(log).toMatch(
      /❗\s+::error title=Tencent Cloud Chat recall failed::.*ErrorCode 10010 \(the group does not exist or was dismissed\)/,
    );
    expect(log).toContain("::set-output:: error-code=10010");
    expect(log).toMatch(/✅\s+Success - Main Check the failure/);
    // The Action masks the key (it is a literal in this workflow, as the emulator's test key).
    expect(log).not.toContain("my-test-key");
  }, 600_000);
});

describe("examples/workflows/scheduled-cleanup.yml with the sample lists, under act", () => {
  const APP_ID = 1400000001;
  const SECRET_KEY = "hosts-act-secret-4c81d2";
  let emulator: Emulator;
  let root: { dir: string; remove: () => Promise<void> };
  let workspace: string;

  beforeAll(async () => {
    const seed = parseSeed(JSON.parse(await readFile(join(REPO, "examples/emulator-seed.json"), "utf8")));
    emulator = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }] });
    applySeed(emulator.state, { ...seed, apps: [] });
    // The sample lists name a "support" group and a second spammer account the seed lacks.
    emulator.state.createGroup(APP_ID, { type: "Public", groupId: "@TGS#1NVTZEAE4", name: "support" });
    emulator.state.importAccount(APP_ID, "spammer-4711");
    emulator.state.sendMessage(APP_ID, "@TGS#1NVTZEAE4", "spammer-4711", "same links");
    emulator.state.sendMessage(APP_ID, "@TGS#1NVTZEAE4", "alice", "hi");

    root = await scratch("tcr-hosts-act-cleanup-");
    // A repository as the workflow's header says: the workflow, and the sample lists in moderation/.
    workspace = await ensureDir(join(root.dir, "repo"));
    await ensureDir(join(workspace, ".github/workflows"));
    await ensureDir(join(workspace, "moderation"));
    for (const name of ["groups.txt", "blocked-senders.txt"]) {
      await copyFile(join(REPO, "examples/moderation", name), join(workspace, "moderation", name));
    }
    const original = await readFile(join(REPO, "examples/workflows/scheduled-cleanup.yml"), "utf8");
    // The one change for the test: the Action's endpoint pointed at the emulator.
    const pointed = original.replace(
      "          region: frankfurt\n",
      `          region: frankfurt\n          endpoint: ${emulator.url}\n`,
    );
    expect(pointed).not.toBe(original);
    await writeFile(join(workspace, ".github/workflows/scheduled-cleanup.yml"), pointed);
    await run("git", ["init", "-q", "-b", "main"], { cwd: workspace });
    await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", "."], {
      cwd: workspace,
    });
    await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "lists"], {
      cwd: workspace,
    });
  }, 120_000);

  afterAll(async () => {
    await emulator?.close();
    await root?.remove();
  });

  it("the nightly run recalls every blocked sender in every listed group; the upload step reads results-file", async () => {
    const stubs = await ensureDir(join(root.dir, "stand-ins"));
    // The published Action as `uses: owner/tencent-chat-recall@v1` gets it: action.yml and dist/.
    const published = await ensureDir(join(root.dir, "published"));
    await copyFile(join(REPO, "action.yml"), join(published, "action.yml"));
    await ensureDir(join(published, "dist"));
    await copyFile(join(REPO, "dist/index.cjs"), join(published, "dist/index.cjs"));
    const upload = await standIn(
      stubs,
      "upload-artifact",
      `const fs = require("node:fs");
if (!fs.existsSync(process.env.INPUT_PATH)) { console.log("::error::no results file at " + process.env.INPUT_PATH); process.exit(1); }
console.log("stand-in upload-artifact: results file of " + fs.statSync(process.env.INPUT_PATH).size + " bytes");`,
    );
    const result = await runAct({
      root: root.dir,
      cwd: workspace,
      workflow: ".github/workflows/scheduled-cleanup.yml",
      event: "schedule",
      localRepositories: {
        "owner/tencent-chat-recall@v1": published,
        "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f": upload,
      },
      secrets: { TENCENT_CHAT_SECRET_KEY: SECRET_KEY },
      vars: { TENCENT_CHAT_SDK_APP_ID: String(APP_ID) },
    });
    const log = result.log;
    expect(result.code, tail(log)).toBe(0);
    expect(log).toMatch(/🏁\s+Job succeeded/);
    expect(log).toMatch(/✅\s+Success - Main owner\/tencent-chat-recall@v1/);
    expect(log).toMatch(/stand-in upload-artifact: .*name=recall-results-1/);
    expect(log).toMatch(/stand-in upload-artifact: results file of \d+ bytes/);
    expect(log).not.toContain(SECRET_KEY);

    const recalled = (groupId: string) =>
      emulator.state
        .history(APP_ID, groupId)
        .filter((m) => m.recalled)
        .map((m) => m.from);
    expect(recalled("@TGS#2C5SZEAEF")).toEqual(["leckie", "leckie", "leckie"]);
    expect(recalled("@TGS#1NVTZEAE4")).toEqual(["spammer-4711"]);
  }, 600_000);
});
