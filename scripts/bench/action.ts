import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ACTION_ENTRY as ACTION, parseOutputsFile, stepEnvironment } from "../support/runner.js";

/** A step that runs longer is killed: no phase needs more. */
const TIME_LIMIT_MS = 300_000;
/** Preloaded into the measured process: writes its peak resident set size (KiB) to fd 3 on exit. */
const REPORT_MAX_RSS =
  "data:text/javascript,import{writeSync}from'node:fs';" +
  "process.on('exit',()=>writeSync(3,String(process.resourceUsage().maxRSS)))";

export interface ActionRun {
  exitCode: number | null;
  /** When the process was started, in ms since the epoch. */
  startedAtEpochMs: number;
  wallMs: number;
  maxRssBytes: number;
  outputs: Record<string, string>;
  resultsFileBytes: number;
  /** `Retrying ...` lines the step logged. */
  retries: number;
}

/**
 * Runs `node dist/index.cjs` as the runner would, measuring its wall time and peak memory. `files`
 * are written to the workspace first.
 */
export async function runAction(
  inputs: Record<string, string>,
  options: { files?: Record<string, string> } = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), "bench-step-"));
  try {
    const env = stepEnvironment(inputs, dir);
    for (const [path, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, path), text);
    // The same clock as the emulator process's times in ms since the epoch.
    const startedAtEpochMs = performance.timeOrigin + performance.now();
    const started = performance.now();
    const child = spawn(process.execPath, [`--import=${REPORT_MAX_RSS}`, ACTION], {
      env,
      stdio: ["ignore", "pipe", "inherit", "pipe"],
    });
    const killer = setTimeout(() => child.kill(), TIME_LIMIT_MS);
    let retries = 0;
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("::debug::Retrying ")) retries++;
    });
    let maxRss = "";
    child.stdio[3]!.on("data", (chunk: Buffer) => (maxRss += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const wallMs = performance.now() - started;
    clearTimeout(killer);
    const outputs = parseOutputsFile(readFileSync(env.GITHUB_OUTPUT!, "utf8"));
    const resultsFile = outputs["results-file"];
    return {
      exitCode,
      startedAtEpochMs,
      wallMs,
      maxRssBytes: Number(maxRss) * 1024,
      outputs,
      resultsFileBytes: resultsFile ? statSync(resultsFile).size : 0,
      retries,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MINIMAL_RECALL = new URL("./minimal-recall.cjs", import.meta.url).pathname;

/**
 * Wall times (ms), taken in turns, of `node -e 0`; of one bare POST with node:http to the same
 * endpoint; of the least a signed recall can do (scripts/bench/minimal-recall.cjs); and of one
 * recall by `node dist/index.cjs`. Each runs with only PATH (and the step's variables), as on a
 * runner: a variable such as NODE_EXTRA_CA_CERTS would add the same cost to all of them.
 */
export function measureColdStart(
  inputs: Record<string, string>,
  repeats: number,
): { bareNodeMs: number[]; barePostMs: number[]; minimalMs: number[]; actionMs: number[] } {
  const dir = mkdtempSync(join(tmpdir(), "bench-cold-"));
  const times = {
    bareNodeMs: [] as number[],
    barePostMs: [] as number[],
    minimalMs: [] as number[],
    actionMs: [] as number[],
  };
  const barePost = "require('node:http').request(process.argv[1],{method:'POST'},(r)=>r.resume()).end('{}')";
  const time = (args: string[], env: NodeJS.ProcessEnv): number => {
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { env, stdio: "ignore", timeout: 30_000 });
    if (run.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${run.status}`);
    return performance.now() - started;
  };
  try {
    const env = stepEnvironment(inputs, dir);
    const minimal = [
      MINIMAL_RECALL,
      inputs.endpoint!,
      inputs["sdk-app-id"]!,
      inputs["secret-key"]!,
      inputs.group!,
      "nobody",
    ];
    for (let i = 0; i < repeats; i++) {
      times.bareNodeMs.push(time(["-e", "0"], { PATH: process.env.PATH }));
      times.barePostMs.push(time(["-e", barePost, `${inputs.endpoint}/v4/`], { PATH: process.env.PATH }));
      times.minimalMs.push(
        time(minimal, { PATH: process.env.PATH, GITHUB_OUTPUT: join(dir, "minimal-output") }),
      );
      times.actionMs.push(time([ACTION], env));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}
