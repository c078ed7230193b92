import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import ts from "typescript";
import { createConsumer, type Consumer } from "../../pulumi/support/consumer.js";
import { ensureDir, hostPath, REPO, run, scratch, spawnCollect, tool, type Finished } from "./tools.js";

export const EXAMPLE = join(REPO, "examples/pulumi");
export const PASSPHRASE = "hosts-test-passphrase";

/*
 * pulumi-language-nodejs cannot be had from the Go module proxy (it answers 403 for that module at
 * every version), so programs run as Automation API inline programs: this driver, run with node in
 * the project's folder, loads @pulumi/pulumi/automation from the project's node_modules, serves the
 * program to the real CLI (`pulumi up --client=…`) and prints the result as JSON. The program file is
 * required from the project's folder, so it loads the packed package from its node_modules.
 */
const DRIVER = `"use strict";
const path = require("node:path");
const { LocalWorkspace, Stack } = require("@pulumi/pulumi/automation");
const [op, programFile, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson || "{}");
(async () => {
  const program = async () => require(path.resolve(programFile));
  const workspace = await LocalWorkspace.create({ workDir: process.cwd(), program });
  const stack = await Stack.select("dev", workspace);
  let output = "";
  const onOutput = (text) => (output += text);
  try {
    let result;
    if (op === "up") result = await stack.up({ ...options, onOutput });
    else if (op === "preview") result = await stack.preview({ ...options, onOutput, diff: true });
    else if (op === "refresh") result = await stack.refresh({ ...options, onOutput });
    else if (op === "destroy") result = await stack.destroy({ ...options, onOutput });
    else throw new Error("unknown operation " + op);
    const { stdout, stderr, summary, changeSummary, outputs } = result;
    process.stdout.write(JSON.stringify({ ok: true, stdout, stderr, output, summary, changeSummary, outputs }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ ok: false, output, message: String(error && error.message || error) }));
  }
})();
`;

export interface OperationResult {
  ok: boolean;
  /** Everything the CLI printed (the engine's output and, when asked, its logs). */
  text: string;
  message?: string;
  summary?: { result: string; resourceChanges?: Record<string, number> };
  changeSummary?: Record<string, number>;
  outputs?: Record<string, { value: unknown; secret: boolean }>;
}

export interface PulumiProject {
  dir: string;
  /** The test's temporary root: the project, the backend, PULUMI_HOME and the CLI's TMPDIR. */
  root: string;
  env: NodeJS.ProcessEnv;
  consumer: Consumer;
  /** Runs the pulumi CLI in the project with the test's environment. */
  pulumi(args: readonly string[], input?: string): Promise<Finished>;
  /** up, preview, refresh or destroy through the engine, the program served by the driver. */
  operation(
    op: "up" | "preview" | "refresh" | "destroy",
    options?: Record<string, unknown>,
    program?: string,
  ): Promise<OperationResult>;
  /** The stack's state as `pulumi stack export --show-secrets=false` gives it. */
  exportText(): Promise<string>;
  remove(): Promise<void>;
}

/** The example's index.ts as the nodejs runtime runs a CommonJS TypeScript program. */
export function transpile(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  }).outputText;
}

/**
 * A copy of examples/pulumi (Pulumi.yaml and index.ts) in a folder of its own with the package packed
 * from the working tree in its node_modules (or `install` instead), logged in to a file:// backend in
 * a temporary folder, stack `dev` created, the stack configuration set as the README says.
 */
export async function createProject(
  config: Record<string, string>,
  secrets: Record<string, string>,
  install?: (consumer: Consumer) => Promise<void>,
): Promise<PulumiProject> {
  const consumer = await createConsumer("commonjs");
  if (install) await install(consumer);
  const { dir: root, remove } = await scratch("tcr-hosts-pulumi-");
  const dir = consumer.dir;
  await copyFile(join(EXAMPLE, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  await writeFile(join(dir, "index.js"), transpile(await readFile(join(EXAMPLE, "index.ts"), "utf8")));
  await writeFile(join(dir, "host-driver.cjs"), DRIVER);
  const backend = await ensureDir(join(root, "backend"));
  const env: NodeJS.ProcessEnv = {
    PATH: hostPath(),
    HOME: await ensureDir(join(root, "home")),
    TMPDIR: await ensureDir(join(root, "tmp")),
    PULUMI_HOME: await ensureDir(join(root, "pulumi-home")),
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "false",
    NO_COLOR: "1",
  };
  const pulumi = (args: readonly string[], input?: string) =>
    spawnCollect(tool("pulumi"), [...args, "--non-interactive"], {
      cwd: dir,
      env,
      timeoutMs: 120_000,
      input,
    });
  const must = async (args: readonly string[]) => {
    const done = await pulumi(args);
    if (done.code !== 0)
      throw new Error(`pulumi ${args.join(" ")} failed (${done.code}):\n${done.stdout}\n${done.stderr}`);
    return done;
  };
  await must(["stack", "init", "dev"]);
  for (const [key, value] of Object.entries(config)) await must(["config", "set", key, value]);
  for (const [key, value] of Object.entries(secrets)) await must(["config", "set", "--secret", key, value]);

  return {
    dir,
    root,
    env,
    consumer,
    pulumi,
    async operation(op, options = {}, program = "index.js") {
      const done = await spawnCollect(
        process.execPath,
        ["host-driver.cjs", op, program, JSON.stringify(options)],
        {
          cwd: dir,
          env,
          timeoutMs: 600_000,
        },
      );
      let parsed: Partial<OperationResult & { stdout: string; stderr: string; output: string }>;
      try {
        parsed = JSON.parse(done.stdout) as typeof parsed;
      } catch {
        throw new Error(`the driver printed no result (exit ${done.code}):\n${done.stdout}\n${done.stderr}`);
      }
      const text = [parsed.output, parsed.stdout, parsed.stderr, parsed.message, done.stderr].join("\n");
      return { ...parsed, ok: parsed.ok === true, text } as OperationResult;
    },
    async exportText() {
      return (await must(["stack", "export"])).stdout;
    },
    async remove() {
      await consumer.remove();
      await remove();
    },
  };
}

/** Replaces the project's tencent-chat-recall with the package packed from `tree` (a built checkout). */
export async function installPackage(consumerDir: string, tarball: string): Promise<void> {
  const packageDir = join(consumerDir, "node_modules", "tencent-chat-recall");
  await rm(packageDir, { recursive: true, force: true });
  await mkdir(packageDir, { recursive: true });
  await run("tar", ["-xzf", tarball, "-C", packageDir, "--strip-components=1"]);
}

/** The end of what a host printed, for an assertion's message. */
export function tail(text: string, chars = 4000): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}
