// Public surface of the local SAG emulator: start it, point a client at `url`/`endpoint`, observe `state`.
export { ACTIONS, API_VERSION } from './actions';
export type { EmulatorAccessKey } from './auth';
export type { EmulatorKnobs, FaultPhase, FaultRates, RateLimit, ThrottleAnswer } from './knobs';
export type {
  AccountView,
  EmulatorSeed,
  InstanceView,
  Language,
  RegionView,
  SeedAccount,
  SeedAccountBatch,
  SeedInstance,
  SeedRegion,
} from './model';
export { EmulatorStateError, JOURNAL_FILE, STATE_FILE } from './persistence';
export {
  DEFAULT_SEED,
  DELETE_SCENARIOS,
  type DeleteScenario,
  ROAM_SCENARIOS,
  type RoamScenario,
  SEED_INSTANCES,
  SEED_USERS,
} from './seed';
export {
  DEMO_ACCESS_KEY,
  type Emulator,
  type EmulatorLogger,
  type EmulatorOptions,
  type EmulatorStateApi,
  startEmulator,
} from './server';
export type { FaultKind, RequestLogEntry, RoamCount } from './state';
export { USERNAME_PATTERN } from './state';
