import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

const RETRY_MS = 200;
/** A lock without its owner's pid this long after it was made was left by a process that died making it. */
const OWNERLESS_MS = 10_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isAbandoned(path: string): boolean {
  try {
    return !isAlive(Number(readFileSync(join(path, "pid"), "utf8")));
  } catch {
    try {
      return Date.now() - statSync(path).mtimeMs > OWNERLESS_MS;
    } catch {
      return false;
    }
  }
}

/**
 * Runs `work` holding the lock directory `path`, after any other process of this machine that holds
 * it; a lock whose process has ended is taken over.
 */
export async function withDirectoryLock<T>(
  path: string,
  work: () => Promise<T>,
  timeoutMs = 600_000,
): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (isAbandoned(path)) rmSync(path, { recursive: true, force: true });
    else if (Date.now() > giveUpAt) throw new Error(`${path} is still held by another process`);
    else await delay(RETRY_MS);
  }
  try {
    writeFileSync(join(path, "pid"), String(process.pid));
    return await work();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}
