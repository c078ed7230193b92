import { ACCOUNT_COMMANDS } from "./account-commands.js";
import type { Handler } from "./command-call.js";
import { GROUP_COMMANDS } from "./group-commands.js";
import { MESSAGE_COMMANDS } from "./message-commands.js";

/** The REST commands the emulator answers, by their path below /v4/. */
export const COMMANDS: ReadonlyMap<string, Handler> = new Map([
  ...MESSAGE_COMMANDS,
  ...GROUP_COMMANDS,
  ...ACCOUNT_COMMANDS,
]);
