import { spawn, type ChildProcess } from "node:child_process";
import { afterEach } from "vitest";

const CLI = new URL("../../lib/cli/main.js", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;
const children: ChildProcess[] = [];

afterEach(() => {
  children.splice(0).forEach((c) => c.kill("SIGTERM"));
});

export interface CliRun {
  child: ChildProcess;
  /** The exit status, once the process has closed its output. */
  exit: Promise<number | null>;
  output(): { stdout: string; stderr: string };
}

/** Runs the built command line from the repository root with only PATH and `env`; killed after the test. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, exit, output: () => ({ stdout, stderr }) };
}

/** The URL an emulator command listens on, once it says so; fails if it exits first. */
export function listeningUrl(run: CliRun): Promise<string> {
  return new Promise((resolve, reject) => {
    const look = (): void => {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(run.output().stdout)?.[1];
      if (!url) return;
      run.child.stdout!.off("data", look);
      resolve(url);
    };
    run.child.stdout!.on("data", look);
    void run.exit.then(() => reject(new Error(`emulator did not start: ${run.output().stderr}`)));
    look();
  });
}
