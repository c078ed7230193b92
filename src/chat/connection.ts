import { Socket } from "node:net";
import { systemClock } from "./clock.js";
import { AnswerReader, type AnswerRead } from "./http-answer.js";
import { networkFailure, noAnswer, retryAfterMs, type HttpOutcome } from "./http-outcome.js";

/** A connection being opened through a proxy's tunnel: its socket once the tunnel stands. */
export interface Tunnel {
  ready: Promise<Socket>;
  cancel(): void;
}

/** Opens a connection to the server: a socket at once, or a tunnel. */
export type Dial = () => Socket | Tunnel;

/** A connection is not used again this close to the end of the idle time its server keeps it open for. */
const KEEP_ALIVE_MARGIN_MS = 1000;

/** Where an exchange's outcome goes. */
export interface Receiver {
  settle(outcome: HttpOutcome): void;
}

function outcomeOf(read: AnswerRead): HttpOutcome {
  if ("problem" in read) return noAnswer(read.problem);
  const retryAfter = retryAfterMs(read.retryAfter);
  return {
    kind: "answer",
    status: read.status,
    body: read.body,
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
  };
}

/**
 * One keep-alive connection, carrying one exchange at a time: the request written whole, the answer
 * read as it comes. It goes back to its pool after an answer that leaves it usable, and is destroyed
 * after anything else. While idle it does not keep the process alive.
 */
class Connection {
  private socket: Socket | undefined;
  private receiver: Receiver | undefined;
  private reader = new AnswerReader();
  /** The request to write once the tunnel stands. */
  private queued: string | undefined;
  private cancelTunnel: (() => void) | undefined;
  /** Until when the connection may carry a request, as its server said after the last answer. */
  private usableUntil = Infinity;
  private destroyed = false;

  constructor(
    dialed: Socket | Tunnel,
    private readonly pool: ConnectionPool,
  ) {
    if (dialed instanceof Socket) {
      this.attach(dialed);
      return;
    }
    this.cancelTunnel = dialed.cancel;
    dialed.ready.then(
      (socket) => (this.destroyed ? socket.destroy() : this.attach(socket)),
      (error: Error) => this.fail(networkFailure(error)),
    );
  }

  send(request: string, receiver: Receiver): void {
    this.receiver = receiver;
    if (!this.socket) {
      this.queued = request;
      return;
    }
    this.socket.ref();
    this.socket.write(request);
  }

  /** Whether the server may have closed the idle connection by `now`, as it said it would. */
  expired(now: number): boolean {
    return now >= this.usableUntil;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.receiver = undefined;
    this.cancelTunnel?.();
    this.socket?.destroy();
    this.pool.forget(this);
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    this.cancelTunnel = undefined;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (error) => this.fail(networkFailure(error)));
    socket.on("end", () => this.onEnd());
    socket.on("close", () => this.onEnd());
    if (this.queued === undefined) return;
    socket.write(this.queued);
    this.queued = undefined;
  }

  private onData(chunk: Buffer): void {
    // Bytes that answer no request: the connection cannot be trusted with another.
    if (!this.receiver) return this.destroy();
    const read = this.reader.read(chunk);
    if (read) this.settle(read);
  }

  private onEnd(): void {
    if (this.receiver) this.settle(this.reader.end());
    else this.destroy();
  }

  private settle(read: AnswerRead): void {
    const receiver = this.receiver!;
    this.receiver = undefined;
    if (this.keepable(read)) {
      this.reader = new AnswerReader();
      this.socket!.unref();
      this.pool.release(this);
    } else this.destroy();
    receiver.settle(outcomeOf(read));
  }

  /** Whether the connection may carry another request after `read`, and for how long it may. */
  private keepable(read: AnswerRead): boolean {
    if ("problem" in read || !read.reusable) return false;
    const now = systemClock.now();
    const { keepAliveMs } = read;
    this.usableUntil = keepAliveMs === undefined ? Infinity : now + keepAliveMs - KEEP_ALIVE_MARGIN_MS;
    return !this.expired(now);
  }

  private fail(outcome: HttpOutcome): void {
    const receiver = this.receiver;
    this.destroy();
    receiver?.settle(outcome);
  }
}

/**
 * The connections to one server: an idle one carries the next request (the one that was used
 * last, so that the fewest stay warm), else a new one is opened.
 */
export class ConnectionPool {
  private readonly idle: Connection[] = [];
  private readonly open = new Set<Connection>();

  constructor(private readonly dial: Dial) {}

  /** Sends `request` on a connection, which settles `receiver` once; destroying it ends the exchange unsettled. */
  send(request: string, receiver: Receiver): { destroy(): void } {
    let connection = this.idle.pop();
    // Below the one used last are those released before it: once it has expired, so have they.
    if (connection?.expired(systemClock.now())) {
      for (const stale of [connection, ...this.idle.splice(0)]) stale.destroy();
      connection = undefined;
    }
    if (!connection) this.open.add((connection = new Connection(this.dial(), this)));
    connection.send(request, receiver);
    return connection;
  }

  release(connection: Connection): void {
    this.idle.push(connection);
  }

  forget(connection: Connection): void {
    this.open.delete(connection);
    const at = this.idle.lastIndexOf(connection);
    if (at >= 0) this.idle.splice(at, 1);
  }

  /** Destroys every connection, idle or not. */
  destroy(): void {
    for (const connection of [...this.open]) connection.destroy();
  }
}
