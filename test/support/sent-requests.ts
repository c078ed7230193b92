import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";

const REQUEST_START = "http.client.request.start";

/**
 * Calls `onSent` with the command of each Chat API request this process sends, as it goes out (when
 * node:http creates it); returns a function that stops watching.
 */
export function watchSentRequests(onSent: (command: string) => void): () => void {
  const listener = (message: unknown): void => {
    const { request } = message as { request: ClientRequest };
    const command = /\/v4\/([^?]+)/.exec(request.path)?.[1];
    if (command !== undefined) onSent(command);
  };
  subscribe(REQUEST_START, listener);
  return () => void unsubscribe(REQUEST_START, listener);
}
