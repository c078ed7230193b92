#!/usr/bin/env node
import { redactUserSig } from "../chat/endpoint.js";
import { InputError } from "../recall/validate.js";
import { emulatorCommand, EMULATOR_USAGE } from "./emulator-command.js";
import { recallCommand, RECALL_USAGE } from "./recall-command.js";

const USAGE = `Usage: tencent-chat-recall <command> [options]

Commands:
  recall     recall the messages given senders sent to Tencent Cloud Chat groups
  emulator   serve a local emulator of the Chat REST API

${RECALL_USAGE}

${EMULATOR_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === "recall") return await recallCommand(args, process.env);
    if (command === "emulator") return await emulatorCommand(args);
    if (command === undefined || command === "help" || command === "--help") {
      process.stdout.write(USAGE + "\n");
      return command === undefined ? 2 : 0;
    }
    throw new InputError(`unknown command ${JSON.stringify(command)}; use recall or emulator (see --help).`);
  } catch (error) {
    const known =
      error instanceof InputError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`tencent-chat-recall: ${redactUserSig((error as Error).message)}\n`);
    return known ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
