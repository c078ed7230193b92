import { ChatClient, type ChatClientOptions } from "../../src/chat/client.js";

/** A client calling `endpoint` as the app's administrator: one attempt, 5 s, 200 calls/s unless `more` says otherwise. */
export function adminClient(
  app: { sdkAppId: number; secretKey: string },
  endpoint: string,
  more: Partial<ChatClientOptions> = {},
): ChatClient {
  return new ChatClient({
    sdkAppId: app.sdkAppId,
    identifier: "administrator",
    auth: { secretKey: app.secretKey },
    region: "china",
    endpoint,
    maxAttempts: 1,
    requestTimeoutMs: 5000,
    maxCallsPerSecond: 200,
    ...more,
  });
}
