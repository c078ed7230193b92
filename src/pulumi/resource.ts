import * as pulumi from "@pulumi/pulumi";
import type { GroupMessageRecallArgs } from "./args.js";
import { CONFIG_NAMESPACE, RESULT_PROPERTIES } from "./names.js";
import { recallProvider } from "./provider.js";

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
