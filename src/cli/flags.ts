import { parseArgs, type ParseArgsConfig } from "node:util";
import { closest } from "../recall/closest.js";
import { InputError } from "../recall/input-error.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

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
      const [guess] = closest(name, known, 1);
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
