import { execFile, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BUILD_INPUTS,
  BUILD_OUTPUTS,
  staleness,
  STAMP_PATH,
  treeHash,
  writeStamp,
} from "../support/build-stamp.js";
import { withDirectoryLock } from "../support/directory-lock.js";

const REPO = resolve(import.meta.dirname, "../..");
const covered = (file: string) =>
  BUILD_INPUTS.some((input) => file === input || file.startsWith(`${input}/`));

describe("what the build stamp hashes", () => {
  it("holds every file of ours that tsc reads for lib/, and the bundle's entry point", async () => {
    const tsc = join(REPO, "node_modules/.bin/tsc");
    const { stdout } = await promisify(execFile)(tsc, ["-p", "tsconfig.build.json", "--listFilesOnly"], {
      cwd: REPO,
    });
    const ours = stdout
      .split("\n")
      .filter(Boolean)
      .map((file) => relative(REPO, file))
      .filter((file) => !file.startsWith("node_modules/"));
    expect(ours.length).toBeGreaterThan(10);
    expect(ours.filter((file) => !covered(file))).toEqual([]);
    expect(["tsconfig.build.json", "tsconfig.json", "package.json", "package-lock.json"].every(covered)).toBe(
      true,
    );
    const { scripts } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const entry = /^ncc build (\S+)/.exec(scripts.bundle!)?.[1];
    expect(entry && covered(entry)).toBe(true);
  });
});

describe("staleness", () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  const stampNow = () =>
    writeStamp(root, { inputs: treeHash(root, BUILD_INPUTS), outputs: treeHash(root, BUILD_OUTPUTS) });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "build-stamp-"));
    for (const file of ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"])
      write(file, "{}");
    write("src/index.ts", "export const a = 1;\n");
    write("lib/cli/main.js", "built\n");
    write("dist/index.cjs", "bundled\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("asks for a build on a fresh install, and none once the stamp matches", () => {
    expect(staleness(root)).toBe("no record of the last build");
    stampNow();
    expect(existsSync(join(root, STAMP_PATH))).toBe(true);
    expect(staleness(root)).toBeUndefined();
  });

  it("asks for a build when a source is changed, added or renamed, not when it is only touched", () => {
    stampNow();
    utimesSync(join(root, "src/index.ts"), new Date(), new Date());
    expect(staleness(root)).toBeUndefined();
    write("src/index.ts", "export const a = 2;\n");
    expect(staleness(root)).toBe("the sources changed since the last build");
    write("src/index.ts", "export const a = 1;\n");
    expect(staleness(root)).toBeUndefined();
    write("src/other.ts", "");
    expect(staleness(root)).toBe("the sources changed since the last build");
    rmSync(join(root, "src/other.ts"));
    renameSync(join(root, "src/index.ts"), join(root, "src/main.ts"));
    expect(staleness(root)).toBe("the sources changed since the last build");
    renameSync(join(root, "src/main.ts"), join(root, "src/index.ts"));
    expect(staleness(root)).toBeUndefined();
    write("package-lock.json", '{"lockfileVersion":3}');
    expect(staleness(root)).toBe("the sources changed since the last build");
  });

  it("asks for a build when a build is missing or was replaced", () => {
    stampNow();
    write("dist/index.cjs", "bundled from other sources\n");
    expect(staleness(root)).toBe("lib/ or dist/ changed since the last build");
    rmSync(join(root, "lib"), { recursive: true });
    expect(staleness(root)).toBe("lib/cli/main.js missing");
  });
});

describe("withDirectoryLock", () => {
  let lock: string;
  beforeEach(() => (lock = join(mkdtempSync(join(tmpdir(), "build-lock-")), "lock")));
  afterEach(() => rmSync(dirname(lock), { recursive: true, force: true }));

  it("keeps out others while the work runs, and lets go after it", async () => {
    const inside = await withDirectoryLock(lock, () =>
      withDirectoryLock(lock, async () => "entered twice", -1).catch((error: Error) => error.message),
    );
    expect(inside).toBe(`${lock} is still held by another process`);
    expect(existsSync(lock)).toBe(false);
  });

  it("takes over a lock whose process has ended", async () => {
    const ended = spawnSync(process.execPath, ["-e", "0"]).pid;
    mkdirSync(lock);
    writeFileSync(join(lock, "pid"), String(ended));
    expect(await withDirectoryLock(lock, async () => "taken over", -1)).toBe("taken over");
  });
});
