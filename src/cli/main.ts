#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { InputError, quote } from "../recall/input-error.js";
import { emulatorCommand, EMULATOR_USAGE } from "./emulator-command.js";
import { closest } from "../recall/closest.js";
import { historyCommand, HISTORY_USAGE } from "./history-command.js";
import { recallCommand, RECALL_USAGE } from "./recall-command.js";
import { terminalText } from "./terminal.js";

interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  recall: {
    summary: "recall the messages given senders sent to Tencent Cloud Chat groups",
    usage: RECALL_USAGE,
    run: (args) => recallCommand(args, process.env),
  },
  history: {
    summary: "show the messages a recall looks at, recalled or not",
    usage: HISTORY_USAGE,
    run: (args) => historyCommand(args, process.env),
  },
  emulator: {
    summary: "serve a local emulator of the Chat REST API",
    usage: EMULATOR_USAGE,
    run: (args) => emulatorCommand(args),
  },
};

const USAGE = `Usage: tencent-chat-recall <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}
  help CMD   show the help of a command

Options:
  -h, --help     this help
  -V, --version  the version`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function command(name: string): Command {
  if (Object.hasOwn(COMMANDS, name)) return COMMANDS[name]!;
  const [guess] = closest(name, Object.keys(COMMANDS), 1);
  throw new InputError(
    undefined,
    `unknown command ${quote(name)}${guess ? `; did you mean ${guess}?` : ""} See: tencent-chat-recall --help`,
  );
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  try {
    if (name === undefined) {
      process.stderr.write(USAGE + "\n");
      return 2;
    }
    if (name === "-h" || name === "--help") {
      process.stdout.write(USAGE + "\n");
      return 0;
    }
    if (name === "-V" || name === "--version") {
      process.stdout.write(version() + "\n");
      return 0;
    }
    if (name === "help") {
      process.stdout.write((args[0] === undefined ? USAGE : command(args[0]).usage) + "\n");
      return 0;
    }
    return await command(name).run(args);
  } catch (error) {
    const known = error instanceof InputError;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tencent-chat-recall: ${terminalText(message)}\n`);
    return known ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
