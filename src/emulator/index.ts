export { startEmulator, type Emulator, type EmulatorOptions, type RecordedRequest } from "./server.js";
export {
  EmulatorState,
  GROUP_TYPES,
  RECALL_RET_CODES,
  RECALL_WINDOW,
  type AppConfig,
  type GroupType,
} from "./state.js";
export type { Fault } from "./faults.js";
export type { CommandStats } from "./call-stats.js";
export {
  applySeed,
  parseSeed,
  SeedError,
  type Seed,
  type SeedGroup,
  type SeedGroupBatch,
  type SeedMessage,
} from "./seed.js";
