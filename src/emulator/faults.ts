/** A failure the emulator plays instead of (or before) a normal answer. */
export interface Fault {
  /** Only requests for this command (e.g. `group_open_http_svc/delete_group_msg_by_sender`); any when unset. */
  command?: string;
  /** Answer FAIL with this ErrorCode. */
  errorCode?: number;
  errorInfo?: string;
  /** Answer with this HTTP status and no Chat body. */
  httpStatus?: number;
  /** Wait this long before answering (or doing anything else the fault says). */
  hangMs?: number;
  /** How many matching requests the fault applies to; 1 when unset. */
  times?: number;
}

/** Faults waiting for requests, played in the order they were pushed. */
export class FaultQueue {
  private readonly pending: Fault[] = [];

  push(...faults: Fault[]): void {
    this.pending.push(...faults.map((f) => ({ ...f, times: f.times ?? 1 })));
  }

  clear(): void {
    this.pending.length = 0;
  }

  take(command: string): Fault | undefined {
    const index = this.pending.findIndex((f) => f.command === undefined || f.command === command);
    if (index < 0) return undefined;
    const fault = this.pending[index]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.pending.splice(index, 1);
    return fault;
  }
}
