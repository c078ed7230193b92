export {
  DOCUMENTED_RATE_LIMITS,
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type RecordedRequest,
} from "./server.js";
export {
  DEFAULT_HISTORY_RETENTION_SECONDS,
  EmulatorState,
  GROUP_TYPES,
  RECALL_RET_CODES,
  RECALL_WINDOW,
  type AppConfig,
  type Group,
  type GroupType,
  type StoredMessage,
} from "./state.js";
export { ACCOUNT_INVALID_PARAMETER } from "./account-commands.js";
export type { Fault } from "./faults.js";
export type { CommandStats } from "./call-stats.js";
export {
  applySeed,
  parseSeed,
  SeedError,
  type Seed,
  type SeedApp,
  type SeedGroup,
  type SeedGroupBatch,
  type SeedMessage,
} from "./seed.js";
