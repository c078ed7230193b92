import { describePair } from "../recall/describe.js";
import type { ResultEvent } from "../recall/types.js";

/** Distinct causes kept at most; failures past them are counted together. */
const MAX_CAUSES = 1000;
/** Pairs named for each cause. */
const EXAMPLES = 3;

/** One cause of failure: the same code and the same words, whichever pairs it failed. */
export interface FailureCause {
  /** The first failure's line. */
  message: string;
  pairs: number;
  /** The first few pairs it failed, in words. */
  examples: string[];
}

/**
 * The run's failures grouped by cause, so that one missing group with ten senders is said once,
 * with its count, and GitHub's few visible annotations go to distinct causes. A failure that
 * concerns the whole app is left out: the stop says it once.
 */
export class FailureCauses {
  private readonly causes = new Map<string, FailureCause>();
  private others = 0;

  add({ result, message, appWide }: ResultEvent): void {
    if (result.outcome !== "failed" || appWide) return;
    const key = `${result.errorCode} ${result.errorInfo}`;
    const cause = this.causes.get(key);
    if (cause) {
      cause.pairs++;
      if (cause.examples.length < EXAMPLES) cause.examples.push(describePair(result));
    } else if (this.causes.size < MAX_CAUSES) {
      this.causes.set(key, { message: message!, pairs: 1, examples: [describePair(result)] });
    } else this.others++;
  }

  /** The causes, most pairs first. */
  list(): FailureCause[] {
    return [...this.causes.values()].sort((a, b) => b.pairs - a.pairs);
  }

  /** Failures past the causes kept. */
  get uncounted(): number {
    return this.others;
  }
}

/** A cause in one line: the first failure, and how many more pairs failed the same way. */
export function describeCause(cause: FailureCause): string {
  if (cause.pairs === 1) return cause.message;
  const more = cause.pairs - cause.examples.length;
  return `${cause.message} (${cause.pairs} pairs failed this way: ${cause.examples.join("; ")}${more > 0 ? `; and ${more} more` : ""})`;
}
