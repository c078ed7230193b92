import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What the server does with one request. */
export type Behaviour =
  | { json: unknown; status?: number; headers?: Record<string, string> }
  | { body: string; status?: number; headers?: Record<string, string> }
  /** Destroys the connection before answering, or after sending half of a body that declares its length. */
  | { reset: "before-answer" | "mid-body" }
  /** Never answers. */
  | { hang: true }
  /** Streams this many bytes of body. */
  | { bytes: number };

export interface SeenRequest {
  path: string;
  query: URLSearchParams;
  body: string;
}

/**
 * A small HTTP server on 127.0.0.1 that misbehaves on purpose, independent of the emulator: each
 * request takes the next behaviour from the script (the last one repeats), or asks `decide`.
 */
export class FaultServer {
  readonly requests: SeenRequest[] = [];
  private readonly sockets = new Set<Socket>();
  private server!: Server;
  url = "";

  constructor(private readonly script: Behaviour[] | ((request: SeenRequest, index: number) => Behaviour)) {}

  static async start(
    script: Behaviour[] | ((request: SeenRequest, index: number) => Behaviour),
  ): Promise<FaultServer> {
    const server = new FaultServer(script);
    await server.listen();
    return server;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.sockets.forEach((s) => s.destroy());
      this.server.close(() => resolve());
    });
  }

  private next(request: SeenRequest, index: number): Behaviour {
    if (typeof this.script === "function") return this.script(request, index);
    return this.script[Math.min(index, this.script.length - 1)]!;
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://fault");
    const request = { path: url.pathname, query: url.searchParams, body: Buffer.concat(chunks).toString() };
    this.requests.push(request);
    const behaviour = this.next(request, this.requests.length - 1);
    if ("hang" in behaviour) return;
    if ("reset" in behaviour) {
      if (behaviour.reset === "before-answer") return void req.socket.destroy();
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"ActionStatus":"OK","Err');
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    if ("bytes" in behaviour) {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, "x");
      let sent = 0;
      const pump = (): void => {
        while (sent < behaviour.bytes && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
      return;
    }
    const body = "json" in behaviour ? JSON.stringify(behaviour.json) : behaviour.body;
    res.writeHead(behaviour.status ?? 200, { "content-type": "application/json", ...behaviour.headers });
    res.end(body);
  }
}
