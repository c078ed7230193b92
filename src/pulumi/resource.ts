import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, RESULT_PROPERTIES } from "./names.js";
import { recallProvider } from "./provider.js";

export interface GroupMessageRecallArgs {
  /** The group whose messages to recall. */
  groupId: pulumi.Input<string>;
  /** The user ID whose messages are recalled. */
  senderAccount: pulumi.Input<string>;
  /** A topic of a Community group, `<groupId>@TOPIC#_<name>`. */
  topicId?: pulumi.Input<string | undefined> | undefined;
  /** Any change to these values recalls again. */
  triggers?: pulumi.Input<pulumi.Input<unknown>[]> | undefined;
  /** Else stack configuration `tencent-chat:sdkAppId`, else `TENCENT_CHAT_SDK_APP_ID`. */
  sdkAppId?: pulumi.Input<number | string> | undefined;
  /** Held as a secret. Else `tencent-chat:secretKey`, else `TENCENT_CHAT_SECRET_KEY`. */
  secretKey?: pulumi.Input<string> | undefined;
  /** A ready admin UserSig instead of the secret key. Held as a secret. */
  userSig?: pulumi.Input<string> | undefined;
  /** An app admin account; `administrator` when not set anywhere. */
  identifier?: pulumi.Input<string> | undefined;
  /** The app's region, such as `singapore`; `china` when not set anywhere. */
  region?: pulumi.Input<string> | undefined;
  /** A base URL that replaces the region's domains, such as a local emulator's. */
  endpoint?: pulumi.Input<string> | undefined;
  /** Attempts per call, 1 to 20 (default 5). */
  maxAttempts?: pulumi.Input<number> | undefined;
  /** Seconds to wait for each answer (default 10). */
  requestTimeout?: pulumi.Input<number> | undefined;
  /** Ceiling on calls per second to each API, shared by every resource of the deployment that connects the same way (default 200). */
  maxCallsPerSecond?: pulumi.Input<number> | undefined;
  /** Look the group up first: a missing group fails, an AVChatRoom is skipped (default true). */
  preflight?: pulumi.Input<boolean> | undefined;
  /** Count afterwards what was recalled and what is left; any left fails the recall (default false). */
  verify?: pulumi.Input<boolean> | undefined;
  /** `silent` (default), or `notify` to recall by seq so that clients see it at once. */
  mode?: pulumi.Input<"silent" | "notify"> | undefined;
}

function secretOrUndefined(value: pulumi.Input<string> | undefined): pulumi.Output<string> | undefined {
  return value === undefined ? undefined : pulumi.secret(value);
}

/**
 * Recalls the messages `senderAccount` sent among the last 1,000 messages of a group (or topic) when
 * created, and again whenever `groupId`, `senderAccount`, `topicId` or `triggers` change. A recall
 * cannot be undone: deleting the resource calls nothing. Previews call nothing.
 */
export class GroupMessageRecall extends pulumi.dynamic.Resource {
  declare readonly groupId: pulumi.Output<string>;
  declare readonly senderAccount: pulumi.Output<string>;
  declare readonly topicId: pulumi.Output<string | undefined>;
  declare readonly triggers: pulumi.Output<unknown[] | undefined>;
  /** `OK` once the recall succeeded (a failed recall fails the deployment). */
  declare readonly actionStatus: pulumi.Output<string>;
  declare readonly errorCode: pulumi.Output<number>;
  declare readonly errorInfo: pulumi.Output<string>;
  /** Calls made, retries included. */
  declare readonly attempts: pulumi.Output<number>;
  /** When the recall was made, as an ISO 8601 time. */
  declare readonly recalledAt: pulumi.Output<string>;
  /** With verify or notify, the sender's messages counted as recalled; else null. */
  declare readonly recalledMessages: pulumi.Output<number | null>;
  /** With verify, the sender's messages still not recalled in the window (0, or the recall failed); else null. */
  declare readonly remainingMessages: pulumi.Output<number | null>;

  constructor(name: string, args: GroupMessageRecallArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...args,
      secretKey: secretOrUndefined(args.secretKey),
      userSig: secretOrUndefined(args.userSig),
      ...Object.fromEntries(RESULT_PROPERTIES.map((p) => [p, undefined])),
    };
    super(recallProvider, name, props, opts, CONFIG_NAMESPACE, "GroupMessageRecall");
  }
}
