import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("../", import.meta.url).pathname;

/** The inputs action.yml declares, with their defaults. */
export function actionDefaults(): Record<string, string> {
  const yml = readFileSync(join(ROOT, "action.yml"), "utf8");
  const inputs = yml.slice(yml.indexOf("\ninputs:"), yml.indexOf("\noutputs:"));
  const defaults: Record<string, string> = {};
  let current: string | undefined;
  for (const line of inputs.split("\n")) {
    const name = /^ {2}([a-z-]+):\s*$/.exec(line);
    if (name) defaults[(current = name[1]!)] = "";
    const value = /^ {4}default:\s*"?([^"]*)"?\s*$/.exec(line);
    if (value && current) defaults[current] = value[1]!;
  }
  return defaults;
}

export interface StepRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Values of `::add-mask::` commands. */
  masks: string[];
  /** Messages of `::error` annotations. */
  errors: string[];
}

/** Reads a GITHUB_OUTPUT file (`name<<delimiter` blocks). */
export function parseOutputsFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!heredoc) continue;
    const end = lines.indexOf(heredoc[2]!, i + 1);
    outputs[heredoc[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return outputs;
}

/**
 * The environment the GitHub runner gives a node action, in `dir`: every input as INPUT_<NAME>
 * (upper-cased, hyphens kept) with action.yml's defaults applied, and empty GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files.
 */
export function stepEnvironment(inputs: Record<string, string>, dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: "true",
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary"),
  };
  writeFileSync(env.GITHUB_OUTPUT!, "");
  writeFileSync(env.GITHUB_STEP_SUMMARY!, "");
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...inputs })) {
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  return env;
}

/** Runs `node dist/index.js` the way the GitHub runner runs a node action. */
export async function runAction(inputs: Record<string, string>, timeoutMs = 60_000): Promise<StepRun> {
  const dir = mkdtempSync(join(tmpdir(), "step-"));
  const env = stepEnvironment(inputs, dir);
  const child = spawn(process.execPath, [join(ROOT, "dist/index.js")], { env, cwd: dir });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputsFile(readFileSync(env.GITHUB_OUTPUT!, "utf8")),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8"),
    masks: [...stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1]!),
    errors: [...stdout.matchAll(/^::error[^:]*::(.*)$/gm)].map((m) => m[1]!),
  };
}

/** Everything the runner shows or keeps of a step, with `::add-mask::` commands (which it hides) left out. */
export function visibleText(run: StepRun): string {
  return [
    run.stdout.replace(/^::add-mask::.*$/gm, ""),
    run.stderr,
    JSON.stringify(run.outputs),
    run.summary,
  ].join("\n");
}
