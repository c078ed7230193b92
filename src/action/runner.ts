import {
  debug as coreDebug,
  endGroup as coreEndGroup,
  error,
  getInput as coreGetInput,
  info as coreInfo,
  notice,
  setFailed,
  setOutput as coreSetOutput,
  setSecret,
  startGroup as coreStartGroup,
  warning,
} from "@actions/core";

/*
 * Everything the Action says to the runner goes through here, and from here through @actions/core's
 * public API only (so that the toolkit's fixes reach us, and @github/local-action can stand in for
 * it). The runner reads workflow commands from any line that starts with "::" (after white space)
 * and from "##[" anywhere in a line, on stdout and stderr alike; text from outside (server answers,
 * IDs from inputs, exception messages) must never become one. The toolkit encodes CR, LF and % in a
 * command's data and properties; the rest (a plain line, "##[" anywhere, the length) is ours.
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
  coreInfo(logLine(text));
}

const ANNOTATE = { error, warning, notice };

/** An annotation; the toolkit encodes CR, LF and % in its data and title, as the runner decodes them. */
export function annotate(kind: "error" | "warning" | "notice", text: string, title?: string): void {
  ANNOTATE[kind](withoutLegacyCommands(bounded(text)), title ? { title: withoutLegacyCommands(title) } : {});
}

export function debug(text: string): void {
  coreDebug(withoutLegacyCommands(bounded(text)));
}

export function mask(secret: string): void {
  setSecret(secret);
}

export function startGroup(title: string): void {
  coreStartGroup(withoutLegacyCommands(bounded(title)));
}

export function endGroup(): void {
  coreEndGroup();
}

/** An input, trimmed (said explicitly: @github/local-action's stand-in trims only when asked). */
export function getInput(name: string): string {
  return coreGetInput(name, { trimWhitespace: true });
}

/** Sets an output; throws when the file GITHUB_OUTPUT names cannot be written. */
export function setOutput(name: string, value: string | number): void {
  coreSetOutput(name, value);
}

/** Fails the step (exit code 1) with one error annotation. */
export function fail(text: string): void {
  setFailed(withoutLegacyCommands(bounded(text)));
}
