import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";

export const REPO = resolve(import.meta.dirname, "../../..");
export const BIN = join(REPO, ".tools/bin");
export const run = promisify(execFile);

/** A host binary: .tools/bin/NAME, else NAME on PATH (checked by tools-setup.ts). */
export function tool(name: string): string {
  return existsSync(join(BIN, name)) ? join(BIN, name) : name;
}

/** PATH for the hosts: the built tools, the node running the tests, and the system's own. */
export function hostPath(): string {
  return [BIN, dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(":");
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with exactly `env` (nothing inherited) and collects what it printed. */
export function spawnCollect(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; input?: string | undefined },
): Promise<Finished> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** A temporary folder, removed by `remove`. */
export async function scratch(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Every regular file under `dir` (symlinks not followed: node_modules links stay out). */
export async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(path: string): Promise<void> {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === "node_modules") continue;
        await walk(full);
      } else if (entry.isFile()) found.push(full);
    }
  }
  if (existsSync(dir)) await walk(dir);
  return found;
}

/** The files under `dirs` whose bytes contain `needle`. */
export async function filesContaining(dirs: readonly string[], needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const dir of dirs) {
    for (const file of await filesUnder(dir)) {
      if ((await stat(file)).size > 64 * 1024 * 1024) continue;
      if ((await readFile(file)).includes(needle)) hits.push(file);
    }
  }
  return hits;
}

export async function ensureDir(path: string): Promise<string> {
  await mkdir(path, { recursive: true });
  return path;
}
