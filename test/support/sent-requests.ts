import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { REQUEST_CHANNEL } from "../../src/chat/transport.js";

/**
 * Calls `onSent` with the command of each Chat API request this process sends, as it goes out (when
 * the transport hands it to a connection); returns a function that stops watching.
 */
export function watchSentRequests(onSent: (command: string) => void): () => void {
  const listener = (message: unknown): void => {
    const { path } = message as { path: string };
    const command = /\/v4\/([^?]+)/.exec(path)?.[1];
    if (command !== undefined) onSent(command);
  };
  subscribe(REQUEST_CHANNEL, listener);
  return () => void unsubscribe(REQUEST_CHANNEL, listener);
}
