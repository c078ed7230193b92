import type { SettingName } from "./types.js";

/** Bad input from the user, about one setting: reported as its message alone, before any call is made. */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    /** The setting at fault, when there is one. */
    readonly setting: SettingName | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** A value from outside, quoted for a message and cut to a length a message can carry. */
export function quote(value: string, max = 100): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}
