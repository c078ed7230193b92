import * as pulumi from "@pulumi/pulumi";
import { GroupMessageRecall } from "tencent-chat-recall/pulumi";

// Credentials and region come from the stack configuration:
//   pulumi config set tencent-chat:sdkAppId 1400000000
//   pulumi config set --secret tencent-chat:secretKey <the app's secret key>
//   pulumi config set tencent-chat:region singapore
// (or from TENCENT_CHAT_SDK_APP_ID, TENCENT_CHAT_SECRET_KEY and TENCENT_CHAT_REGION).
// Set tencent-chat:endpoint to http://127.0.0.1:8080 to try it against a local emulator.
const config = new pulumi.Config();

const purge = new GroupMessageRecall("purge-spammer", {
  groupId: config.get("groupId") ?? "@TGS#2C5SZEAEF",
  senderAccount: config.get("senderAccount") ?? "leckie",
  // Change a trigger (an incident number, a date) to recall again.
  triggers: [config.get("incident") ?? "incident-4711"],
});

export const status = purge.actionStatus;
export const recalledAt = purge.recalledAt;
