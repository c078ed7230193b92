import { judge } from "./answer.js";
import type { Send, Signed, Tried } from "./attempt.js";
import { commandPath } from "./endpoint.js";
import { INCONSISTENT_ANSWER } from "./errors.js";
import type { Caller } from "./signing.js";
import type { Transport } from "./transport.js";

/** `random` only tells calls apart: it need not be unpredictable. */
const UINT32_RANGE = 2 ** 32;

/**
 * Sends one attempt: the command's path with a fresh `random`, to the attempt's base URL, with its
 * UserSig, and judges what came back: an OK answer the call cannot read is a transient failure.
 * Every text taken from the exchange goes through `clean`.
 */
export function exchange(
  transport: Transport,
  caller: Caller,
  clean: (text: string) => string,
): Send<Signed> {
  return async ({ call, base, userSig }) => {
    const path = commandPath(call.command, { ...caller, userSig }, Math.floor(Math.random() * UINT32_RANGE));
    const outcome = await transport.post(base, path, call.payload, call.signals.abort);
    const tried = judge(outcome, clean) as Tried;
    tried.answered = outcome.kind === "answer";
    const problem = tried.ok ? call.unreadable?.(tried.response) : undefined;
    if (problem === undefined) return tried;
    const info = `the answer cannot be read: ${clean(problem)}`;
    return {
      ok: false,
      code: INCONSISTENT_ANSWER,
      fromServer: false,
      info,
      retry: "transient",
      answered: true,
    };
  };
}
