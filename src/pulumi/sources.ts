import { environmentSource, SETTINGS, type Source } from "../recall/settings.js";
import { configKey } from "./names.js";

/** Stack configuration values (`tencent-chat:*`) keyed by property name. */
export type StackConfig = Partial<Record<string, string>>;
export type Environment = Partial<Record<string, string>>;
export type Properties = Record<string, unknown>;

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value);
}

/** The resource's arguments: IDs are single values, taken as they are. */
function argumentSource(inputs: Properties): Source {
  return {
    get: (spec) => {
      const value = spec.property ? text(inputs[spec.property]) : undefined;
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
