import { execFile } from "node:child_process";
import { copyFile, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumer, PACKAGE, REPO, type Consumer } from "./support/consumer.js";
import { exampleLock, pinned, type Lockfile } from "./support/example-lock.js";

const run = promisify(execFile);
const EXAMPLE = join(REPO, "examples/pulumi");

describe("the Pulumi example program", () => {
  let consumer: Consumer;

  beforeAll(async () => {
    consumer = await createConsumer("commonjs");
    for (const file of ["index.ts", "tsconfig.json"]) {
      await copyFile(join(EXAMPLE, file), join(consumer.dir, file));
    }
    await mkdir(join(consumer.dir, "node_modules/@types"), { recursive: true });
    await symlink(
      join(REPO, "node_modules/@types/node"),
      join(consumer.dir, "node_modules/@types/node"),
      "dir",
    );
  }, 120_000);
  afterAll(() => consumer?.remove());

  it("type-checks as a CommonJS TypeScript program against the packed package", async () => {
    const tsc = join(REPO, "node_modules/typescript/bin/tsc");
    const result = await run(process.execPath, [tsc, "-p", consumer.dir, "--noEmit"], {
      cwd: consumer.dir,
    }).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
    expect(result.stdout).toBe("");
    expect("failed" in result).toBe(false);
  }, 120_000);
});

/** What a command printed, for a failure message: its last lines. */
function tail(error: unknown): string {
  const { stdout = "", stderr = "", message = String(error) } = error as Record<string, string>;
  return `${message}\n${stdout}\n${stderr}`.split("\n").slice(-40).join("\n");
}

describe("examples/pulumi", () => {
  it("ships the files the README tells to run it with", async () => {
    expect(await readdir(EXAMPLE)).toEqual(
      expect.arrayContaining([".npmrc", "Pulumi.yaml", "index.ts", "package-lock.json", "package.json"]),
    );
    const manifest = JSON.parse(await readFile(join(EXAMPLE, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies[PACKAGE]).toBe("file:../..");
    expect(await readFile(join(EXAMPLE, ".npmrc"), "utf8")).toMatch(/^install-links=true$/m);
  });

  it("pins what the repository's package-lock.json pins, which npm ci put in npm's cache", async () => {
    const committed = JSON.parse(await readFile(join(EXAMPLE, "package-lock.json"), "utf8")) as Lockfile;
    expect(
      pinned(committed, PACKAGE),
      "examples/pulumi/package-lock.json is not in step with package-lock.json: rewrite it with `npx tsx test/pulumi/support/example-lock.ts`",
    ).toEqual(pinned(exampleLock(), PACKAGE));
  });
});

/**
 * The example as its README installs it: `cd examples/pulumi && npm install && npx tsc --noEmit`,
 * offline. Its files are copied as they are (package.json, package-lock.json, .npmrc) under a copy
 * of the package where `file:../..` finds it: the package as `npm pack` makes it, the files a
 * release holds. `--ignore-scripts` leaves out the package's `prepare` (which builds lib/ in a
 * checkout; here lib/ is packed already) and keeps the test from building in the repository.
 */
describe("the Pulumi example, installed as the README says", () => {
  let root: string;
  let program: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "tcr-pulumi-example-"));
    const { stdout } = await run(
      "npm",
      ["pack", "--ignore-scripts", "--json", "--silent", "--pack-destination", root],
      { cwd: REPO, timeout: 60_000 },
    );
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    const checkout = join(root, PACKAGE);
    await mkdir(checkout);
    await run("tar", ["-xzf", join(root, filename), "-C", checkout, "--strip-components=1"]);

    program = join(checkout, "examples/pulumi");
    await mkdir(program, { recursive: true });
    for (const entry of await readdir(EXAMPLE, { withFileTypes: true })) {
      // What `npm install` or `tsc` left in a working copy is not part of the example.
      if (entry.isFile()) await copyFile(join(EXAMPLE, entry.name), join(program, entry.name));
    }

    await run(
      "npm",
      ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
      { cwd: program, timeout: 150_000, maxBuffer: 16 << 20 },
    ).catch((error: unknown) => {
      throw new Error(
        `npm install of examples/pulumi failed offline (is its package-lock.json in step with the repository's? see below):\n${tail(error)}`,
      );
    });
  }, 200_000);
  afterAll(() => (root ? rm(root, { recursive: true, force: true }) : undefined));

  it("installs the package as a copy, with one @pulumi/pulumi: the program's", async () => {
    const installed = join(program, "node_modules", PACKAGE);
    expect((await lstat(installed)).isSymbolicLink()).toBe(false);
    expect((await lstat(join(installed, "lib/pulumi/index.js"))).isFile()).toBe(true);
    await expect(lstat(join(installed, "node_modules/@pulumi/pulumi"))).rejects.toThrow();
    const { stdout } = await run(
      process.execPath,
      [
        "-e",
        `const { dirname } = require("node:path");
         const { GroupMessageRecall } = require("${PACKAGE}/pulumi");
         const inside = dirname(require.resolve("${PACKAGE}/pulumi"));
         const pulumi = require.resolve("@pulumi/pulumi", { paths: [inside] });
         process.stdout.write(JSON.stringify({ type: typeof GroupMessageRecall, pulumi }));`,
      ],
      { cwd: program, timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toEqual({
      type: "function",
      pulumi: join(program, "node_modules/@pulumi/pulumi/index.js"),
    });
  }, 60_000);

  it("type-checks with its own tsconfig.json and TypeScript (npx tsc --noEmit)", async () => {
    const tsc = join(program, "node_modules/typescript/bin/tsc");
    const result = await run(process.execPath, [tsc, "--noEmit"], { cwd: program, timeout: 90_000 }).then(
      ({ stdout }) => ({ stdout, code: 0 }),
      (error: { stdout?: string; code?: number }) => ({
        stdout: error.stdout ?? tail(error),
        code: error.code,
      }),
    );
    expect(result.stdout).toBe("");
    expect(result.code).toBe(0);
  }, 90_000);
});
