import * as core from "@actions/core";
import {
  parseSettings,
  SETTING_DEFAULTS,
  type RecallSettings,
  type SettingName,
} from "../recall/settings.js";

/**
 * Reads and validates the step's inputs. The secrets among them are masked before anything else
 * happens, so no later log line can show them.
 */
export function readInputs(): RecallSettings {
  const raw = Object.fromEntries(
    Object.keys(SETTING_DEFAULTS).map((name) => [name, core.getInput(name)]),
  ) as Record<SettingName, string>;
  for (const secret of [raw["secret-key"], raw["user-sig"]]) {
    if (secret.trim()) core.setSecret(secret.trim());
  }
  return parseSettings(raw, (name) => `Input "${name}"`);
}
