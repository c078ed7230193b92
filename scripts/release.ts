/**
 * Cuts a release: `npm run release -- X.Y.Z`.
 *
 * Refuses unless X.Y.Z is a semantic version (MAJOR.MINOR.PATCH) not below the current one and not
 * tagged yet, the work tree is clean, and dist/ is exactly what the bundle command builds. Then it
 * sets the version in package.json (and package-lock.json), commits "Release X.Y.Z", tags vX.Y.Z
 * (annotated) and moves the major tag vX to that commit. It pushes nothing: it prints the commands.
 *
 * Options: --root DIR (the repository; default: the current directory) and --bundle-command CMD
 * (default: $RELEASE_BUNDLE_COMMAND, else `npm run bundle`).
 */
import { execFileSync, execSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/** A reason not to release: reported as its message alone. */
export class ReleaseRefused extends Error {
  override readonly name = "ReleaseRefused";
}

export interface ReleaseOptions {
  version: string;
  root?: string;
  bundleCommand?: string;
  log?: (line: string) => void;
}

export interface Release {
  tag: string;
  majorTag: string;
  commit: string;
  pushCommands: string[];
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

function parts(version: string): number[] | undefined {
  return SEMVER.exec(version)?.slice(1).map(Number);
}

function setVersion(path: string, version: string, lockfile: boolean): void {
  if (!existsSync(path)) return;
  const manifest = JSON.parse(readFileSync(path, "utf8")) as {
    version?: string;
    packages?: Record<string, { version?: string }>;
  };
  manifest.version = version;
  const root = manifest.packages?.[""];
  if (lockfile && root) root.version = version;
  writeFileSync(path, JSON.stringify(manifest, null, 2) + "\n");
}

export function release(options: ReleaseOptions): Release {
  const { version } = options;
  const root = resolve(options.root ?? ".");
  const bundleCommand = options.bundleCommand ?? process.env.RELEASE_BUNDLE_COMMAND ?? "npm run bundle";
  const log = options.log ?? ((line: string) => process.stdout.write(line + "\n"));
  const git = (...args: string[]): string =>
    execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();

  const next = parts(version);
  if (!next) {
    throw new ReleaseRefused(
      `version: expected MAJOR.MINOR.PATCH, e.g. 1.2.0, got ${JSON.stringify(version)}.`,
    );
  }
  const tag = `v${version}`;
  const majorTag = `v${next[0]}`;
  const packagePath = join(root, "package.json");
  const current = (JSON.parse(readFileSync(packagePath, "utf8")) as { version?: string }).version ?? "0.0.0";
  const now = parts(current) ?? [0, 0, 0];
  const order = next.map((n, i) => n - (now[i] ?? 0)).find((d) => d !== 0) ?? 0;
  if (order < 0) throw new ReleaseRefused(`version: ${version} is below the current ${current}.`);
  if (git("tag", "--list", tag) !== "") throw new ReleaseRefused(`${tag} is tagged already.`);

  const dirty = git("status", "--porcelain");
  if (dirty !== "") {
    throw new ReleaseRefused(`the work tree is not clean; commit or stash first:\n${dirty}`);
  }
  log(`Rebuilding dist/ (${bundleCommand}) to check it is up to date...`);
  try {
    execSync(bundleCommand, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new ReleaseRefused(`${bundleCommand} failed${stderr ? `:\n${stderr}` : "."}`);
  }
  const stale = git("status", "--porcelain", "--", "dist");
  if (stale !== "") {
    throw new ReleaseRefused(
      `dist/ is not what ${bundleCommand} builds from src/; commit the rebuilt dist/ first:\n${stale}`,
    );
  }

  if (version !== current) {
    setVersion(packagePath, version, false);
    setVersion(join(root, "package-lock.json"), version, true);
    git("add", "package.json", ...(existsSync(join(root, "package-lock.json")) ? ["package-lock.json"] : []));
    git("commit", "--quiet", "-m", `Release ${version}`);
  }
  git("tag", "--annotate", tag, "-m", `Release ${version}`);
  git("tag", "--force", majorTag);
  const commit = git("rev-parse", "HEAD");

  const pushCommands = ["git push origin HEAD", `git push origin ${tag} && git push -f origin ${majorTag}`];
  log(`Tagged ${tag} and moved ${majorTag} to ${commit.slice(0, 12)}. Nothing is pushed; to publish:`);
  for (const command of pushCommands) log(`  ${command}`);
  return { tag, majorTag, commit, pushCommands };
}

function main(): number {
  const { values, positionals } = parseArgs({
    options: { root: { type: "string" }, "bundle-command": { type: "string" } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    process.stderr.write("Usage: npm run release -- X.Y.Z [--root DIR] [--bundle-command CMD]\n");
    return 2;
  }
  try {
    release({
      version: positionals[0] as string,
      ...(values.root ? { root: values.root } : {}),
      ...(values["bundle-command"] ? { bundleCommand: values["bundle-command"] } : {}),
    });
    return 0;
  } catch (error) {
    process.stderr.write(`release: ${(error as Error).message}\n`);
    return error instanceof ReleaseRefused ? 2 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main();
}
