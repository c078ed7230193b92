import type { IncomingMessage } from "node:http";

export type BodyResult = { text: string } | { tooLarge: true } | { aborted: true };

/**
 * Reads a request body of at most `limit` bytes. Past the limit it stops collecting and reports
 * tooLarge at once (without reading at all when Content-Length already says so).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) {
    req.on("error", () => {});
    req.pause();
    return Promise.resolve({ tooLarge: true });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        settle({ tooLarge: true });
      } else {
        chunks.push(chunk);
      }
    };
    req.on("data", onData);
    req.once("end", () => settle({ text: Buffer.concat(chunks, size).toString("utf8") }));
    req.on("error", () => settle({ aborted: true }));
    req.once("close", () => settle({ aborted: true }));
  });
}
