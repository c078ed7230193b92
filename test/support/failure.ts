import { expect } from "vitest";
import { ChatApiError } from "../../src/chat/errors.js";

/** The ChatApiError a call ends with; the test fails when it ends any other way. */
export async function failure(promise: Promise<unknown>): Promise<ChatApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChatApiError);
  return error as ChatApiError;
}
