import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * What `npm run build` (tsc: lib/) and `npm run bundle` (ncc: dist/) are made from: the sources, the
 * compiler settings, the scripts that run them, and the dependencies as the lock file pins them.
 */
export const BUILD_INPUTS = [
  "src",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
];
/** What they make: checked too, so that a build replaced by another (a checkout of dist/) is not taken for fresh. */
export const BUILD_OUTPUTS = ["lib", "dist"];
/** Files whose absence means a build is missing, whatever the stamp says. */
export const BUILD_ENTRY_POINTS = ["lib/cli/main.js", "dist/index.cjs"];
/** Outside the committed tree, and gone with node_modules on a fresh install. */
export const STAMP_PATH = "node_modules/.cache/tencent-chat-recall/build-stamp.json";

export interface BuildStamp {
  inputs: string;
  outputs: string;
}

function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .sort()
    .flatMap((name) => filesUnder(root, join(path, name)));
}

/** A hash of the names and contents of every file at or under `paths`, relative to `root`. */
export function treeHash(root: string, paths: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of paths.flatMap((path) => filesUnder(root, path))) {
    const content = readFileSync(join(root, file));
    hash.update(`${file}\0${content.length}\0`).update(content);
  }
  return hash.digest("hex");
}

export function readStamp(root: string): BuildStamp | undefined {
  try {
    return JSON.parse(readFileSync(join(root, STAMP_PATH), "utf8")) as BuildStamp;
  } catch {
    return undefined;
  }
}

export function writeStamp(root: string, stamp: BuildStamp): void {
  mkdirSync(dirname(join(root, STAMP_PATH)), { recursive: true });
  writeFileSync(join(root, STAMP_PATH), JSON.stringify(stamp));
}

export function removeStamp(root: string): void {
  rmSync(join(root, STAMP_PATH), { force: true });
}

/** Why lib/ and dist/ must be built again, or undefined when they were built from the sources as they are. */
export function staleness(root: string): string | undefined {
  const missing = BUILD_ENTRY_POINTS.filter((file) => !existsSync(join(root, file)));
  if (missing.length > 0) return `${missing.join(" and ")} missing`;
  const stamp = readStamp(root);
  if (!stamp) return "no record of the last build";
  if (stamp.inputs !== treeHash(root, BUILD_INPUTS)) return "the sources changed since the last build";
  if (stamp.outputs !== treeHash(root, BUILD_OUTPUTS)) return "lib/ or dist/ changed since the last build";
  return undefined;
}
