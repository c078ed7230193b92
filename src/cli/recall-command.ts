import { Secrets } from "../chat/secrets.js";
import { describeOutcome, describePlan } from "../recall/describe.js";
import { RecallSession } from "../recall/session.js";
import { environmentSource, SETTINGS } from "../recall/settings.js";
import { resolveSettings } from "../recall/resolve.js";
import { parseFlags } from "./flags.js";
import { flagLine, flagOptions, flagSource } from "./setting-flags.js";
import { jsonLine, terminalText } from "./terminal.js";

export const RECALL_USAGE = `Usage: tencent-chat-recall recall --group ID --sender ID [options]

Recalls the messages each sender sent among the last 1,000 messages of each group (or topic).
Prints one JSON line per (group or topic, sender) pair on stdout, progress and failures on stderr.
Exit status: 0 when every pair ended well, 1 when one failed or was not attempted, 2 on bad input.

Lists take one ID per line, or several separated by commas; list flags may repeat.

${SETTINGS.map(flagLine).join("\n")}
  -h, --help                   this help

Prefer the environment for the secret key: command lines are visible to other processes.`;

export async function recallCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const values = parseFlags("recall", args, flagOptions(SETTINGS));
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
      notice: (message) => say(message),
      stopped: (cause) => say(`stopped: ${cause.message}`),
    },
  });
  process.once("SIGINT", () => session.cancel());
  process.once("SIGTERM", () => session.cancel(0));
  say(describePlan(settings, session.total));
  const summary = await session.run();
  const first = summary.firstFailure?.message;
  say(`${describeOutcome(summary, settings)}${first ? ` First failure: ${first}` : ""}`);
  return first || summary.stopCause ? 1 : 0;
}

function describeCommand(command: string): string {
  return command.replace(/^.*\//, "");
}
