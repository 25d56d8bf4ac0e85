// What `npm run emulator` (scripts/emulator.ts) says: its start-up banner and why it did not start. Its
// settings are the emulator's part of lib/config.ts (`parseEmulatorConfig`): the app's rules and messages.
import { inspect } from 'node:util';
import { ConfigError, type EmulatorConfig } from '@/lib/config';

/** The secret is shown only when it is the public demo one. */
export function startBanner(config: EmulatorConfig, url: string): string[] {
  return [
    `SAG emulator (smartag 2018-03-13) listening on ${url}`,
    `  AccessKey ID:     ${config.accessKey.accessKeyId}`,
    ...(config.usesDemoKey ? [`  AccessKey secret: ${config.accessKey.accessKeySecret} (demo pair)`] : []),
    '  Press Ctrl+C to stop.',
  ];
}

export function notStartedMessage(error: unknown): string {
  if (error instanceof ConfigError) return `SAG emulator not started. ${error.message}`;
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    return `SAG emulator not started: port in use (${error.message}); set SAG_EMULATOR_PORT`;
  }
  return `SAG emulator not started: ${inspect(error)}`;
}
