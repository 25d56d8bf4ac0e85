// What `npm run emulator` (scripts/emulator.ts) says: its start-up banner and why it did not start. Its
// settings are the emulator's part of lib/config.ts (`parseEmulatorConfig`): the app's rules and messages;
// its one argument, `--state-dir <dir>`, is read here.
import { inspect } from 'node:util';
import { ConfigError, type EmulatorConfig } from '@/lib/config';
import { API_VERSION } from './actions';
import type { InstanceView } from './model';
import { EmulatorStateError } from './persistence';

export const USAGE = 'usage: npm run emulator [-- --state-dir <directory>]';

/** A command line `npm run emulator` does not understand. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}; ${USAGE}`);
    this.name = 'UsageError';
  }
}

export interface EmulatorArguments {
  /** Keep the accounts there across restarts; undefined keeps them in memory (the default). */
  stateDir: string | undefined;
}

export function parseEmulatorArguments(argv: readonly string[]): EmulatorArguments {
  let stateDir: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    const value = argument.startsWith('--state-dir=')
      ? argument.slice('--state-dir='.length)
      : argument === '--state-dir'
        ? argv[++index]
        : undefined;
    if (value === undefined) {
      throw new UsageError(
        argument === '--state-dir' ? '--state-dir needs a directory' : `unknown argument ${argument}`,
      );
    }
    if (value.trim() === '') throw new UsageError('--state-dir needs a directory');
    stateDir = value;
  }
  return { stateDir };
}

export interface RunningEmulator {
  url: string;
  stateDir: string | undefined;
  instances: readonly InstanceView[];
}

function instanceKind(instance: InstanceView): string {
  return instance.instanceType === 'software' ? 'APP' : `hardware (${instance.hardwareVersion})`;
}

/** Aligned columns, two spaces apart; the last column is not padded. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  '),
  );
}

/**
 * Where it listens, its instances, and the variables that point sag-roam at it. The AccessKey secret is shown
 * only when it is the public demo one; a secret of one's own is never printed.
 */
export function startBanner(config: EmulatorConfig, emulator: RunningEmulator): string[] {
  const instances = columns([
    ['region', 'instance ID', 'name', 'type', 'status', 'accounts / quota'],
    ...emulator.instances.map((instance) => [
      instance.regionId,
      instance.smartAgId,
      instance.name,
      instanceKind(instance),
      instance.status,
      instance.instanceType === 'software' ? `${instance.accountCount} / ${instance.quota}` : '–',
    ]),
  ]);
  return [
    `SAG emulator (smartag ${API_VERSION}) listening on ${emulator.url}`,
    emulator.stateDir === undefined
      ? '  Accounts: in memory, every start begins from the seed (`npm run emulator -- --state-dir <dir>` keeps them).'
      : `  Accounts: kept in ${emulator.stateDir} across restarts.`,
    '',
    ...instances.map((line) => `  ${line}`),
    '',
    '  Point sag-roam at it: start the app from a shell with these variables. The app then takes it for',
    '  Alibaba Cloud (no demo admin): give it a DATA_DIR of its own and a first admin (README, "A standalone',
    '  emulator").',
    '    export SAG_MODE=cloud',
    `    export SAG_ENDPOINT=${emulator.url}`,
    `    export ALIBABA_CLOUD_ACCESS_KEY_ID=${config.accessKey.accessKeyId}`,
    config.usesDemoKey
      ? `    export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${config.accessKey.accessKeySecret}`
      : '    export ALIBABA_CLOUD_ACCESS_KEY_SECRET=<the value of SAG_EMULATOR_ACCESS_KEY_SECRET> (not printed)',
    '',
    '  Press Ctrl+C to stop.',
  ];
}

export function notStartedMessage(error: unknown): string {
  if (error instanceof ConfigError) return `SAG emulator not started. ${error.message}`;
  if (error instanceof UsageError || error instanceof EmulatorStateError) {
    return `SAG emulator not started: ${error.message}`;
  }
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    return `SAG emulator not started: port in use (${error.message}); set SAG_EMULATOR_PORT`;
  }
  return `SAG emulator not started: ${inspect(error)}`;
}
