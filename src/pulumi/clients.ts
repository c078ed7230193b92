import { createHash } from "node:crypto";
import { ChatClient } from "../chat/client.js";
import type { Secrets } from "../chat/secrets.js";
import type { Connection } from "../recall/settings.js";

/*
 * One provider host serves every GroupMessageRecall of a deployment, concurrently. Resources that
 * connect the same way share one client, so that its limiters hold all of them under the ceiling.
 */
const clients = new Map<string, ChatClient>();

export function sharedClient(connection: Connection, secrets: Secrets): ChatClient {
  const credential = createHash("sha256").update(JSON.stringify(connection.auth)).digest("hex");
  const key = JSON.stringify({ ...connection, auth: credential });
  let client = clients.get(key);
  if (!client) clients.set(key, (client = new ChatClient({ ...connection, secrets })));
  return client;
}

export function closeSharedClients(): void {
  clients.forEach((client) => client.close());
  clients.clear();
}
