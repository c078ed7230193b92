import { InputError } from "../recall/input-error.js";
import { environmentSource, SETTINGS, type SettingSpec, type Source } from "../recall/settings.js";
import { argumentTypes, configKey } from "./names.js";

/** Stack configuration values (`tencent-chat:*`) keyed by property name. */
export type StackConfig = Partial<Record<string, string>>;
export type Environment = Partial<Record<string, string>>;
export type Properties = Record<string, unknown>;

/** An argument as text, once it is of its declared type. */
function text(spec: SettingSpec, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const accepted: readonly string[] = argumentTypes(spec);
  const got = Array.isArray(value) ? "array" : typeof value;
  if (!accepted.includes(got)) {
    throw new InputError(
      spec.name,
      `${spec.property}: expected a ${accepted.join(" or a ")}, got ${/^[ao]/.test(got) ? "an" : "a"} ${got}.`,
    );
  }
  return String(value);
}

/** The resource's arguments: IDs are single values, taken as they are. */
function argumentSource(inputs: Properties): Source {
  return {
    get: (spec) => {
      const value = spec.property ? text(spec, inputs[spec.property]) : undefined;
      return value === undefined ? undefined : { values: [value], exact: spec.ids !== undefined };
    },
    label: (spec) => spec.property,
  };
}

function stackConfigSource(config: StackConfig): Source {
  return {
    get: (spec) => {
      const value = spec.stackConfig ? config[spec.property!] : undefined;
      return value === undefined ? undefined : { values: [value] };
    },
    label: (spec) => (spec.stackConfig ? configKey(spec.property!) : undefined),
  };
}

/** Where a resource's settings come from, in order: its arguments, the stack configuration, the environment. */
export function resourceSources(inputs: Properties, config: StackConfig, env: Environment): Source[] {
  return [argumentSource(inputs), stackConfigSource(config), environmentSource(env)];
}

export function readStackConfig(config: { get(key: string): unknown }): StackConfig {
  const result: StackConfig = {};
  for (const { property, stackConfig } of SETTINGS) {
    const value = stackConfig ? config.get(configKey(property!)) : undefined;
    if (value !== undefined && value !== null && value !== "") result[property!] = String(value);
  }
  return result;
}
