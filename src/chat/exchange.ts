import { randomInt } from "node:crypto";
import { judge } from "./answer.js";
import type { Send, Signed } from "./attempt.js";
import { commandPath } from "./endpoint.js";
import type { Caller } from "./signing.js";
import type { Transport } from "./transport.js";

const UINT32_RANGE = 2 ** 32;

/**
 * Sends one attempt: the command's path with a fresh `random`, to the attempt's base URL, with its
 * UserSig, and judges what came back. Every text taken from the exchange goes through `clean`.
 */
export function exchange(
  transport: Transport,
  caller: Caller,
  clean: (text: string) => string,
): Send<Signed> {
  return async ({ call, base, userSig }) => {
    const path = commandPath(call.command, { ...caller, userSig }, randomInt(UINT32_RANGE));
    const outcome = await transport.post(base, path, call.payload, call.signals.abort);
    return { ...judge(outcome, clean), answered: outcome.kind === "answer" };
  };
}
