import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/index.js";

export const APP_ID = 1400000001;
export const SECRET_KEY = "test-secret-key-5f2c9a";

/** An emulator with one app (admin `administrator`) and a group where several users posted. */
export async function emulatorWithGroup(
  options: Partial<EmulatorOptions> = {},
): Promise<{ emulator: Emulator; groupId: string }> {
  const emulator = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }], ...options });
  const groupId = emulator.state.createGroup(APP_ID, { type: "Public", name: "general" });
  for (const [from, text] of [
    ["alice", "hello"],
    ["mallory", "buy cheap watches"],
    ["bob", "hi alice"],
    ["mallory", "click this link"],
  ] as const) {
    emulator.state.sendMessage(APP_ID, groupId, from, text);
  }
  return { emulator, groupId };
}

/** Action inputs that call `endpoint` as the admin of the test app, recalling mallory's messages unless `more` says otherwise. */
export function appInputs(endpoint: string, more: Record<string, string> = {}): Record<string, string> {
  return { sender: "mallory", "sdk-app-id": String(APP_ID), "secret-key": SECRET_KEY, endpoint, ...more };
}

export function recalledSenders(emulator: Emulator, groupId: string, topicId?: string): string[] {
  return emulator.state
    .history(APP_ID, groupId, topicId)
    .filter((m) => m.recalled)
    .map((m) => m.from);
}
