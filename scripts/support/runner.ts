import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const ROOT = new URL("../../", import.meta.url).pathname;
/** The built Action, as action.yml names it for the runner. */
export const ACTION_ENTRY = join(ROOT, "dist/index.cjs");

/** The inputs action.yml declares, with their defaults. */
function actionDefaults(): Record<string, string> {
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
    GITHUB_WORKSPACE: dir,
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

export interface StepOptions {
  timeoutMs?: number;
  /** Changes to the step's environment; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** Files to put in the workspace first, by path relative to it. */
  files?: Record<string, string>;
  /** Signals to send, each after a delay or once stdout shows a text, as the runner does on cancellation. */
  signals?: { signal: NodeJS.Signals; afterMs?: number; onOutput?: string }[];
}

export interface StepResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The results file's lines, read before the step's temporary directory was removed. */
  resultsFile: string[];
  /** The archive file's lines, likewise. */
  archiveFile: string[];
}

/** Runs `node dist/index.cjs` the way the GitHub runner runs a node action, in a temporary directory it removes. */
export async function runStep(
  inputs: Record<string, string>,
  options: StepOptions = {},
): Promise<StepResult> {
  const dir = mkdtempSync(join(tmpdir(), "step-"));
  try {
    const env = { ...stepEnvironment(inputs, dir), ...options.env };
    for (const [path, text] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
    const child = spawn(process.execPath, [ACTION_ENTRY], { env, cwd: dir });
    let stdout = "";
    let stderr = "";
    // First, so that a watcher below sees the chunk that has just arrived.
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timers = (options.signals ?? []).flatMap(({ signal, afterMs, onOutput }) => {
      if (onOutput === undefined) return [setTimeout(() => child.kill(signal), afterMs ?? 0)];
      const watch = (): void => {
        if (!stdout.includes(onOutput)) return;
        child.stdout.off("data", watch);
        setTimeout(() => child.kill(signal), afterMs ?? 0);
      };
      child.stdout.on("data", watch);
      return [];
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearTimeout(timer);
    timers.forEach(clearTimeout);
    const outputs = parseOutputsFile(readFileSync(env.GITHUB_OUTPUT!, "utf8"));
    const lines = (path: string | undefined) =>
      path && existsSync(path) && statSync(path).isFile()
        ? readFileSync(path, "utf8").split("\n").filter(Boolean)
        : [];
    return {
      exitCode,
      stdout,
      stderr,
      outputs,
      summary: readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8"),
      resultsFile: lines(outputs["results-file"]),
      archiveFile: lines(outputs["archive-file"]),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
