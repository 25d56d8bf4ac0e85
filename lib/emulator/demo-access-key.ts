import type { EmulatorAccessKey } from './auth';

/**
 * The demo AccessKey pair the emulator accepts by default (printed by the README; never a real key).
 * A module of its own, so that the configuration can name it without loading the emulator's server.
 */
export const DEMO_ACCESS_KEY = {
  accessKeyId: 'LTAI5tSagRoamDemoKey01',
  accessKeySecret: 'SagRoamDemoSecretNotForProduction01',
} as const satisfies EmulatorAccessKey;
