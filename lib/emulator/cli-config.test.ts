import { describe, expect, it } from 'vitest';
import { readEmulatorCliConfig } from './cli-config';
import { DEMO_ACCESS_KEY } from './server';

describe('npm run emulator configuration', () => {
  it('defaults to port 9000 and the demo AccessKey pair', () => {
    expect(readEmulatorCliConfig({})).toEqual({ port: 9000, accessKey: DEMO_ACCESS_KEY, usesDemoKey: true });
  });

  it('takes a port and a custom pair', () => {
    expect(
      readEmulatorCliConfig({
        SAG_EMULATOR_PORT: '9100',
        SAG_EMULATOR_ACCESS_KEY_ID: 'LTAI5tLocalKey',
        SAG_EMULATOR_ACCESS_KEY_SECRET: 'local-secret-123',
      }),
    ).toEqual({
      port: 9100,
      accessKey: { accessKeyId: 'LTAI5tLocalKey', accessKeySecret: 'local-secret-123' },
      usesDemoKey: false,
    });
  });

  it.each([
    [{ SAG_EMULATOR_PORT: 'ninety' }, /SAG_EMULATOR_PORT/],
    [{ SAG_EMULATOR_PORT: '70000' }, /SAG_EMULATOR_PORT/],
    [{ SAG_EMULATOR_ACCESS_KEY_ID: 'LTAI5tLocalKey' }, /SAG_EMULATOR_ACCESS_KEY_SECRET is not set/],
    [{ SAG_EMULATOR_ACCESS_KEY_SECRET: 'local-secret-123' }, /SAG_EMULATOR_ACCESS_KEY_ID is not set/],
    [
      { SAG_EMULATOR_ACCESS_KEY_ID: 'bad id!', SAG_EMULATOR_ACCESS_KEY_SECRET: 'local-secret-123' },
      /_ID must/,
    ],
    [
      { SAG_EMULATOR_ACCESS_KEY_ID: 'LTAI5tLocalKey', SAG_EMULATOR_ACCESS_KEY_SECRET: 'short' },
      /_SECRET must/,
    ],
  ])('stops on %o with a message naming the variable', (env, message) => {
    expect(() => readEmulatorCliConfig(env)).toThrow(message);
  });
});
