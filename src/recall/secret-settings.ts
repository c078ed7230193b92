import { Secrets } from "../chat/secrets.js";
import { SETTINGS, type Source } from "./settings.js";

/**
 * The run's secrets: every secret setting that any source gives, in every form it may take, each
 * announced to `onSecret` (to mask it) before anything is logged or any setting is checked.
 */
export function secretsOf(sources: readonly Source[], onSecret?: (form: string) => void): Secrets {
  const secrets = new Secrets(onSecret);
  for (const spec of SETTINGS.filter((s) => s.secret)) {
    for (const source of sources) {
      for (const value of source.get(spec)?.values ?? []) {
        if (spec.name === "user-sig") secrets.addUserSig(value.trim());
        else secrets.addSecretKey(value.trim());
      }
    }
  }
  return secrets;
}
