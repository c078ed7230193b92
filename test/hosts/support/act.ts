import { mkdir, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ensureDir, hostPath, spawnCollect, tool, type Finished } from "./tools.js";

/*
 * nektos/act in host mode (`-P ubuntu-latest=-self-hosted`: steps run on this machine, no Docker),
 * started with a minimal environment (act copies its whole environment into the steps), HOME and
 * the XDG folders in a temporary folder so that no ~/.actrc is read, and every file act would read
 * from the working directory by default (.env, .secrets, .vars) given explicitly.
 */

/** A local action that stands in for a remote one: logs its inputs and does nothing else. */
export async function standIn(dir: string, name: string, script = ""): Promise<string> {
  const path = await ensureDir(join(dir, name));
  await writeFile(
    join(path, "action.yml"),
    `name: stand-in for ${name}\ndescription: does nothing under act\nruns:\n  using: node20\n  main: index.cjs\n`,
  );
  await writeFile(
    join(path, "index.cjs"),
    `const inputs = Object.entries(process.env).filter(([k]) => k.startsWith("INPUT_"));
console.log("stand-in ${name}: " + inputs.map(([k, v]) => k.slice(6).toLowerCase() + "=" + v).join(" "));
${script}
`,
  );
  return path;
}

export interface ActRun extends Finished {
  /** What a reader of act's log sees: its stdout and stderr. */
  log: string;
}

export async function runAct(options: {
  root: string;
  cwd: string;
  workflow: string;
  event: string;
  job?: string;
  localRepositories: Record<string, string>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<ActRun> {
  const { root } = options;
  const home = await ensureDir(join(root, "home"));
  await mkdir(join(root, "act-config"), { recursive: true });
  const files = await ensureDir(join(root, "act-files"));
  const secretFile = join(files, "secrets");
  const varFile = join(files, "vars");
  const envFile = join(files, "env");
  const lines = (values: Record<string, string> = {}) =>
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}\n`)
      .join("");
  await writeFile(secretFile, lines(options.secrets), { mode: 0o600 });
  await writeFile(varFile, lines(options.vars));
  await writeFile(envFile, "");
  const args = [
    options.event,
    "-W",
    options.workflow,
    ...(options.job ? ["-j", options.job] : []),
    "-P",
    "ubuntu-latest=-self-hosted",
    "--no-cache-server",
    "--action-cache-path",
    join(root, "act-cache"),
    "--secret-file",
    secretFile,
    "--var-file",
    varFile,
    "--env-file",
    envFile,
    ...Object.entries(options.localRepositories).flatMap(([ref, path]) => [
      "--local-repository",
      `${ref}=${path}`,
    ]),
  ];
  const env: NodeJS.ProcessEnv = {
    PATH: hostPath(),
    HOME: home,
    XDG_CONFIG_HOME: join(root, "act-config"),
    XDG_CACHE_HOME: await ensureDir(join(root, "xdg-cache")),
    TMPDIR: await ensureDir(join(root, "tmp")),
    ACT_DISABLE_VERSION_CHECK: "1",
    // npm in a step (`npm ci`) uses this machine's npm cache, so the install is local when it can be.
    npm_config_cache: process.env.npm_config_cache || join(homedir(), ".npm"),
    npm_config_prefer_offline: "true",
    npm_config_update_notifier: "false",
    NO_COLOR: "1",
    ...options.env,
  };
  const done = await spawnCollect(tool("act"), args, {
    cwd: options.cwd,
    env,
    timeoutMs: options.timeoutMs ?? 540_000,
  });
  return { ...done, log: `${done.stdout}\n${done.stderr}` };
}
