import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, "../..");

interface SourceMap {
  sources: string[];
  sourceRoot?: string;
  sourcesContent?: (string | null)[];
}

describe("the package tarball", () => {
  let dir: string;
  let files: Set<string>;
  const read = (file: string) => readFile(join(dir, "package", file), "utf8");

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tcr-pack-"));
    // --ignore-scripts: lib/ is built already (test/global-setup.ts), and rebuilding it here would race
    // other tests reading it.
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
      cwd: REPO,
    });
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    files = new Set(packed.files.map((f) => f.path));
    await run("tar", ["-xzf", join(dir, packed.filename), "-C", dir]);
  }, 120_000);
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it("ships the command line, the Pulumi provider and the emulator", () => {
    for (const file of [
      "lib/cli/main.js",
      "lib/pulumi/index.js",
      "lib/pulumi/index.d.ts",
      "lib/emulator/index.js",
    ]) {
      expect(files).toContain(file);
    }
  });

  it("has source maps whose sources are shipped or inlined", async () => {
    const maps = [...files].filter((file) => file.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(0);
    const unresolved: string[] = [];
    for (const file of maps) {
      const map = JSON.parse(await read(file)) as SourceMap;
      map.sources.forEach((source, i) => {
        const path = posix.join(posix.dirname(file), map.sourceRoot ?? "", source);
        if (!files.has(path) && typeof map.sourcesContent?.[i] !== "string")
          unresolved.push(`${file}: ${source}`);
      });
    }
    expect(unresolved).toEqual([]);
  });

  it("has a shipped map behind every sourceMappingURL comment", async () => {
    const missing: string[] = [];
    for (const file of [...files].filter((f) => f.endsWith(".js"))) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(await read(file))?.[1];
      if (url && !url.startsWith("data:") && !files.has(posix.join(posix.dirname(file), url))) {
        missing.push(`${file}: ${url}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
