import { execFile } from "node:child_process";
import { copyFile, mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumer, REPO, type Consumer } from "./support/consumer.js";

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
