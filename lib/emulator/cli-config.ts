// Environment of `npm run emulator` (scripts/emulator.ts), validated once: a bad value stops start-up
// with a message that names the variable.
import type { EmulatorAccessKey } from './auth';
import { DEMO_ACCESS_KEY } from './server';

export interface EmulatorCliConfig {
  port: number;
  accessKey: EmulatorAccessKey;
  usesDemoKey: boolean;
}

export const DEFAULT_EMULATOR_PORT = 9000;

const ACCESS_KEY_ID_PATTERN = /^[A-Za-z0-9._-]{4,128}$/;
const ACCESS_KEY_SECRET_PATTERN = /^[\x21-\x7e]{8,256}$/;

export class EmulatorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorConfigError';
  }
}

function read(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function readEmulatorCliConfig(env: Readonly<Record<string, string | undefined>>): EmulatorCliConfig {
  const portText = read(env, 'SAG_EMULATOR_PORT');
  let port = DEFAULT_EMULATOR_PORT;
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
      throw new EmulatorConfigError(`SAG_EMULATOR_PORT must be a port number 0..65535, got "${portText}"`);
    }
    port = Number(portText);
  }

  const id = read(env, 'SAG_EMULATOR_ACCESS_KEY_ID');
  const secret = read(env, 'SAG_EMULATOR_ACCESS_KEY_SECRET');
  if (id === undefined && secret === undefined) {
    return { port, accessKey: { ...DEMO_ACCESS_KEY }, usesDemoKey: true };
  }
  if (id === undefined) {
    throw new EmulatorConfigError(
      'SAG_EMULATOR_ACCESS_KEY_ID is not set but SAG_EMULATOR_ACCESS_KEY_SECRET is: set both, or neither for the demo pair',
    );
  }
  if (secret === undefined) {
    throw new EmulatorConfigError(
      'SAG_EMULATOR_ACCESS_KEY_SECRET is not set but SAG_EMULATOR_ACCESS_KEY_ID is: set both, or neither for the demo pair',
    );
  }
  if (!ACCESS_KEY_ID_PATTERN.test(id)) {
    throw new EmulatorConfigError(
      'SAG_EMULATOR_ACCESS_KEY_ID must be 4 to 128 letters, digits, ".", "_" or "-"',
    );
  }
  if (!ACCESS_KEY_SECRET_PATTERN.test(secret)) {
    throw new EmulatorConfigError(
      'SAG_EMULATOR_ACCESS_KEY_SECRET must be 8 to 256 printable characters without spaces',
    );
  }
  const usesDemoKey = id === DEMO_ACCESS_KEY.accessKeyId && secret === DEMO_ACCESS_KEY.accessKeySecret;
  return { port, accessKey: { accessKeyId: id, accessKeySecret: secret }, usesDemoKey };
}
