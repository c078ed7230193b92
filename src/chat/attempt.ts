import type { ChatResponse, Failure, Success } from "./answer.js";

export interface CallSignals {
  /** No attempt starts after this: a call not sent yet fails as NOT_ATTEMPTED, a retry is given up. */
  stop?: AbortSignal;
  /** Cuts the exchange in flight. */
  abort?: AbortSignal;
}

/** One call on its way through the layers, with what the call itself has done so far. */
export interface Call {
  readonly command: string;
  /** The JSON body every attempt sends. */
  readonly payload: string;
  readonly signals: CallSignals;
  /** Why an OK answer cannot be read (a field missing or of the wrong type), or undefined when it can. */
  readonly unreadable?: Unreadable;
  /** This call renewed its UserSig already: it does not again. */
  resigned: boolean;
}

/** Why an OK answer cannot be read, or undefined when it can: such an answer is retried as transient, then fails. */
export type Unreadable = (response: ChatResponse) => string | undefined;

/** An answer whose `field` is missing, not a list, or holds something other than objects cannot be read. */
export function unlessListOfObjects(field: string): Unreadable {
  return (response) => {
    const list = response[field];
    if (!Array.isArray(list)) return `${field} is missing or not a list`;
    const at = list.findIndex((entry) => entry === null || typeof entry !== "object");
    return at === -1 ? undefined : `${field}[${at}] is not an object`;
  };
}

/** One attempt of a call, as the layers fill it in on its way to the exchange. */
export interface Attempt {
  readonly call: Call;
}

/** An attempt sent to this base URL. */
export interface Routed extends Attempt {
  readonly base: string;
}

/** An attempt sent with this UserSig. */
export interface Signed extends Routed {
  readonly userSig: string;
}

export interface Failed extends Failure {
  ok: false;
  /** Makes an immediate retry worth it (a fresh UserSig, the next domain); run only if the call is retried. */
  mend?: () => void;
}

/** How an attempt went. */
export type Tried = (Success | Failed) & {
  /** The server sent an HTTP answer, whatever its status or body; a network failure or timeout is none. */
  answered: boolean;
};

/** Sends one attempt and tells how it went. Each layer is a Send that wraps the next one inward. */
export type Send<A extends Attempt = Attempt> = (attempt: A) => Promise<Tried>;
