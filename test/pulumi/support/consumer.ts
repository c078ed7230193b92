import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const REPO = resolve(import.meta.dirname, "../../..");
export const PACKAGE = "tencent-chat-recall";

/** A Pulumi program's directory with the packed package installed from the repository, offline. */
export interface Consumer {
  dir: string;
  /** Runs a program file of the consumer with node and returns its stdout. */
  node(file: string, env?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }>;
  remove(): Promise<void>;
}

async function link(dir: string, name: string): Promise<void> {
  const target = join(REPO, "node_modules", name);
  const path = join(dir, "node_modules", name);
  await mkdir(dirname(path), { recursive: true });
  await symlink(target, path, "dir");
}

export async function createConsumer(type: "commonjs" | "module"): Promise<Consumer> {
  if (!existsSync(join(REPO, "lib/pulumi/index.js"))) {
    throw new Error("lib/ is missing: run `npm run build` first (npm test does).");
  }
  const dir = await mkdtemp(join(tmpdir(), "tcr-pulumi-consumer-"));
  const { stdout } = await run(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--silent", "--pack-destination", dir],
    { cwd: REPO },
  );
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  const packageDir = join(dir, "node_modules", PACKAGE);
  await mkdir(packageDir, { recursive: true });
  await run("tar", ["-xzf", join(dir, filename), "-C", packageDir, "--strip-components=1"]);
  await rm(join(dir, filename));

  const manifest = JSON.parse(await readFile(join(packageDir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  for (const name of [...Object.keys(manifest.dependencies ?? {}), "@pulumi/pulumi"]) await link(dir, name);
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({ name: "consumer", version: "1.0.0", type, dependencies: { [PACKAGE]: "*" } }, null, 2),
  );

  return {
    dir,
    node: (file, env = {}) =>
      run(process.execPath, [file], { cwd: dir, env: { ...process.env, ...env }, timeout: 60_000 }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
