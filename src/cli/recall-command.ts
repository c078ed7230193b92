import { describeEnd, describePlan, describeRetry, runFailed } from "../recall/describe.js";
import { RecallSession } from "../recall/session.js";
import { environmentSource, SETTINGS } from "../recall/settings.js";
import { parseDecimal, resolveSettings } from "../recall/resolve.js";
import { secretsOf } from "../recall/secret-settings.js";
import { InputError, quote } from "../recall/input-error.js";
import { parseFlags } from "./flags.js";
import { flagLine, flagOptions, flagSource } from "./setting-flags.js";
import { showProgress, type ProgressDisplay } from "./progress.js";
import { jsonLine, terminalText } from "./terminal.js";

/** When stderr is not a terminal, a progress line every this many seconds. */
const DEFAULT_PROGRESS_SECONDS = 5;

export const RECALL_USAGE = `Usage: tencent-chat-recall recall --group ID --sender ID [options]

Recalls the messages each sender sent among the last 1,000 messages of each group (or topic).
Prints one JSON line per (group or topic, sender) pair on stdout, progress and failures on stderr.
Exit status: 0 when every pair ended well, 1 when one failed or was not attempted, 2 on bad input.

Lists take one ID per line, or several separated by commas; list flags may repeat.

${SETTINGS.map(flagLine).join("\n")}
  --progress-interval S        when stderr is not a terminal, a progress line every S seconds (5)
  --allow-files-outside        read --group-file and --sender-file outside the current directory too
  -h, --help                   this help

Prefer the environment for the secret key: command lines are visible to other processes.`;

export async function recallCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const values = parseFlags("recall", args, {
    ...flagOptions(SETTINGS),
    "progress-interval": { type: "string" },
    "allow-files-outside": { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(RECALL_USAGE + "\n");
    return 0;
  }
  const sources = [flagSource(values), environmentSource(env)];
  const secrets = secretsOf(sources);
  const settings = resolveSettings(sources, {
    baseDirectory: process.cwd(),
    env,
    baseDirectoryName: "the current directory",
    allowListFilesOutsideBase: values["allow-files-outside"] === true,
    outsideBaseRemedy: "Put the file there, or pass --allow-files-outside to read it where it is.",
  });
  const intervalMs = progressInterval(values["progress-interval"]);
  let display: ProgressDisplay | undefined;
  const say = (text: string): void => {
    const line = terminalText(secrets.redact(text));
    if (display) display.print(line);
    else process.stderr.write(line + "\n");
  };
  const session = new RecallSession(settings, {
    secrets,
    events: {
      result: ({ result, message, appWide }) => {
        process.stdout.write(jsonLine(result) + "\n");
        // The stop says once why the rest were not attempted; stdout still has a line for each.
        if (message && !appWide && result.outcome !== "not-attempted") say(message);
      },
      retry: (e) => say(describeRetry(e)),
      warning: (message) => say(`warning: ${message}`),
      notice: (message) => say(message),
      stopped: (cause) => say(`stopped: ${cause.message}`),
    },
  });
  process.once("SIGINT", () => session.cancel());
  process.once("SIGTERM", () => session.cancel(0));
  say(describePlan(settings));
  display = showProgress(() => session.progress, process.stderr, intervalMs);
  const summary = await session.run().finally(() => display?.stop());
  display = undefined;
  say(describeEnd(summary, settings));
  if (summary.archiveFile) say(`Archive: ${summary.archiveFile}`);
  return runFailed(summary) ? 1 : 0;
}

function progressInterval(value: unknown): number {
  if (value === undefined) return DEFAULT_PROGRESS_SECONDS * 1000;
  const seconds = parseDecimal(String(value).trim());
  if (seconds === undefined || seconds < 0.1 || seconds > 3600) {
    throw new InputError(
      undefined,
      `--progress-interval: expected seconds, a decimal number from 0.1 to 3600 (such as 5 or 0.5), got ${quote(String(value))}.`,
    );
  }
  return seconds * 1000;
}
