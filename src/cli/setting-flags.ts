import type { ParseArgsConfig } from "node:util";
import { environmentVariable, type SettingSpec, type Source } from "../recall/settings.js";

/** One line of help for a setting's flag. */
export function flagLine(spec: SettingSpec): string {
  const flag = spec.boolean ? `--${spec.name}` : `--${spec.name} ${spec.placeholder}`;
  const extras = [
    spec.default && !spec.boolean
      ? `default ${spec.default}`
      : spec.boolean && spec.default === "true"
        ? `on; --no-${spec.name} to turn off`
        : "",
    spec.environment ? `env ${environmentVariable(spec)}` : "",
  ].filter(Boolean);
  return `  ${flag.padEnd(28)} ${spec.summary}${extras.length ? ` (${extras.join("; ")})` : ""}`;
}

/** The parseArgs options of settings: switches for booleans, repeatable flags for lists. */
export function flagOptions(specs: readonly SettingSpec[]): NonNullable<ParseArgsConfig["options"]> {
  return Object.fromEntries(
    specs.map((spec) => [
      spec.name,
      { type: spec.boolean ? "boolean" : "string", multiple: spec.ids !== undefined },
    ]),
  );
}

/** The flags given, as a source of settings. */
export function flagSource(values: Record<string, unknown>): Source {
  return {
    get: (spec) => {
      const value = values[spec.name];
      if (value === undefined) return undefined;
      return { values: (Array.isArray(value) ? value : [value]).map(String) };
    },
    label: (spec) => `--${spec.name}`,
  };
}
