import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, "../..");
const TSX = join(REPO, "node_modules/tsx/dist/cli.mjs");
const SCRIPT = join(REPO, "scripts/lint-workflows.ts");

const ACTION = `name: Example
description: An action to check workflows against.
inputs:
  group:
    description: Group ID.
    required: true
  max-attempts:
    description: Attempts per call.
    default: "5"
outputs:
  status:
    description: OK or FAIL.
runs:
  using: node24
  main: dist/index.cjs
`;

const WORKFLOW = `on: push
permissions: {}
jobs:
  recall:
    runs-on: ubuntu-latest
    steps:
      - uses: ./
        with:
          group: "@TGS#2C5SZEAEF"
`;

let dirs: string[] = [];

/**
 * Runs the script as `npm run lint` does, through tsx: @actions/workflow-parser imports its JSON
 * schemas without import attributes, which tsx loads and plain Node (and so vitest) refuses.
 */
async function lint(
  root: string,
  ...files: string[]
): Promise<{ code: number; out: string; problems: string[] }> {
  const result = await run(process.execPath, [TSX, SCRIPT, "--root", root, ...files]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  const problems = result.stderr.split("\n").filter((line) => line !== "" && !/^\d+ problem\(s\)/.test(line));
  return { code: result.code, out: result.stdout, problems };
}

/** A throwaway repository holding the given files (and dist/index.cjs for the action). */
async function repository(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "tcr-lint-"));
  dirs.push(root);
  for (const [name, content] of Object.entries({ "dist/index.cjs": "", ...files })) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), content);
  }
  return root;
}

afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
});

describe("scripts/lint-workflows.ts", () => {
  it("passes the repository's own workflows, examples and action.yml", async () => {
    const result = await lint(REPO);
    expect(result.problems).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/\d+ GitHub Actions file\(s\) checked: no problems/);
  });

  it("passes a correct workflow and action", async () => {
    const root = await repository({ "action.yml": ACTION, ".github/workflows/ci.yml": WORKFLOW });
    expect(await lint(root)).toMatchObject({ code: 0, problems: [] });
  });

  it("reports schema errors, bad expressions, the job graph and undeclared inputs with file and line", async () => {
    const root = await repository({
      "action.yml": ACTION,
      ".github/workflows/ci.yml": `on: push
jobs:
  recall:
    runs-on: ubuntu-latest
    permissions: { contents: bogus }
    steps:
      - uses: ./
        with:
          group: "@TGS#2C5SZEAEF"
          sendr: leckie
      - run: echo \${{ fromJSON( }}
  report:
    needs: publish
    runs-on: ubuntu-latest
    steps:
      - uses: ./nowhere
`,
      "examples/workflows/broken.yml": "on: [push\n",
    });
    const result = await lint(root);
    expect(result.code).toBe(1);
    expect(result.problems).toEqual([
      ".github/workflows/ci.yml:5: Unexpected value 'bogus'",
      ".github/workflows/ci.yml:10: uses ./: input sendr is not declared in its action.yml (declared: group, max-attempts)",
      expect.stringMatching(/^\.github\/workflows\/ci\.yml:11: .*expression/),
      ".github/workflows/ci.yml:13: Job 'report' depends on unknown job 'publish'.",
      ".github/workflows/ci.yml:16: uses ./nowhere: no action.yml there",
      expect.stringMatching(/^examples\/workflows\/broken\.yml:2: .*\]/),
    ]);
  });

  it("reports what action.yml lacks: descriptions, string defaults, node24, an existing main", async () => {
    const root = await repository({
      "action.yml": `name: Example
inputs:
  group:
    required: true
  max-attempts:
    description: Attempts per call.
    default: 5
outputs:
  status: {}
runs:
  using: node20
  main: lib/missing.js
`,
    });
    const result = await lint(root);
    expect(result.code).toBe(1);
    expect(result.problems).toEqual([
      "action.yml:1: Required property is missing: description",
      "action.yml:3: input group needs a description",
      'action.yml:7: input max-attempts: default must be a string; quote it (default: "5")',
      "action.yml:9: output status needs a description",
      'action.yml:11: runs.using must be node24, got "node20"',
      'action.yml:12: runs.main "lib/missing.js" does not exist (build it, e.g. npm run bundle)',
    ]);
  });

  it("checks only the named files when given", async () => {
    const root = await repository({
      "action.yml": ACTION,
      ".github/workflows/ci.yml": WORKFLOW.replace("group:", "grup:"),
    });
    expect((await lint(root, ".github/workflows/ci.yml")).problems).toEqual([
      ".github/workflows/ci.yml:9: uses ./: input grup is not declared in its action.yml (declared: group, max-attempts)",
    ]);
    expect(await lint(root, "action.yml")).toMatchObject({ code: 0, problems: [] });
  });
});
