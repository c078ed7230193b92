import { ChatClient } from "../chat/client.js";
import { checkId } from "../recall/ids.js";
import { InputError } from "../recall/input-error.js";
import { readHistory } from "../recall/history.js";
import { planScopes } from "../recall/plan.js";
import { environmentSource, RECALL_WINDOW, SETTINGS } from "../recall/settings.js";
import { resolveConnection } from "../recall/resolve.js";
import { secretsOf } from "../recall/secret-settings.js";
import { parseFlags } from "./flags.js";
import { flagLine, flagOptions, flagSource } from "./setting-flags.js";
import { jsonLine, terminalText } from "./terminal.js";

const CONNECTION_SETTINGS = SETTINGS.filter((s) => s.connection);

export const HISTORY_USAGE = `Usage: tencent-chat-recall history --group ID [--topic ID] [options]

Prints the messages of the window a recall looks at (the newest 1,000 of the group or topic), newest
first: seq, time, sender, and whether each is kept, recalled, or gone (deleted or expired). Look
before and after a recall. Nothing is changed.

  --group ID                   the group
  --topic ID                   a topic of the group (a Community group)
  --json                       one JSON object per line instead of a table
${CONNECTION_SETTINGS.map(flagLine).join("\n")}
  -h, --help                   this help`;

/** Width of an ISO time within years 0 to 9999: the time column of the table. */
const ISO_TIME_WIDTH = "2000-01-01T00:00:00.000Z".length;

/** A message's time (seconds since the epoch) as an ISO time, or as the server's number when no date can hold it. */
function shownTime(seconds: number): string | number {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? seconds : date.toISOString();
}

export async function historyCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const values = parseFlags("history", args, {
    ...flagOptions(CONNECTION_SETTINGS),
    group: { type: "string" },
    topic: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(HISTORY_USAGE + "\n");
    return 0;
  }
  const group = String(values.group ?? "").trim();
  if (!group) throw new InputError("group", "--group: give the group whose history to show.");
  checkId(group, "group", "group", "--group");
  const topic = values.topic === undefined ? undefined : String(values.topic).trim();
  const [scope] = planScopes([group], topic ? [topic] : [], "--topic");
  const sources = [flagSource(values), environmentSource(env)];
  const secrets = secretsOf(sources);
  const connection = resolveConnection(sources, env);
  const client = new ChatClient({ ...connection, secrets });
  try {
    const { messages } = await readHistory(client, scope!, { depth: RECALL_WINDOW }, {});
    for (const m of messages) {
      const time = shownTime(m.time);
      const line = values.json
        ? jsonLine({ seq: m.seq, time, sender: m.from, state: m.state })
        : `${String(m.seq).padStart(8)}  ${String(time).padEnd(ISO_TIME_WIDTH)}  ${m.state.padEnd(8)}  ${terminalText(m.from)}`;
      process.stdout.write(line + "\n");
    }
    if (!values.json) {
      const recalled = messages.filter((m) => m.state === "recalled").length;
      process.stderr.write(`${messages.length} message(s) in the window, ${recalled} recalled.\n`);
    }
    return 0;
  } finally {
    client.close();
  }
}
