import type { ChatClient } from "../chat/client.js";
import type { Archive } from "./archive.js";
import type { Ledger } from "./ledger.js";
import type { WorkPool } from "./pool.js";
import type { RecallSettings } from "./settings.js";
import type { Pair, Scope } from "./types.js";

/** What a way of recalling works with: the run's client, books, pool of work and settings, and the archive when asked for. */
export interface StrategyContext {
  client: ChatClient;
  ledger: Ledger;
  pool: WorkPool;
  settings: RecallSettings;
  archive?: Archive;
}

/** A way of recalling: it starts the work of one group's or topic's pairs, and ends each of them. */
export interface Strategy {
  /** Resolves once the work is started (or its pairs ended, when the run stopped first). */
  start(scope: Scope, pairs: Pair[]): Promise<void>;
}

/** Starts one unit of work for all the pairs of a scope, or ends them as not attempted when the run stopped. */
export async function startForScope(
  { pool, ledger }: StrategyContext,
  pairs: readonly Pair[],
  unit: () => Promise<void>,
): Promise<void> {
  if (!(await pool.admit(ledger.stopped))) return pairs.forEach((pair) => ledger.recordNotAttempted(pair));
  void pool.start(unit);
}
