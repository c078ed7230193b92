/**
 * Offline checks of the repository's GitHub Actions files:
 * - every workflow in .github/workflows/ and examples/workflows/ against GitHub's workflow schema
 *   (@actions/workflow-parser), including what the converter checks (job graph, expressions);
 * - action.yml against the action schema, plus our own rules: runs.using node24 and an existing
 *   main file, a description for every input and output, string defaults;
 * - every step that uses a local action (`uses: ./`) passes only inputs that action declares;
 * - no `run:` script has an expression that writes text from outside into it (`${{ inputs.x }}`,
 *   `github.event`, `github.head_ref`, step and job outputs): the shell would run it as code (script
 *   injection); pass such values through `env:`;
 * - in examples/workflows/ (what users copy), every action but ours and local ones is pinned by a full
 *   commit SHA with its version in a comment: `uses: actions/checkout@<40 hex digits> # v7.0.1`.
 *
 * Usage: tsx scripts/lint-workflows.ts [--root DIR] [FILE...]
 * Without files, checks the default set under the root (default: the current directory). Files
 * named action.yml or action.yaml are checked as action manifests, others as workflows.
 * Prints `file:line: message` per problem and exits 1 when there is any.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  convertWorkflowTemplate,
  isMapping,
  isSequence,
  isString,
  NoOperationTraceWriter,
  parseWorkflow,
  type TemplateParseResult,
} from "@actions/workflow-parser";
import { parseAction } from "@actions/workflow-parser/actions/index";
import { ErrorPolicy } from "@actions/workflow-parser/model/convert";
import type { MappingToken, TemplateToken } from "@actions/workflow-parser/templates/tokens/index";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Scalar } from "yaml";

interface Problem {
  file: string;
  line: number | undefined;
  message: string;
}

const WORKFLOW_DIRS = [".github/workflows", "examples/workflows"];
/** Workflows that users copy: their third-party actions must be pinned by commit SHA. */
const EXAMPLE_DIR = "examples/workflows/";
/** This project's own action, which the README shows by its major tag (`owner/tencent-chat-recall@v1`). */
const OWN_ACTION = /^[\w.-]+\/tencent-chat-recall(?:@|$)/;
/** Contexts whose text comes from outside the workflow: written into a script, they run as code. */
const UNTRUSTED_CONTEXT =
  /\b(?:inputs\.|github\.event\b|github\.head_ref\b|(?:steps|needs|jobs)\.[\w-]+\.outputs\b)/;
const ACTION_FILES = ["action.yml", "action.yaml"];
const NODE_RUNTIME = "node24";
const trace = new NoOperationTraceWriter();

function formatProblem(p: Problem): string {
  return `${p.file}${p.line === undefined ? "" : `:${p.line}`}: ${p.message}`;
}

function isActionFile(path: string): boolean {
  return ACTION_FILES.includes(basename(path));
}

/** The files checked when none are named: the workflows and the action manifest under root. */
function defaultFiles(root: string): string[] {
  const workflows = WORKFLOW_DIRS.map((dir) => join(root, dir))
    .filter((dir) => existsSync(dir) && statSync(dir).isDirectory())
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => join(dir, name)),
    );
  const actions = ACTION_FILES.map((name) => join(root, name)).filter((path) => existsSync(path));
  return [...workflows, ...actions];
}

/** The parser's problems, located by line; a YAML syntax error keeps only its first line. */
function parserProblems(file: string, result: TemplateParseResult): Problem[] {
  return result.context.errors.getErrors().map((e) => ({
    file,
    line: e.range?.start.line,
    message: (e.rawMessage.split("\n")[0] ?? "").replace(/:$/, ""),
  }));
}

function mapping(token: TemplateToken | undefined): MappingToken | undefined {
  return token !== undefined && isMapping(token) ? token : undefined;
}

function text(token: TemplateToken | undefined): string | undefined {
  return token !== undefined && isString(token) ? token.value : undefined;
}

function entries(token: TemplateToken | undefined): [key: TemplateToken, value: TemplateToken][] {
  const map = mapping(token);
  return map ? [...map].map((pair) => [pair.key, pair.value]) : [];
}

interface ActionManifest {
  problems: Problem[];
  /** Declared input names, or undefined when the manifest could not be read. */
  inputs: Set<string> | undefined;
}

/** Checks an action manifest (action.yml) with the action schema and our own rules. */
function checkAction(path: string, root: string): ActionManifest {
  const file = relative(root, path) || path;
  const content = readFileSync(path, "utf8");
  const parsed = parseAction({ name: file, content }, trace);
  const problems = parserProblems(file, parsed);
  const top = mapping(parsed.value);
  if (!top) {
    if (problems.length === 0) problems.push({ file, line: 1, message: "expected a mapping" });
    return { problems, inputs: undefined };
  }
  const at = (token: TemplateToken | undefined, message: string): void => {
    problems.push({ file, line: token?.line ?? 1, message });
  };

  // The schema requires name, description and runs; these are the rules it leaves to us.
  const runs = mapping(top.find("runs"));
  if (runs) {
    const using = runs.find("using");
    if (text(using) !== NODE_RUNTIME) {
      at(using ?? runs, `runs.using must be ${NODE_RUNTIME}, got ${JSON.stringify(text(using) ?? null)}`);
    }
    const main = runs.find("main");
    const mainPath = text(main);
    if (mainPath === undefined) at(main ?? runs, "runs.main must name the JavaScript file the runner starts");
    else if (!existsSync(join(path, "..", mainPath))) {
      at(main, `runs.main ${JSON.stringify(mainPath)} does not exist (build it, e.g. npm run bundle)`);
    }
  }

  const inputs = new Set<string>();
  for (const [key, value] of entries(top.find("inputs"))) {
    const name = text(key) ?? String(key);
    inputs.add(name);
    if (!text(mapping(value)?.find("description"))?.trim()) at(key, `input ${name} needs a description`);
  }
  for (const [key, value] of entries(top.find("outputs"))) {
    const name = text(key) ?? String(key);
    if (!text(mapping(value)?.find("description"))?.trim()) at(key, `output ${name} needs a description`);
  }
  problems.push(...unquotedDefaults(file, content));
  return { problems, inputs };
}

/**
 * Input defaults the YAML reads as numbers, booleans or null. The action schema turns them into
 * strings, so only the raw YAML tells: quoting them keeps what the runner passes unambiguous.
 */
function unquotedDefaults(file: string, content: string): Problem[] {
  const lineCounter = new LineCounter();
  const inputs = parseDocument(content, { lineCounter }).get("inputs");
  if (!isMap(inputs)) return [];
  return inputs.items.flatMap(({ key, value }) => {
    const fallback = isMap(value) ? value.get("default", true) : undefined;
    if (!isScalar(fallback) || typeof fallback.value === "string") return [];
    return [
      {
        file,
        line: fallback.range ? lineCounter.linePos(fallback.range[0]).line : undefined,
        message: `input ${String(key)}: default must be a string; quote it (default: "${String(fallback.value)}")`,
      },
    ];
  });
}

/**
 * The rules read from the YAML source, which the parser's tokens do not keep (comments, the text of a
 * script): no untrusted expression inside `run:`, and in examples pinned third-party actions.
 */
function sourceProblems(file: string, content: string): Problem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter });
  const jobs = doc.get("jobs");
  if (!isMap(jobs)) return [];
  const problems: Problem[] = [];
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line;

  const checkRun = (run: Scalar): void => {
    if (typeof run.value !== "string" || !run.range) return;
    const [start, end] = run.range;
    for (const match of content.slice(start, end).matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
      const expression = match[1]!.trim();
      if (!UNTRUSTED_CONTEXT.test(expression)) continue;
      problems.push({
        file,
        line: lineOf(start + match.index),
        message: `run: \${{ ${expression} }} is written into the script before the shell runs it (script injection); pass it through env: and use the variable`,
      });
    }
  };

  const checkPin = (uses: Scalar): void => {
    if (typeof uses.value !== "string" || !uses.range) return;
    const ref = uses.value;
    if (ref.startsWith("./") || ref.startsWith("docker://") || OWN_ACTION.test(ref)) return;
    const line = lineOf(uses.range[0]);
    const name = ref.split("@")[0];
    if (!/^[^@\s]+@[0-9a-f]{40}$/.test(ref)) {
      problems.push({
        file,
        line,
        message: `uses ${ref}: pin a full commit SHA, with its version in a comment (uses: ${name}@<40-character SHA> # vX.Y.Z)`,
      });
    } else if (!/^\s*v\d+(?:\.\d+)*\b/.test(uses.comment ?? "")) {
      problems.push({
        file,
        line,
        message: `uses ${ref}: say which version the SHA is in a comment (# vX.Y.Z)`,
      });
    }
  };

  const example = file.replaceAll("\\", "/").startsWith(EXAMPLE_DIR);
  for (const { value: job } of jobs.items) {
    if (!isMap(job)) continue;
    const jobUses = job.get("uses", true);
    if (example && isScalar(jobUses)) checkPin(jobUses);
    const steps = job.get("steps");
    for (const step of isSeq(steps) ? steps.items : []) {
      if (!isMap(step)) continue;
      const run = step.get("run", true);
      if (isScalar(run)) checkRun(run);
      const uses = step.get("uses", true);
      if (example && isScalar(uses)) checkPin(uses);
    }
  }
  return problems;
}

/** Checks a workflow against the workflow schema and its local-action steps against their manifests. */
async function checkWorkflow(
  path: string,
  root: string,
  manifest: (dir: string) => ActionManifest | undefined,
): Promise<Problem[]> {
  const file = relative(root, path) || path;
  const content = readFileSync(path, "utf8");
  const parsed = parseWorkflow({ name: file, content }, trace);
  if (parsed.value !== undefined) {
    // Adds the checks that need the whole workflow (job graph, expressions) to the same context.
    await convertWorkflowTemplate(parsed.context, parsed.value, undefined, {
      errorPolicy: ErrorPolicy.TryConversion,
    });
  }
  const problems = [...parserProblems(file, parsed), ...sourceProblems(file, content)];

  const jobs = entries(mapping(parsed.value)?.find("jobs")).map(([, job]) => mapping(job));
  for (const steps of jobs.map((job) => job?.find("steps"))) {
    for (const step of steps !== undefined && isSequence(steps) ? [...steps] : []) {
      const usesToken = mapping(step)?.find("uses");
      const uses = text(usesToken);
      if (uses === undefined || !uses.startsWith("./")) continue;
      const action = manifest(resolve(root, uses));
      if (action === undefined) {
        problems.push({ file, line: usesToken?.line, message: `uses ${uses}: no action.yml there` });
        continue;
      }
      if (action.inputs === undefined) continue; // its own problems are reported with the manifest
      for (const [key] of entries(mapping(step)?.find("with"))) {
        const name = text(key) ?? String(key);
        if (!action.inputs.has(name)) {
          problems.push({
            file,
            line: key.line,
            message: `uses ${uses}: input ${name} is not declared in its action.yml (declared: ${[...action.inputs].join(", ")})`,
          });
        }
      }
    }
  }
  return problems;
}

/** Checks the given files (paths relative to root); returns every problem found, by file and line. */
async function lintWorkflows(root: string, files: string[]): Promise<Problem[]> {
  const manifests = new Map<string, ActionManifest | undefined>();
  const manifest = (dir: string): ActionManifest | undefined => {
    if (!manifests.has(dir)) {
      const path = ACTION_FILES.map((name) => join(dir, name)).find((p) => existsSync(p));
      manifests.set(dir, path === undefined ? undefined : checkAction(path, root));
    }
    return manifests.get(dir);
  };

  const problems: Problem[] = [];
  for (const path of files.map((file) => resolve(root, file))) {
    let found: Problem[];
    if (!existsSync(path)) {
      found = [{ file: relative(root, path) || path, line: undefined, message: "no such file" }];
    } else if (isActionFile(path)) {
      found = (manifest(resolve(path, "..")) as ActionManifest).problems;
    } else {
      found = await checkWorkflow(path, root, manifest);
    }
    problems.push(...[...found].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  return problems;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { root: { type: "string" } },
    allowPositionals: true,
  });
  const root = resolve(values.root ?? ".");
  const files = positionals.length ? positionals : defaultFiles(root);
  const problems = await lintWorkflows(root, files);
  for (const problem of problems) process.stderr.write(formatProblem(problem) + "\n");
  if (problems.length > 0) {
    process.stderr.write(`${problems.length} problem(s) in GitHub Actions files.\n`);
    return 1;
  }
  process.stdout.write(`${files.length} GitHub Actions file(s) checked: no problems.\n`);
  return 0;
}

process.exitCode = await main();
