/** Control characters (C0 but tab, DEL, C1) and bidirectional overrides: a terminal may act on them. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The ones JSON.stringify leaves as they are. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escaped(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Text from outside, made safe to print on a terminal: every unsafe character shown as an escape. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** One line of JSON whose strings carry no character a terminal would act on. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_JSON, escaped);
}
