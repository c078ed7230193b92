export interface RecordedRequest {
  command: string;
  sdkAppId: string | null;
  identifier: string | null;
  random: string | null;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: unknown;
}

/** The newest `capacity` requests on a ring (0 keeps none), and how many were ever received. */
export class RequestLog {
  private readonly ring: RecordedRequest[] = [];
  private head = 0;
  private total = 0;
  private cached: readonly RecordedRequest[] | undefined;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError("requestLogSize must be an integer, 0 or more");
    }
  }

  get count(): number {
    return this.total;
  }

  record(request: RecordedRequest): void {
    this.total++;
    if (this.capacity === 0) return;
    this.cached = undefined;
    if (this.ring.length < this.capacity) {
      this.ring.push(request);
      return;
    }
    this.ring[this.head] = request;
    this.head = (this.head + 1) % this.capacity;
  }

  /** The kept requests, oldest first, as a frozen array (rebuilt only after new requests). */
  entries(): readonly RecordedRequest[] {
    this.cached ??= Object.freeze([...this.ring.slice(this.head), ...this.ring.slice(0, this.head)]);
    return this.cached;
  }
}
