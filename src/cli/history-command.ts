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

/** How much of a message's text the table shows, in characters (an escape counting its length); --json shows it whole. */
const SHOWN_TEXT_CHARS = 60;
/** How much of an element's type a placeholder such as `[TIMImageElem]` shows. */
const SHOWN_TYPE_CHARS = 40;
/** The sender column is as wide as the longest sender in the window, up to this; a longer one is cut. */
const SENDER_WIDTH = 32;

export const HISTORY_USAGE = `Usage: tencent-chat-recall history --group ID [--topic ID] [options]

Prints the messages of the window a recall looks at (the newest 1,000 of the group or topic), newest
first: seq, time, whether each is kept, recalled, or gone (deleted or expired), sender, and text (its
first ${SHOWN_TEXT_CHARS} characters; with --json, whole; other elements as [TIMImageElem] and the like).
Look before and after a recall. Nothing is changed.

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

/** One element of a message body: its text, or its type in brackets. */
function elementText(element: unknown): { text: string; placeholder: boolean } {
  const { MsgType: type, MsgContent: content } = (element ?? {}) as {
    MsgType?: unknown;
    MsgContent?: unknown;
  };
  const text = (content as { Text?: unknown } | null | undefined)?.Text;
  if (type === "TIMTextElem" && typeof text === "string") return { text, placeholder: false };
  const name = typeof type === "string" ? [...type].slice(0, SHOWN_TYPE_CHARS).join("") : "unknown element";
  return { text: `[${name}]`, placeholder: true };
}

/**
 * A message's text: the `MsgContent.Text` of its text elements, joined, with every other element as
 * its type in brackets (`[TIMImageElem]`), set off by spaces; null when the body is not a list (the
 * server sends an empty one for a recalled or gone message).
 */
function messageText(body: unknown): string | null {
  if (!Array.isArray(body)) return null;
  const pieces = body.map(elementText);
  return pieces
    .map((piece, i) => (i > 0 && (piece.placeholder || pieces[i - 1]!.placeholder) ? " " : "") + piece.text)
    .join("");
}

/** Text escaped for the terminal and cut to `max` characters with an ellipsis, never inside an escape. */
function shortened(text: string, max: number): string {
  const units = [...text].map(terminalText);
  const whole = units.join("");
  if (whole.length <= max) return whole;
  let shown = "";
  for (const unit of units) {
    if (shown.length + unit.length > max - 1) break;
    shown += unit;
  }
  return `${shown}…`;
}

/** A message's text for the table: on one line, escaped, and cut to `SHOWN_TEXT_CHARS`. */
function tableText(text: string | null): string {
  return shortened((text ?? "").replace(/\s+/g, " ").trim(), SHOWN_TEXT_CHARS);
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
    const { messages } = await readHistory(client, scope!, { depth: RECALL_WINDOW, bodies: true }, {});
    const senders = values.json ? [] : messages.map((m) => shortened(m.from, SENDER_WIDTH));
    const senderWidth = Math.max(0, ...senders.map((sender) => sender.length));
    for (const [i, m] of messages.entries()) {
      const time = shownTime(m.time);
      const text = messageText(m.body);
      let line: string;
      if (values.json) line = jsonLine({ seq: m.seq, time, sender: m.from, state: m.state, text });
      else {
        const shown = tableText(text);
        const sender = senders[i]!;
        line = `${String(m.seq).padStart(8)}  ${String(time).padEnd(ISO_TIME_WIDTH)}  ${m.state.padEnd(8)}  ${shown ? `${sender.padEnd(senderWidth)}  ${shown}` : sender}`;
      }
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
