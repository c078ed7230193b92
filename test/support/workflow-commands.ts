/**
 * Reads a step's output the way the GitHub runner does (actions/runner ActionCommand.TryParseV2 and
 * TryParse): a line is a command when, after leading white space, it starts with "::name ...::" for
 * a registered name, or when it holds "##[name ...]" anywhere. `::stop-commands::TOKEN` turns
 * commands off until `::TOKEN::`.
 */
const REGISTERED = new Set(
  "set-env set-output save-state add-mask add-path add-matcher remove-matcher debug warning error notice group endgroup echo stop-commands".split(
    " ",
  ),
);

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
}

function unescapeV2Data(text: string): string {
  return text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

function unescapeV2Property(text: string): string {
  return text
    .replace(/%0D/g, "\r")
    .replace(/%0A/g, "\n")
    .replace(/%3A/g, ":")
    .replace(/%2C/g, ",")
    .replace(/%25/g, "%");
}

function unescapeLegacy(text: string): string {
  return text
    .replace(/%3B/g, ";")
    .replace(/%0D/g, "\r")
    .replace(/%0A/g, "\n")
    .replace(/%5D/g, "]")
    .replace(/%25/g, "%");
}

function parseV2(line: string, registered: Set<string>): WorkflowCommand | undefined {
  const message = line.replace(/^[\s\u0085]+/, "");
  if (!message.startsWith("::")) return undefined;
  const end = message.indexOf("::", 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(" ");
  const command = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (!registered.has(command)) return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(",")
      .filter(Boolean)) {
      const eq = pair.indexOf("=");
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeV2Property(pair.slice(eq + 1));
    }
  }
  return { command, properties, data: unescapeV2Data(message.slice(end + 2)) };
}

function parseLegacy(line: string, registered: Set<string>): WorkflowCommand | undefined {
  const start = line.indexOf("##[");
  if (start < 0) return undefined;
  const close = line.indexOf("]", start);
  if (close < 0) return undefined;
  const info = line.slice(start + 3, close);
  const space = info.indexOf(" ");
  const command = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (!registered.has(command)) return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info
      .slice(space + 1)
      .split(";")
      .filter(Boolean)) {
      const eq = pair.indexOf("=");
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeLegacy(pair.slice(eq + 1));
    }
  }
  return { command, properties, data: unescapeLegacy(line.slice(close + 1)) };
}

export interface ParsedOutput {
  commands: WorkflowCommand[];
  /** Lines shown as they are (not commands). */
  lines: string[];
}

export function parseWorkflowCommands(output: string): ParsedOutput {
  const registered = new Set(REGISTERED);
  let stopToken: string | undefined;
  const commands: WorkflowCommand[] = [];
  const lines: string[] = [];
  for (const line of output.split(/\r\n|\r|\n/)) {
    const command =
      line.includes("##[") || line.includes("::")
        ? (parseV2(line, registered) ?? parseLegacy(line, registered))
        : undefined;
    if (command && stopToken === undefined && command.command === "stop-commands") {
      stopToken = command.data.toLowerCase();
      registered.add(stopToken);
    } else if (command && stopToken !== undefined && command.command === stopToken) {
      registered.delete(stopToken);
      stopToken = undefined;
    } else if (command && stopToken === undefined) {
      commands.push(command);
    } else {
      lines.push(line);
    }
  }
  return { commands, lines };
}
