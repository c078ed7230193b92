export { startEmulator, type Emulator, type EmulatorOptions, type RecordedRequest } from "./server.js";
export { EmulatorState, GROUP_TYPES, RECALL_WINDOW, type AppConfig, type GroupType } from "./state.js";
export type { Fault } from "./faults.js";
export { applySeed, type Seed } from "./seed.js";
