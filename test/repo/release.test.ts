import { execFile, execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { release, ReleaseRefused } from "../../scripts/release.js";

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, "../..");

/** Rewrites dist/index.cjs with what is committed: the bundle is up to date. */
const BUNDLE_SAME = `node -e "require('fs').writeFileSync('dist/index.cjs', 'bundle 1\\n')"`;
/** Writes something else: the committed bundle is stale. */
const BUNDLE_NEWER = `node -e "require('fs').writeFileSync('dist/index.cjs', 'bundle 2\\n')"`;

describe("scripts/release.ts", () => {
  let root: string;
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  const quiet = () => undefined;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "tcr-release-"));
    git("init", "--quiet", "--initial-branch=main");
    git("config", "user.name", "Release Test");
    git("config", "user.email", "release-test@example.invalid");
    git("config", "commit.gpgsign", "false");
    git("config", "tag.gpgsign", "false");
    await writeFile(
      join(root, "package.json"),
      JSON.stringify({ name: "x", version: "1.0.0" }, null, 2) + "\n",
    );
    await writeFile(
      join(root, "package-lock.json"),
      JSON.stringify(
        { name: "x", version: "1.0.0", packages: { "": { name: "x", version: "1.0.0" } } },
        null,
        2,
      ) + "\n",
    );
    await mkdir(join(root, "dist"));
    await writeFile(join(root, "dist/index.cjs"), "bundle 1\n");
    git("add", ".");
    git("commit", "--quiet", "-m", "Initial");
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const tags = () => git("tag", "--list").split("\n").filter(Boolean);

  it("refuses a version that is not MAJOR.MINOR.PATCH", () => {
    for (const version of ["1.2", "v1.2.0", "1.2.0-rc.1", "01.2.0", ""]) {
      expect(() => release({ version, root, bundleCommand: BUNDLE_SAME, log: quiet })).toThrow(
        /expected MAJOR\.MINOR\.PATCH/,
      );
    }
    expect(tags()).toEqual([]);
  });

  it("refuses a version below the current one, or one tagged already", () => {
    expect(() => release({ version: "0.9.0", root, bundleCommand: BUNDLE_SAME, log: quiet })).toThrow(
      "0.9.0 is below the current 1.0.0",
    );
    git("tag", "v1.1.0");
    expect(() => release({ version: "1.1.0", root, bundleCommand: BUNDLE_SAME, log: quiet })).toThrow(
      "v1.1.0 is tagged already",
    );
  });

  it("refuses a dirty work tree, untracked files included", async () => {
    await writeFile(join(root, "notes.txt"), "draft\n");
    expect(() => release({ version: "1.1.0", root, bundleCommand: BUNDLE_SAME, log: quiet })).toThrow(
      ReleaseRefused,
    );
    expect(() => release({ version: "1.1.0", root, bundleCommand: BUNDLE_SAME, log: quiet })).toThrow(
      /not clean[\s\S]*notes\.txt/,
    );
    expect(tags()).toEqual([]);
  });

  it("refuses when dist/ is not what the bundle command builds", () => {
    expect(() => release({ version: "1.1.0", root, bundleCommand: BUNDLE_NEWER, log: quiet })).toThrow(
      /dist\/ is not what .* builds[\s\S]*dist\/index\.cjs/,
    );
    expect(tags()).toEqual([]);
    expect(git("log", "--format=%s")).toBe("Initial");
  });

  it("commits the version, tags vX.Y.Z annotated, moves vX, and prints the push commands", async () => {
    const lines: string[] = [];
    const first = release({ version: "1.1.0", root, bundleCommand: BUNDLE_SAME, log: (l) => lines.push(l) });

    expect(git("log", "-1", "--format=%s")).toBe("Release 1.1.0");
    expect(JSON.parse(await readFile(join(root, "package.json"), "utf8"))).toMatchObject({
      version: "1.1.0",
    });
    const lock = JSON.parse(await readFile(join(root, "package-lock.json"), "utf8"));
    expect([lock.version, lock.packages[""].version]).toEqual(["1.1.0", "1.1.0"]);
    expect(git("cat-file", "-t", "v1.1.0")).toBe("tag");
    expect(git("rev-parse", "v1.1.0^{commit}")).toBe(first.commit);
    expect(git("rev-parse", "v1^{commit}")).toBe(first.commit);
    expect(git("status", "--porcelain")).toBe("");
    expect(lines.join("\n")).toContain("git push origin v1.1.0 && git push -f origin v1");

    const second = release({ version: "1.2.0", root, bundleCommand: BUNDLE_SAME, log: quiet });
    expect(second.commit).not.toBe(first.commit);
    expect(git("rev-parse", "v1^{commit}")).toBe(second.commit);
    expect(git("rev-parse", "v1.1.0^{commit}")).toBe(first.commit);
    expect(second.pushCommands).toContain("git push origin v1.2.0 && git push -f origin v1");

    release({ version: "2.0.0", root, bundleCommand: BUNDLE_SAME, log: quiet });
    expect(git("rev-parse", "v1^{commit}")).toBe(second.commit);
    expect(tags()).toEqual(["v1", "v1.1.0", "v1.2.0", "v2", "v2.0.0"]);
  });

  it("as a command, exits 2 and names the reason", async () => {
    const tsx = join(REPO, "node_modules/tsx/dist/cli.mjs");
    const failure = await run(process.execPath, [
      tsx,
      join(REPO, "scripts/release.ts"),
      "1.2",
      "--root",
      root,
    ]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('release: version: expected MAJOR.MINOR.PATCH, e.g. 1.2.0, got "1.2".');
  });
});
