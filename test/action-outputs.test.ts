import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ACTION_ENTRY, stepEnvironment } from "../scripts/support/runner.js";
import type { Emulator } from "../src/emulator/index.js";
import { logLine } from "../src/action/runner.js";
import { runAction } from "./support/github-runner.js";
import { APP_ID, appInputs, emulatorWithGroup, recalledSenders } from "./support/emulator.js";
import { parseWorkflowCommands } from "./support/workflow-commands.js";

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/**
 * Runs the built Action as the runner does, with GITHUB_OUTPUT naming a directory (which runStep
 * could not read back), and reads what it wrote before its directory is removed.
 */
async function runWithOutputDirectory(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "step-outputs-"));
  try {
    const env = stepEnvironment(inputs, dir);
    env.GITHUB_OUTPUT = join(dir, "output-directory");
    mkdirSync(env.GITHUB_OUTPUT);
    const child = spawn(process.execPath, [ACTION_ENTRY], { env, cwd: dir });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stdout += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearTimeout(timer);
    const parsed = parseWorkflowCommands(stdout);
    const errors = parsed.commands.filter((c) => c.command === "error").map((c) => c.data);
    const resultsFile = /results are in (\S+?\.jsonl)/.exec(errors.join("\n"))?.[1];
    return {
      exitCode,
      errors,
      lines: parsed.lines,
      summary: readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8"),
      dir,
      resultsFile,
      results:
        resultsFile && existsSync(resultsFile)
          ? readFileSync(resultsFile, "utf8").split("\n").filter(Boolean)
          : [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("outputs that cannot be written", () => {
  it("says the recall was done, that its outputs were not written and where the results are; the step fails", async () => {
    let groupId: string;
    ({ emulator, groupId } = await emulatorWithGroup());
    const run = await runWithOutputDirectory(appInputs(emulator.url, { group: groupId }));

    // The recall happened.
    expect(recalledSenders(emulator, groupId)).toEqual(["mallory", "mallory"]);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^The recall ended: 1 of 1 pair\(s\) recalled, 0 failed, 0 skipped, 0 not attempted\. But its outputs could not be written to GITHUB_OUTPUT \(.*output-directory\): /,
    );
    expect(run.errors[0]).not.toContain("Unexpected failure");
    expect(run.resultsFile?.startsWith(run.dir)).toBe(true);
    expect(run.results.map((line) => JSON.parse(line).outcome)).toEqual(["recalled"]);
    expect(run.summary).toContain("1 of 1 pair(s) recalled");
    expect(run.summary).toContain("The step's outputs could not be written");
  });
});

describe("plain log lines", () => {
  it("show % as it is", async () => {
    ({ emulator } = await emulatorWithGroup());
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public", groupId: "50%off" });
    emulator.state.sendMessage(APP_ID, groupId, "mallory", "buy");
    const run = await runAction(appInputs(emulator.url, { group: groupId }));

    expect(run.exitCode).toBe(0);
    expect(run.lines).toContain("OK   sender mallory in group 50%off (1 attempt(s))");
  });

  it.each([
    ["50% off", "50% off"],
    ["%25 and %0A stay", "%25 and %0A stay"],
    ["a\r\nb", "a%0D%0Ab"],
    ["::error::50%", "%3A:error::50%"],
    ["x ##[error]50%", "x ##%5Berror]50%"],
  ])("%j is shown as %j", (text, line) => {
    expect(logLine(text)).toBe(line);
    const parsed = parseWorkflowCommands(logLine(text));
    expect(parsed.commands).toEqual([]);
    expect(parsed.lines).toEqual([line]);
  });

  it.each(["%0A::error::x", "\u2028::error::x", " \u00a0\u0085::warning::%", "##%5B", "a%0D##[error]x"])(
    "%j never becomes a command",
    (text) => {
      const parsed = parseWorkflowCommands(logLine(text));
      expect(parsed.commands).toEqual([]);
      expect(parsed.lines).toHaveLength(1);
    },
  );
});
