/**
 * examples/pulumi/package-lock.json, derived from the repository's package-lock.json: the example's
 * dependencies (and those of tencent-chat-recall itself) at the versions the repository uses, so
 * that everything `npm install` fetches for the example is in npm's cache after `npm ci`, and the
 * example installs offline.
 *
 * Run it to rewrite the example's lockfile when the repository's changed:
 *   npx tsx test/pulumi/support/example-lock.ts
 * It writes the packages and lets npm complete and normalize the file
 * (`npm install --package-lock-only --offline --ignore-scripts`: no node_modules, no build).
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const REPO = resolve(import.meta.dirname, "../../..");
export const EXAMPLE_DIR = join(REPO, "examples/pulumi");

interface LockEntry {
  version?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

export interface Lockfile {
  name?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: Record<string, string>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

/** Where Node finds `name` from the package at `from` (a lockfile path such as node_modules/a). */
function locate(packages: Lockfile["packages"], from: string, name: string): string | undefined {
  for (let base = from; ;) {
    const path = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (packages[path]) return path;
    if (!base) return undefined;
    const at = base.lastIndexOf("/node_modules/");
    base = at < 0 ? "" : base.slice(0, at);
  }
}

/** The example's lockfile as derived from the repository's (npm completes and normalizes it). */
export function exampleLock(): Lockfile {
  const repoLock = readJson<Lockfile>(join(REPO, "package-lock.json"));
  const repoManifest = readJson<Manifest>(join(REPO, "package.json"));
  const example = readJson<Manifest>(join(EXAMPLE_DIR, "package.json"));
  const from = repoLock.packages;

  // Each package the example needs, and whether only development dependencies lead to it.
  const needed = new Map<string, { dev: boolean }>();
  const visit = (path: string, dev: boolean): void => {
    const seen = needed.get(path);
    if (seen && (!seen.dev || dev)) return;
    needed.set(path, { dev });
    const entry = from[path]!;
    const required = Object.keys(entry.peerDependencies ?? {}).filter(
      (name) => !entry.peerDependenciesMeta?.[name]?.optional,
    );
    const optional = Object.keys(entry.optionalDependencies ?? {});
    for (const name of [...Object.keys(entry.dependencies ?? {}), ...required, ...optional]) {
      const found = locate(from, path, name);
      if (found) visit(found, dev);
      else if (!optional.includes(name)) throw new Error(`${path} needs ${name}, not in package-lock.json`);
    }
  };
  const roots: [names: Record<string, string> | undefined, dev: boolean][] = [
    [example.dependencies, false],
    [repoManifest.dependencies, false],
    [example.devDependencies, true],
  ];
  for (const [names, dev] of roots) {
    for (const name of Object.keys(names ?? {})) {
      if (name === repoManifest.name) continue;
      if (!from[`node_modules/${name}`]) throw new Error(`${name} is not in package-lock.json`);
      visit(`node_modules/${name}`, dev);
    }
  }

  const packages: Lockfile["packages"] = {
    "": {
      name: example.name,
      ...(example.dependencies ? { dependencies: example.dependencies } : {}),
      ...(example.devDependencies ? { devDependencies: example.devDependencies } : {}),
      ...(example.engines ? { engines: example.engines } : {}),
    },
  };
  for (const path of [...needed.keys()].sort()) {
    // npm sets the flags again (dev, optional, devOptional, peer) when it completes the file.
    const entry: LockEntry = { ...from[path]! };
    for (const flag of ["dev", "devOptional", "peer"] as const) delete entry[flag];
    packages[path] = { ...entry, ...(needed.get(path)!.dev ? { dev: true } : {}) };
  }
  return { name: example.name, lockfileVersion: 3, requires: true, packages };
}

/** Each package path with its version and integrity, the package itself left out (npm adds it). */
export function pinned(lock: Lockfile, self: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(lock.packages)
      .filter(([path]) => path !== "" && path !== `node_modules/${self}`)
      .map(([path, entry]) => [path, `${entry.version ?? "?"} ${entry.integrity ?? ""}`.trim()]),
  );
}

async function main(): Promise<void> {
  writeFileSync(join(EXAMPLE_DIR, "package-lock.json"), JSON.stringify(exampleLock(), null, 2) + "\n");
  await promisify(execFile)(
    "npm",
    ["install", "--package-lock-only", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"],
    { cwd: EXAMPLE_DIR },
  );
  process.stdout.write(`Wrote ${join(EXAMPLE_DIR, "package-lock.json")}.\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
