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
  /** Ceilings of particular APIs, in calls per second, API=N a line or separated by commas - for a limit bought for an API (group_msg_get_simple, get_group_info, get_joined_group_list), or a lower one. They replace max-calls-per-second for those APIs. APIs - delete_group_msg_by_sender, group_msg_recall, group_msg_get_simple, get_group_info, get_appid_group_list, get_joined_group_list, get_topic, account_check. Without one, account_check keeps to its documented 100/s and get_appid_group_list to 1/s; the recall APIs cannot be bought higher than 200/s. */
  apiCeilings?: pulumi.Input<string> | undefined;
  /** Look every group up first (get_group_info) - a missing group fails its pairs with no recall, an AVChatRoom (no history) skips them, a topic of a group that is not a Community stops the run before any recall - and check every sender (account_check) - one that is not an account and has no messages where the run looks fails. Set false for an admin without those permissions. Default `true`. */
  preflight?: pulumi.Input<boolean> | undefined;
  /** After the recall, count per pair the sender's messages in the window that are recalled and those still not; a pair with any left fails. Default `false`. */
  verify?: pulumi.Input<boolean> | undefined;
  /** silent (delete_group_msg_by_sender - clients see it when they pull history) or notify (find the sender's messages and recall them by seq with group_msg_recall - clients see it at once). Default `silent`. */
  mode?: pulumi.Input<"silent" | "notify"> | undefined;
  /** Only the messages sent at or after this time - an ISO 8601 time with its zone (2026-12-01T08:00:00Z) or a duration back from now (90m, 36h, 7d). Recalls by seq with group_msg_recall (clients see it at once). */
  since?: pulumi.Input<string> | undefined;
  /** Only the messages sent at or before this time - an ISO 8601 time with its zone (2026-12-01T08:00:00Z) or a duration back from now (90m, 36h, 7d). Recalls by seq with group_msg_recall (clients see it at once). */
  until?: pulumi.Input<string> | undefined;
  /** Messages to search back in each group or topic, 1 to 100000. Any depth but 1000 (what delete_group_msg_by_sender reaches) finds the sender's messages by paging the history, 20 a call, and recalls them by seq with group_msg_recall, which reaches any message still in the roaming history. Default `1000`. */
  depth?: pulumi.Input<number | string> | undefined;
  /** Why the messages are recalled, at most 100 bytes, sent as group_msg_recall's Reason. Needs a recall by seq (mode notify, a time window, a depth other than 1000, or archive): the silent API has no reason field. */
  reason?: pulumi.Input<string> | undefined;
}
