import { EOL } from "node:os";
import { issueCommand } from "@actions/core/lib/command.js";
import { issueFileCommand, prepareKeyValueMessage } from "@actions/core/lib/file-command.js";

/*
 * Everything the Action says to the runner goes through here. The runner reads workflow commands
 * from any line that starts with "::" (after white space) and from "##[" anywhere in a line, on
 * stdout and stderr alike; text from outside (server answers, IDs from inputs, exception messages)
 * must never become one. Only @actions/core's command modules are loaded, not the whole toolkit.
 */

/** Longest message a log line or annotation carries. */
const MAX_MESSAGE_CHARS = 4000;
/** White space the runner trims before looking for "::" (.NET's, which includes U+0085). */
const LEADING_SPACE = /^[\s\u0085]*/;

function bounded(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}

/** The legacy "##[command]" form is found anywhere in a line: break it wherever it appears. */
function withoutLegacyCommands(text: string): string {
  return text.replace(/##\[/g, "##%5B");
}

/**
 * A log line that the runner shows as it is and never reads as a command. The runner decodes
 * nothing in a plain line, so only what it would read as a command is changed: line breaks
 * (shown as %0D and %0A, which no line can start a command with), "::" at the start and "##[".
 * A % stays as it is.
 */
export function logLine(text: string): string {
  const line = withoutLegacyCommands(bounded(text).replace(/\r/g, "%0D").replace(/\n/g, "%0A"));
  const lead = LEADING_SPACE.exec(line)![0];
  return line.startsWith("::", lead.length) ? `${lead}%3A${line.slice(lead.length + 1)}` : line;
}

export function info(text: string): void {
  process.stdout.write(logLine(text) + EOL);
}

/** An annotation; the toolkit encodes CR, LF and % in its data, as the runner decodes them. */
export function annotate(kind: "error" | "warning" | "notice", text: string, title?: string): void {
  issueCommand(
    kind,
    title ? { title: withoutLegacyCommands(title) } : {},
    withoutLegacyCommands(bounded(text)),
  );
}

export function debug(text: string): void {
  issueCommand("debug", {}, withoutLegacyCommands(bounded(text)));
}

export function mask(secret: string): void {
  issueCommand("add-mask", {}, secret);
}

export function startGroup(title: string): void {
  issueCommand("group", {}, withoutLegacyCommands(bounded(title)));
}

export function endGroup(): void {
  issueCommand("endgroup", {}, "");
}

export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/** Sets an output; throws when the file GITHUB_OUTPUT names cannot be written. */
export function setOutput(name: string, value: string | number): void {
  if (process.env.GITHUB_OUTPUT) issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  else issueCommand("set-output", { name }, String(value));
}

/** Fails the step with one error annotation. */
export function fail(text: string): void {
  process.exitCode = 1;
  annotate("error", text);
}
