import { spawn } from "node:child_process";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import {
  BUILD_INPUTS,
  BUILD_OUTPUTS,
  removeStamp,
  staleness,
  STAMP_PATH,
  treeHash,
  writeStamp,
} from "./support/build-stamp.js";
import { withDirectoryLock } from "./support/directory-lock.js";

const ROOT = new URL("../", import.meta.url).pathname;

function npmRun(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", script], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run ${script} failed (exit ${code}):\n${output}`)),
    );
  });
}

/**
 * Tests run dist/index.cjs and lib/ as they are: builds both again when what they are made from
 * changed since their stamp was written, or either is missing, so that no test runs a stale build.
 * Another test run of this checkout that is building meanwhile is waited for.
 */
async function buildIfStale(): Promise<void> {
  if (staleness(ROOT) === undefined) return;
  await withDirectoryLock(join(ROOT, `${STAMP_PATH}.lock`), async () => {
    const reason = staleness(ROOT);
    if (reason === undefined) return;
    const started = performance.now();
    console.log(`Building lib/ and dist/ (${reason})...`);
    // Hashed before building: a source edited meanwhile makes the next run build again.
    const inputs = treeHash(ROOT, BUILD_INPUTS);
    removeStamp(ROOT);
    await Promise.all([npmRun("build"), npmRun("bundle")]);
    writeStamp(ROOT, { inputs, outputs: treeHash(ROOT, BUILD_OUTPUTS) });
    console.log(`Built lib/ and dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  });
}

export default async function setup(project: TestProject): Promise<void> {
  await buildIfStale();
  project.onTestsRerun(buildIfStale);
}
