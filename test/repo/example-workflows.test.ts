/**
 * The example workflows, run step by step as the runner would against the emulator: the step's
 * expressions evaluated with GitHub's expression engine (@actions/expressions, which
 * @actions/workflow-parser evaluates with), the Action run as `node dist/index.cjs`, the `if:` of each
 * later step decided, and the shell steps run with bash as a runner runs them.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import { truthy } from "@actions/expressions/result";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runStep, type StepResult } from "../../scripts/support/runner.js";
import { applySeed, parseSeed, startEmulator, type Emulator, type Seed } from "../../src/emulator/index.js";

const REPO = resolve(import.meta.dirname, "../..");
const SEED = JSON.parse(readFileSync(join(REPO, "examples/emulator-seed.json"), "utf8")) as Seed;
const APP = SEED.apps![0]!;
const SPAMMER_GROUP = "@TGS#2C5SZEAEF";
const SUPPORT_GROUP = "@TGS#1NVTZEAE4";

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}

interface Workflow {
  on: { workflow_dispatch?: { inputs?: Record<string, { default?: unknown }> } };
  jobs: Record<string, { steps: Step[] }>;
}

const readWorkflow = (name: string): Workflow =>
  parse(readFileSync(join(REPO, "examples/workflows", name), "utf8")) as Workflow;

type Contexts = Record<string, unknown>;

const STATUS_FUNCTIONS = ["always", "success", "failure", "cancelled"];

/** One expression, evaluated as the runner does; `failed` says whether a step before failed. */
function evaluate(expression: string, contexts: Contexts, failed: boolean): data.ExpressionData {
  const { tokens } = new Lexer(expression).lex();
  const functions = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
  const parsed = new Parser(tokens, Object.keys(contexts), functions).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  const status: Record<string, boolean> = {
    always: true,
    success: !failed,
    failure: failed,
    cancelled: false,
  };
  const implementations = new Map(
    functions.map((f) => [f.name, { ...f, call: () => new data.BooleanData(status[f.name]!) }]),
  );
  return new Evaluator(parsed, context, implementations).evaluate();
}

/** A `with:` or `env:` value: each `${{ }}` replaced by its value as a string. */
function expand(value: unknown, contexts: Contexts): string {
  return String(value).replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    evaluate(expression, contexts, false).coerceString(),
  );
}

/** Whether a step runs: its `if:` (with `${{ }}` or not), or success() when it has none. */
function runs(step: Step, contexts: Contexts, failed: boolean): boolean {
  const condition = (step.if ?? "success()").replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, "$1");
  const uses = STATUS_FUNCTIONS.some((name) => new RegExp(`\\b${name}\\(`).test(condition));
  return truthy(evaluate(uses ? condition : `success() && (${condition})`, contexts, failed));
}

/** A `run:` step in bash, as a runner on ubuntu-latest runs it (`bash --noprofile --norc -eo pipefail`). */
function bash(script: string, env: Record<string, string>): { status: number | null; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), "tcr-run-step-"));
  try {
    writeFileSync(join(dir, "step.sh"), script);
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", join(dir, "step.sh")], {
      env: { PATH: process.env.PATH, ...env },
      encoding: "utf8",
      timeout: 10_000,
    });
    return { status: result.status, stdout: result.stdout + result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface JobRun {
  action: StepResult;
  /** The Action's inputs, as the runner passes them. */
  inputs: Record<string, string>;
  /** The names of the steps after the Action that ran. */
  ran: string[];
  /** What the shell steps after the Action printed. */
  log: string;
  uploads: Record<string, string>[];
}

let emulator: Emulator;

/** Runs a job's steps from the Action on; `checkout` files are what actions/checkout would put in the workspace. */
async function runJob(
  workflow: Workflow,
  event: { inputs?: Record<string, unknown> },
  files: Record<string, string> = {},
): Promise<JobRun> {
  const declared = workflow.on.workflow_dispatch?.inputs ?? {};
  const given = event.inputs
    ? {
        ...Object.fromEntries(Object.entries(declared).map(([name, spec]) => [name, spec.default ?? ""])),
        ...event.inputs,
      }
    : {};
  const contexts: Contexts = {
    github: { run_attempt: "1", event_name: event.inputs ? "workflow_dispatch" : "schedule" },
    inputs: given,
    vars: { TENCENT_CHAT_SDK_APP_ID: String(APP.sdkAppId) },
    secrets: { TENCENT_CHAT_SECRET_KEY: APP.secretKey },
    steps: {},
  };
  const [job] = Object.values(workflow.jobs);
  const steps = job!.steps;
  const at = steps.findIndex((step) => step.uses?.startsWith("owner/tencent-chat-recall@"));
  const step = steps[at]!;
  const inputs = Object.fromEntries(
    Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(v, contexts)]),
  );
  // The region's domain replaced by the emulator, as the endpoint input does.
  const action = await runStep({ ...inputs, endpoint: emulator.url }, { files });
  let failed = action.exitCode !== 0;
  contexts.steps = {
    [step.id!]: {
      outputs: action.outputs,
      outcome: failed ? "failure" : "success",
      conclusion: failed ? "failure" : "success",
    },
  };

  const ran: string[] = [];
  const uploads: Record<string, string>[] = [];
  let log = "";
  for (const later of steps.slice(at + 1)) {
    if (!runs(later, contexts, failed)) continue;
    const name = later.name ?? later.uses ?? later.run!;
    ran.push(name);
    if (later.uses) {
      uploads.push(
        Object.fromEntries(Object.entries(later.with ?? {}).map(([k, v]) => [k, expand(v, contexts)])),
      );
      continue;
    }
    const env = Object.fromEntries(Object.entries(later.env ?? {}).map(([k, v]) => [k, expand(v, contexts)]));
    const result = bash(later.run!, env);
    log += result.stdout;
    if (result.status !== 0) failed = true;
  }
  return { action, inputs, ran, log, uploads };
}

/** An emulator with examples/emulator-seed.json, and the support group where spammer-4711 posted. */
async function seededEmulator(): Promise<Emulator> {
  const seed = parseSeed({
    ...SEED,
    apps: [{ ...APP, accounts: ["spammer-4711"] }],
    groups: [
      ...SEED.groups!,
      {
        sdkAppId: APP.sdkAppId,
        groupId: SUPPORT_GROUP,
        type: "Public",
        name: "support",
        messages: [
          { from: "spammer-4711", text: "Cheap watches, again" },
          { from: "dave", text: "How do I reset my password?" },
        ],
      },
    ],
  });
  const started = await startEmulator({ apps: seed.apps! });
  applySeed(started.state, seed);
  return started;
}

const recalled = (groupId: string): string[] =>
  emulator.state
    .history(APP.sdkAppId, groupId)
    .filter((m) => m.recalled)
    .map((m) => m.from);

describe("examples/workflows/recall-spammer.yml", () => {
  beforeAll(async () => void (emulator = await seededEmulator()));
  afterAll(() => emulator?.close());
  const workflow = readWorkflow("recall-spammer.yml");
  const dispatch = (inputs: Record<string, unknown>) => runJob(workflow, { inputs });

  it("is a dry run by default: counts, recalls nothing, archives nothing, and says so", async () => {
    const job = await dispatch({ sender: "leckie", groups: SPAMMER_GROUP });
    expect(job.inputs).toMatchObject({ "dry-run": "true", archive: "false", reason: "" });
    expect(job.action.exitCode).toBe(0);
    expect(job.action.outputs["matched-messages"]).toBe("3");
    expect(recalled(SPAMMER_GROUP)).toEqual([]);
    expect(job.ran).toEqual(["Keep the results", "Report"]);
    expect(job.log).toContain("Dry run (OK): 3 message(s) would be recalled. Nothing was recalled.");
  });

  it("recalls when dry-run is unchecked, archiving first, with the reason, and reports it", async () => {
    const job = await dispatch({
      sender: "leckie",
      groups: `${SPAMMER_GROUP}, ${SUPPORT_GROUP}`,
      "dry-run": false,
    });
    expect(job.inputs).toMatchObject({ "dry-run": "false", archive: "true", reason: "Spam" });
    expect(job.action.exitCode).toBe(0);
    expect(recalled(SPAMMER_GROUP)).toEqual(["leckie", "leckie", "leckie"]);
    expect(job.action.archiveFile).toHaveLength(3);
    expect(job.ran).toEqual(["Keep the results", "Keep the recalled messages", "Report"]);
    expect(job.uploads[1]).toMatchObject({
      name: "recalled-messages-1",
      path: job.action.outputs["archive-file"],
      "retention-days": "7",
    });
    expect(job.log).toContain("Recall (OK): 3 message(s) recalled, 3 archived first.");
    expect(job.log).toContain("Pairs (group, sender): 2 recalled, 0 failed, 0 skipped, 0 not attempted.");
    expect(job.log).toContain("The archived messages are the artifact recalled-messages-1 (kept 7 days).");
  });

  it("still keeps the results and reports when the recall fails", async () => {
    const job = await dispatch({ sender: "leckie", groups: "@TGS#NOSUCHGROUP", "dry-run": false });
    expect(job.action.exitCode).toBe(1);
    // The archive file is opened before any call: it is kept, empty, as the run left it.
    expect(job.ran).toEqual(["Keep the results", "Keep the recalled messages", "Report"]);
    expect(job.log).toContain("Recall (FAIL): 0 message(s) recalled, 0 archived first.");
    expect(job.log).toContain("Pairs (group, sender): 0 recalled, 1 failed, 0 skipped, 0 not attempted.");
    expect(job.log).toContain("first failure: code 10010");
    expect(job.log).not.toContain("The archived messages are");
  });

  it("reports a recall step that refused its inputs and left no outputs", async () => {
    const job = await dispatch({ sender: "leckie", groups: "team,alpha" });
    expect(job.action.exitCode).toBe(1);
    expect(job.action.outputs).toEqual({});
    expect(job.ran).toEqual(["Report"]);
    expect(job.log).toContain("The recall step ended (failure) with no outputs");
  });
});

describe("examples/workflows/scheduled-cleanup.yml with the sample lists", () => {
  beforeAll(async () => void (emulator = await seededEmulator()));
  afterAll(() => emulator?.close());
  const workflow = readWorkflow("scheduled-cleanup.yml");
  const lists = {
    "moderation/groups.txt": readFileSync(join(REPO, "examples/moderation/groups.txt"), "utf8"),
    "moderation/blocked-senders.txt": readFileSync(
      join(REPO, "examples/moderation/blocked-senders.txt"),
      "utf8",
    ),
  };

  it("is a dry run when started by hand", async () => {
    const job = await runJob(workflow, { inputs: {} }, lists);
    expect(job.inputs["dry-run"]).toBe("true");
    expect(job.action.exitCode).toBe(0);
    // leckie's 3 in general, spammer-4711's 1 in support.
    expect(job.action.outputs["matched-messages"]).toBe("4");
    expect(recalled(SUPPORT_GROUP)).toEqual([]);
  });

  it("recalls every listed sender in every listed group on schedule, and keeps the results", async () => {
    const job = await runJob(workflow, {}, lists);
    expect(job.inputs["dry-run"]).toBe("false");
    expect(job.action.exitCode).toBe(0);
    expect(job.action.outputs).toMatchObject({ "action-status": "OK", succeeded: "6", failed: "0" });
    expect(recalled(SUPPORT_GROUP)).toEqual(["spammer-4711"]);
    expect(job.uploads).toEqual([
      { name: "recall-results-1", path: job.action.outputs["results-file"], "retention-days": "14" },
    ]);
  });
});
