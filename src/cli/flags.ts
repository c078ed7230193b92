import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../recall/input-error.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Edit distance, to suggest the flag a user meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (!best || d < best.d) best = { candidate, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

/**
 * Parses a command's flags; `-h`/`--help` are always known. An unknown flag is an InputError that
 * suggests the nearest known one and points to `--help`.
 */
type FlagValue<O> = O extends { type: "boolean" }
  ? O extends { multiple: true }
    ? boolean[]
    : boolean
  : O extends { multiple: true }
    ? string[]
    : string;

/** The flags given, by name (always there when they have a default); `help` too. */
export type Flags<T extends Options> = {
  [K in keyof T as T[K] extends { default: unknown } ? K : never]: FlagValue<T[K]>;
} & { [K in keyof T as T[K] extends { default: unknown } ? never : K]?: FlagValue<T[K]> } & {
  help?: boolean;
};

export function parseFlags<const T extends Options>(command: string, args: string[], options: T): Flags<T> {
  const config = {
    args,
    options: { ...options, help: { type: "boolean", short: "h" } } as const,
    strict: true,
    allowPositionals: false,
    allowNegative: true,
  } as const;
  try {
    return parseArgs(config).values as unknown as Flags<T>;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const flag = /'(-{1,2}[^'\s]+)'/.exec(message)?.[1] ?? "";
      const name = flag.replace(/^-+/, "").replace(/=.*$/, "");
      const known = Object.entries(config.options as Options).flatMap(([n, o]) =>
        o.type === "boolean" ? [n, `no-${n}`] : [n],
      );
      const guess = nearest(name, known);
      throw new InputError(
        undefined,
        `unknown flag ${flag || name}${guess ? `; did you mean --${guess}?` : ""} See: tencent-chat-recall ${command} --help`,
      );
    }
    if (code?.startsWith("ERR_PARSE_ARGS")) {
      throw new InputError(
        undefined,
        `${message.replace(/\s+/g, " ")} See: tencent-chat-recall ${command} --help`,
      );
    }
    throw error;
  }
}
