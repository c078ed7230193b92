// Written by `npm run docs` from src/recall/settings.ts.
import type * as pulumi from "@pulumi/pulumi";

export interface GroupMessageRecallArgs {
  /** The group whose messages to recall. */
  groupId: pulumi.Input<string>;
  /** The user ID whose messages are recalled. */
  senderAccount: pulumi.Input<string>;
  /** A topic of the Community group, `<groupId>@TOPIC#_<name>`. */
  topicId?: pulumi.Input<string> | undefined;
  /** Any list of values; a change recalls again. */
  triggers?: pulumi.Input<pulumi.Input<unknown>[]> | undefined;
  /** The SDKAppID of the Chat app (a positive integer below 2^32). Else `tencent-chat:sdkAppId`, else `TENCENT_CHAT_SDK_APP_ID`. */
  sdkAppId?: pulumi.Input<number | string> | undefined;
  /** The app's secret key, held as a Pulumi secret. Else `tencent-chat:secretKey`, else `TENCENT_CHAT_SECRET_KEY`. */
  secretKey?: pulumi.Input<string> | undefined;
  /** A ready admin UserSig instead of the secret key, held as a Pulumi secret. Else `tencent-chat:userSig`, else `TENCENT_CHAT_USER_SIG`. */
  userSig?: pulumi.Input<string> | undefined;
  /** The app admin account the calls are made as. Else `tencent-chat:identifier`, else `TENCENT_CHAT_IDENTIFIER`. Default `administrator`. */
  identifier?: pulumi.Input<string> | undefined;
  /** Region of the app's data center - china, singapore, seoul, frankfurt, mumbai, silicon-valley, jakarta, tokyo or riyadh. Else `tencent-chat:region`, else `TENCENT_CHAT_REGION`. Default `china`. */
  region?: pulumi.Input<string> | undefined;
  /** Base URL replacing the region's domain (a proxy, the emulator) - https, or http only for loopback; no query or fragment. Else `tencent-chat:endpoint`, else `TENCENT_CHAT_ENDPOINT`. */
  endpoint?: pulumi.Input<string> | undefined;
  /** Attempts per call for transient failures, 1 to 20. Rate-limited answers are retried apart, paced by the rate limiter. Default `5`. */
  maxAttempts?: pulumi.Input<number | string> | undefined;
  /** Seconds allowed for each HTTP request, 1 to 600. Default `10`. */
  requestTimeout?: pulumi.Input<number | string> | undefined;
  /** Ceiling on calls per second to each API, 1 to 50000, shared by every call that connects the same way (the documented limit is 200 per SDKAppID). Default `200`. */
  maxCallsPerSecond?: pulumi.Input<number | string> | undefined;
  /** Look every group up first (get_group_info) - a missing group fails its pairs with no recall, an AVChatRoom (no history) skips them, a topic of a group that is not a Community stops the run before any recall. Set false for an admin without that permission. Default `true`. */
  preflight?: pulumi.Input<boolean> | undefined;
  /** After the recall, count per pair the sender's messages in the window that are recalled and those still not; a pair with any left fails. Default `false`. */
  verify?: pulumi.Input<boolean> | undefined;
  /** silent (delete_group_msg_by_sender - clients see it when they pull history) or notify (find the sender's messages and recall them by seq with group_msg_recall - clients see it at once). Default `silent`. */
  mode?: pulumi.Input<"silent" | "notify"> | undefined;
}
