import { decodeUserSig, inflateUserSig, userSigAsBase64 } from "./usersig.js";

const REDACTED = "***";
const USERSIG_QUERY = /(usersig=)[^&\s"']*/gi;

function uriForms(text: string): string[] {
  const encoded = encodeURIComponent(text);
  const upper = encoded.replace(/\*/g, "%2A");
  return [encoded, upper, upper.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())];
}

function jsonForms(text: string): string[] {
  const escaped = JSON.stringify(text).slice(1, -1);
  return [escaped, escaped.replace(/\//g, "\\/")];
}

/** Every way a text may be written where a secret could leak: as is, URL-encoded, JSON-escaped, base64. */
function writtenForms(text: string): string[] {
  return [text, ...uriForms(text), ...jsonForms(text), Buffer.from(text, "utf8").toString("base64")];
}

/**
 * The secrets of a run (the secret key, every UserSig) in every form they may take. Each form is
 * announced to `onSecret` (to mask it in the runner log) when it is added, before it is used, and
 * `redact` removes every known form, and any `usersig=` query value, from a text.
 */
export class Secrets {
  private readonly forms = new Set<string>();
  private ordered: string[] = [];

  constructor(private readonly onSecret: (form: string) => void = () => {}) {}

  addSecretKey(secretKey: string): void {
    this.add(writtenForms(secretKey));
  }

  /** The UserSig, its standard base64 form, its inflated JSON and the HMAC inside it, each as written anywhere. */
  addUserSig(userSig: string): void {
    const parts = [userSig, userSigAsBase64(userSig)];
    const json = inflateUserSig(userSig);
    if (json) parts.push(json);
    const sig = decodeUserSig(userSig)?.sig;
    if (sig) parts.push(sig);
    this.add(parts.flatMap(writtenForms));
  }

  redact(text: string): string {
    let out = text.replace(USERSIG_QUERY, `$1${REDACTED}`);
    for (const form of this.ordered) out = out.replaceAll(form, REDACTED);
    return out;
  }

  private add(forms: string[]): void {
    const before = this.forms.size;
    for (const form of forms) {
      if (form.trim() === "" || this.forms.has(form)) continue;
      this.forms.add(form);
      this.onSecret(form);
    }
    if (this.forms.size > before) this.ordered = [...this.forms].sort((a, b) => b.length - a.length);
  }
}
