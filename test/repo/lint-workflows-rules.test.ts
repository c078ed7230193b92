import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, "../..");
const TSX = join(REPO, "node_modules/tsx/dist/cli.mjs");
const SCRIPT = join(REPO, "scripts/lint-workflows.ts");
const SHA = "3d3c42e5aac5ba805825da76410c181273ba90b1";

/** A workflow whose line numbers the expectations below name. */
const WORKFLOW = `on:
  workflow_dispatch:
    inputs:
      sender:
        type: string
permissions: {}
jobs:
  one:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@${SHA}
      - uses: actions/checkout@${SHA} # v7.0.1
      - id: recall
        uses: owner/tencent-chat-recall@v1
      - uses: ./
      - run: echo "\${{ github.event_name }} in \${{ runner.temp }}, attempt \${{ github.run_attempt }}"
      - env:
          SENDER: \${{ inputs.sender }}
        run: echo "$SENDER"
      - run: |
          echo ok
          echo "\${{ inputs.sender }}" and \${{ steps.recall.outputs.failed }}
      - run: echo \${{github.event.issue.title}}
`;

const injection = (line: number, expression: string): string =>
  `${line}: run: \${{ ${expression} }} is written into the script before the shell runs it (script injection); pass it through env: and use the variable`;

describe("scripts/lint-workflows.ts: script injection and pinned actions", () => {
  let root: string;
  let problems: string[];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "tcr-lint-rules-"));
    const files = {
      "action.yml": `name: Example
description: An action to check workflows against.
runs:
  using: node24
  main: dist/index.cjs
`,
      "dist/index.cjs": "",
      "examples/workflows/example.yml": WORKFLOW,
      ".github/workflows/ci.yml": WORKFLOW,
    };
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(root, name)), { recursive: true });
      await writeFile(join(root, name), content);
    }
    const result = await run(process.execPath, [TSX, SCRIPT, "--root", root]).then(
      ({ stderr }) => ({ stderr }),
      (error: { stderr: string }) => error,
    );
    problems = result.stderr.split("\n").filter((line) => line !== "" && !/^\d+ problem\(s\)/.test(line));
  }, 60_000);
  afterAll(() => (root ? rm(root, { recursive: true, force: true }) : undefined));

  it("reports each expression of outside text written into a script, in every workflow", () => {
    for (const file of [".github/workflows/ci.yml", "examples/workflows/example.yml"]) {
      const mine = problems.filter((p) => p.startsWith(`${file}:`) && p.includes("script injection"));
      expect(mine).toEqual([
        `${file}:${injection(23, "inputs.sender")}`,
        `${file}:${injection(23, "steps.recall.outputs.failed")}`,
        `${file}:${injection(24, "github.event.issue.title")}`,
      ]);
    }
  });

  it("wants third-party actions pinned by SHA, with the version, in examples only", () => {
    expect(problems.filter((p) => !p.includes("script injection"))).toEqual([
      `examples/workflows/example.yml:11: uses actions/checkout@v4: pin a full commit SHA, with its version in a comment (uses: actions/checkout@<40-character SHA> # vX.Y.Z)`,
      `examples/workflows/example.yml:12: uses actions/checkout@${SHA}: say which version the SHA is in a comment (# vX.Y.Z)`,
    ]);
  });
});
