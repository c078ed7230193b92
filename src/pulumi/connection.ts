import { parseConnection, SETTING_DEFAULTS, type Connection, type SettingName } from "../recall/settings.js";
import { InputError } from "../recall/validate.js";
import { CONNECTION_PROPERTIES, configKey, environmentName } from "./names.js";

/** Stack configuration values (`tencent-chat:*`) keyed by property name. */
export type StackConfig = Partial<Record<string, string>>;
export type Environment = Partial<Record<string, string>>;
export type Properties = Record<string, unknown>;

/** Bad input, with the resource property it concerns. */
export class PropertyError extends InputError {
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(message);
  }
}

interface Found {
  value: string;
  /** The name the value was found under, for messages. */
  label: string;
  /** 0 for the argument, 1 for stack configuration, 2 for the environment. */
  rank: number;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const result = String(value);
  return result.trim() === "" ? undefined : result;
}

/** Where a property is set, in order of precedence: argument, stack configuration, environment. */
function sources(property: string, inputs: Properties, config: StackConfig, env: Environment): Found[] {
  const candidates: [string, unknown][] = [
    [property, inputs[property]],
    [configKey(property), config[property]],
    [environmentName(property), env[environmentName(property)]],
  ];
  return candidates.flatMap(([label, raw], rank) => {
    const value = text(raw);
    return value === undefined ? [] : [{ value, label, rank }];
  });
}

function whereToSet(property: string, example: string): string {
  return `pass the ${property} argument, set the stack configuration ${configKey(property)} (pulumi config set ${example}), or set ${environmentName(property)}`;
}

/**
 * Resolves the connection from the arguments, the stack configuration and the environment, with the
 * same rules as the Action. Messages name the argument, configuration key or variable at fault.
 */
export function resolveConnection(inputs: Properties, config: StackConfig, env: Environment): Connection {
  const raw: Record<SettingName, string> = { ...SETTING_DEFAULTS };
  const labels = new Map<SettingName, string>();
  const properties = new Map<string, string>();
  const use = (setting: SettingName, property: string, found: Found | undefined) => {
    const label = found?.label ?? property;
    labels.set(setting, label);
    properties.set(label, property);
    if (found) raw[setting] = found.value;
  };

  // The secret key and the UserSig are one credential: it comes from the first source that sets either.
  const keys = sources("secretKey", inputs, config, env);
  const sigs = sources("userSig", inputs, config, env);
  const authRank = Math.min(...[...keys, ...sigs].map((f) => f.rank));
  for (const c of CONNECTION_PROPERTIES) {
    if (c.secret) {
      use(
        c.setting,
        c.property,
        (c.property === "secretKey" ? keys : sigs).find((f) => f.rank === authRank),
      );
    } else if (c.shared) {
      use(c.setting, c.property, sources(c.property, inputs, config, env)[0]);
    } else {
      const value = text(inputs[c.property]);
      use(c.setting, c.property, value === undefined ? undefined : { value, label: c.property, rank: 0 });
    }
  }

  if (raw["sdk-app-id"] === "") {
    throw new PropertyError(
      "sdkAppId",
      `sdkAppId: the SDKAppID is required: ${whereToSet("sdkAppId", `${configKey("sdkAppId")} 1400000000`)}.`,
    );
  }
  if (keys.length === 0 && sigs.length === 0) {
    throw new PropertyError(
      "secretKey",
      `secretKey: the app's secret key is required: ${whereToSet("secretKey", `--secret ${configKey("secretKey")}`)}. A ready admin UserSig may be given as userSig instead.`,
    );
  }
  const label = (setting: SettingName) => labels.get(setting) ?? setting;
  try {
    return parseConnection(raw, label);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const culprit = [...properties.keys()]
      .sort((a, b) => b.length - a.length)
      .find((l) => error.message.startsWith(l));
    throw new PropertyError(properties.get(culprit ?? "") ?? "sdkAppId", error.message);
  }
}
