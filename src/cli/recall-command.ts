import { Secrets } from "../chat/secrets.js";
import { RecallSession } from "../recall/session.js";
import {
  environmentSource,
  environmentVariable,
  resolveSettings,
  SETTINGS,
  type Source,
} from "../recall/settings.js";
import { parseFlags } from "./flags.js";
import { jsonLine, terminalText } from "./terminal.js";

function flagLine(spec: (typeof SETTINGS)[number]): string {
  const flag = spec.boolean ? `--${spec.name}` : `--${spec.name} ${spec.placeholder}`;
  const extras = [
    spec.default && !spec.boolean
      ? `default ${spec.default}`
      : spec.boolean && spec.default === "true"
        ? `on; --no-${spec.name} to turn off`
        : "",
    spec.environment ? `env ${environmentVariable(spec)}` : "",
  ].filter(Boolean);
  return `  ${flag.padEnd(28)} ${spec.summary}${extras.length ? ` (${extras.join("; ")})` : ""}`;
}

export const RECALL_USAGE = `Usage: tencent-chat-recall recall --group ID --sender ID [options]

Recalls the messages each sender sent among the last 1,000 messages of each group (or topic).
Prints one JSON line per (group or topic, sender) pair on stdout, progress and failures on stderr.
Exit status: 0 when every pair ended well, 1 when one failed or was not attempted, 2 on bad input.

Lists take one ID per line, or several separated by commas; list flags may repeat.

${SETTINGS.map(flagLine).join("\n")}
  -h, --help                   this help

Prefer the environment for the secret key: command lines are visible to other processes.`;

function flagSource(values: Record<string, unknown>): Source {
  return {
    get: (spec) => {
      const value = values[spec.name];
      if (value === undefined) return undefined;
      return { values: (Array.isArray(value) ? value : [value]).map(String) };
    },
    label: (spec) => `--${spec.name}`,
  };
}

export async function recallCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const values = parseFlags(
    "recall",
    args,
    Object.fromEntries(
      SETTINGS.map((spec) => [
        spec.name,
        { type: spec.boolean ? "boolean" : "string", multiple: spec.ids !== undefined },
      ]),
    ),
  );
  if (values.help) {
    process.stdout.write(RECALL_USAGE + "\n");
    return 0;
  }
  const settings = resolveSettings([flagSource(values), environmentSource(env)]);
  const secrets = new Secrets();
  const say = (text: string): boolean => process.stderr.write(terminalText(secrets.redact(text)) + "\n");
  const session = new RecallSession(settings, {
    secrets,
    events: {
      result: ({ result, message, appWide }) => {
        process.stdout.write(jsonLine(result) + "\n");
        if (message && !appWide) say(message);
      },
      retry: (e) => say(`retrying ${describeCommand(e.command)} after code ${e.code}: ${e.info}`),
      warning: (message) => say(`warning: ${message}`),
      stopped: (cause) => say(`stopped: ${cause.message}`),
    },
  });
  process.once("SIGINT", () => session.cancel());
  process.once("SIGTERM", () => session.cancel(0));
  const summary = await session.run();
  say(
    `${summary.recalled} recalled, ${summary.failed} failed, ${summary.skipped} skipped, ${summary.notAttempted} not attempted, of ${summary.total}` +
      (summary.firstFailure?.message ? `; first failure: ${summary.firstFailure.message}` : ""),
  );
  return summary.failed + summary.notAttempted > 0 ? 1 : 0;
}

function describeCommand(command: string): string {
  return command.replace(/^.*\//, "");
}
