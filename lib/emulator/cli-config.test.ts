import { describe, expect, it } from 'vitest';
import { ConfigError, parseEmulatorConfig } from '@/lib/config';
import { notStartedMessage, parseEmulatorArguments, startBanner, USAGE, UsageError } from './cli-config';
import { DEMO_ACCESS_KEY } from './demo-access-key';

function problemOf(environment: Record<string, string>): string {
  try {
    parseEmulatorConfig(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return notStartedMessage(error);
  }
  throw new Error('expected a ConfigError');
}

describe('npm run emulator configuration', () => {
  it('defaults to port 9000 and the demo AccessKey pair', () => {
    expect(parseEmulatorConfig({})).toEqual({ port: 9000, accessKey: DEMO_ACCESS_KEY, usesDemoKey: true });
  });

  it('takes a port and a custom pair', () => {
    expect(
      parseEmulatorConfig({
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

  it('reads only its own variables: a bad setting of the app alone does not stop it', () => {
    expect(parseEmulatorConfig({ ROAM_CONCURRENCY: '0', DATABASE_URL: 'mysql://x@y/z' }).port).toBe(9000);
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
    expect(problemOf(env)).toMatch(message);
  });

  it('says why it did not start', () => {
    expect(problemOf({ SAG_EMULATOR_PORT: 'abc' })).toBe(
      'SAG emulator not started. Invalid configuration:\n  - SAG_EMULATOR_PORT must be a whole number from 0 to 65535',
    );
    const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:9000'), {
      code: 'EADDRINUSE',
    });
    expect(notStartedMessage(inUse)).toMatch(/port in use .*; set SAG_EMULATOR_PORT$/);
  });

  it('prints the secret only when it is the demo pair', () => {
    const running = { url: 'http://127.0.0.1:9000', stateDir: undefined, instances: [] };
    expect(startBanner(parseEmulatorConfig({}), running).join('\n')).toContain(
      `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${DEMO_ACCESS_KEY.accessKeySecret}`,
    );
    const custom = parseEmulatorConfig({
      SAG_EMULATOR_ACCESS_KEY_ID: 'LTAI5tLocalKey',
      SAG_EMULATOR_ACCESS_KEY_SECRET: 'local-secret-123',
    });
    const banner = startBanner(custom, running).join('\n');
    expect(banner).toContain('export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tLocalKey');
    expect(banner).toContain('export SAG_ENDPOINT=http://127.0.0.1:9000');
    expect(banner).not.toContain('local-secret-123');
  });

  it('reads --state-dir in both spellings, and refuses anything else with the usage', () => {
    expect(parseEmulatorArguments([])).toEqual({ stateDir: undefined });
    expect(parseEmulatorArguments(['--state-dir', './state'])).toEqual({ stateDir: './state' });
    expect(parseEmulatorArguments(['--state-dir=./state'])).toEqual({ stateDir: './state' });
    expect(() => parseEmulatorArguments(['--state-dir'])).toThrow(
      new UsageError('--state-dir needs a directory'),
    );
    expect(() => parseEmulatorArguments(['--state-dir='])).toThrow(/--state-dir needs a directory/);
    expect(() => parseEmulatorArguments(['--port', '9100'])).toThrow(`unknown argument --port; ${USAGE}`);
    expect(notStartedMessage(new UsageError('unknown argument x'))).toBe(
      `SAG emulator not started: unknown argument x; ${USAGE}`,
    );
  });
});
