import type { Routed, Send, Signed } from "./attempt.js";
import type { Clock } from "./clock.js";
import type { Secrets } from "./secrets.js";
import { DEFAULT_USERSIG_LIFETIME_SECONDS, signUserSig } from "./usersig.js";

export type ChatAuth = { secretKey: string } | { userSig: string };

/** The app, and the admin account its calls are made as. */
export interface Caller {
  sdkAppId: number;
  identifier: string;
}

/** A UserSig the client signed is renewed this long before it expires (or halfway, if sooner). */
const RESIGN_MARGIN_SECONDS = 300;

/**
 * The UserSig attempts are sent with. Given the secret key, it signs one, renews it before it
 * expires, and signs anew after `renew`; each is added to the run's secrets before it is used.
 * A UserSig given as such is used as it is, and cannot be renewed.
 */
export class Signer {
  private sig: { value: string; renewAt: number } | undefined;

  constructor(
    private readonly auth: ChatAuth,
    private readonly caller: Caller,
    private readonly secrets: Secrets,
    private readonly clock: Clock,
    private readonly lifetimeSeconds = DEFAULT_USERSIG_LIFETIME_SECONDS,
  ) {
    if ("secretKey" in auth) secrets.addSecretKey(auth.secretKey);
    else secrets.addUserSig(auth.userSig);
  }

  get canRenew(): boolean {
    return "secretKey" in this.auth;
  }

  current(): string {
    const { auth, lifetimeSeconds: lifetime } = this;
    if ("userSig" in auth) return auth.userSig;
    const nowSeconds = this.clock.epochSeconds();
    if (!this.sig || nowSeconds >= this.sig.renewAt) {
      const value = signUserSig(auth.secretKey, { ...this.caller, expire: lifetime, time: nowSeconds });
      this.secrets.addUserSig(value);
      this.sig = {
        value,
        renewAt: nowSeconds + Math.max(1, lifetime - Math.min(RESIGN_MARGIN_SECONDS, lifetime / 2)),
      };
    }
    return this.sig.value;
  }

  /** Drops the current UserSig: the next one is signed anew. */
  renew(): void {
    this.sig = undefined;
  }
}

/**
 * Sends each attempt with the signer's current UserSig. When the server says it expired or was
 * invalidated, a call may renew it once, and only with the secret key; otherwise that failure is final.
 */
export function sign(signer: Signer, next: Send<Signed>): Send<Routed> {
  return async (attempt) => {
    const tried = await next({ ...attempt, userSig: signer.current() });
    const { call } = attempt;
    if (tried.ok || tried.retry !== "resign" || call.resigned || !signer.canRenew) return tried;
    return {
      ...tried,
      mend: () => {
        call.resigned = true;
        signer.renew();
      },
    };
  };
}
