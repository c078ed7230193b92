/** A failure the emulator plays instead of (or before) a normal answer. */
export interface Fault {
  /** Only requests for this command (e.g. `group_open_http_svc/delete_group_msg_by_sender`); any when unset. */
  command?: string;
  /** Answer FAIL with this ErrorCode. */
  errorCode?: number;
  errorInfo?: string;
  /** Answer with this HTTP status and no Chat body (or with `body`). */
  httpStatus?: number;
  /** Answer with this raw body (HTTP 200 unless `httpStatus` says otherwise): truncated JSON, a gateway's HTML page. */
  body?: string;
  /**
   * Drop the connection: `true` without answering; `{ afterBytes }` after sending the headers and that
   * many bytes of the answer's body.
   */
  reset?: boolean | { afterBytes: number };
  /** Wait this long before answering (or doing anything else the fault says); Infinity hangs until close. */
  hangMs?: number;
  /** How many matching requests the fault applies to; 1 when unset. Ignored when `probability` is set. */
  times?: number;
  /** Apply to each matching request with this chance (0 to 1), and never be used up. */
  probability?: number;
}

function checkFault(fault: Fault): void {
  const { probability, hangMs, times, reset } = fault;
  if (probability !== undefined && !(probability >= 0 && probability <= 1)) {
    throw new RangeError(`fault probability must be from 0 to 1, got ${probability}`);
  }
  if (hangMs !== undefined && !(hangMs >= 0)) throw new RangeError(`fault hangMs must be 0 or more`);
  if (times !== undefined && !(Number.isInteger(times) && times >= 1)) {
    throw new RangeError(`fault times must be a positive integer`);
  }
  if (typeof reset === "object" && !(Number.isInteger(reset.afterBytes) && reset.afterBytes >= 0)) {
    throw new RangeError(`fault reset.afterBytes must be an integer, 0 or more`);
  }
}

/** Faults waiting for requests, tried in the order they were pushed. */
export class FaultQueue {
  private readonly pending: Fault[] = [];

  /** `random` decides probabilistic faults (Math.random unless a test supplies its own). */
  constructor(private readonly random: () => number = Math.random) {}

  push(...faults: Fault[]): void {
    faults.forEach(checkFault);
    this.pending.push(...faults.map((f) => ({ ...f, times: f.times ?? 1 })));
  }

  clear(): void {
    this.pending.length = 0;
  }

  get size(): number {
    return this.pending.length;
  }

  take(command: string): Fault | undefined {
    for (let index = 0; index < this.pending.length; index++) {
      const fault = this.pending[index]!;
      if (fault.command !== undefined && fault.command !== command) continue;
      if (fault.probability !== undefined) {
        if (this.random() < fault.probability) return fault;
        continue;
      }
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) this.pending.splice(index, 1);
      return fault;
    }
    return undefined;
  }
}
