// `npm run emulator` as a person runs it: a real process on 127.0.0.1 that prints its instances and the lines
// that point sag-roam at it. The test takes those lines as they are printed, reads them with the app's own
// configuration and credential chain, and makes signed calls with the app's SAG client: what the banner says
// must be what works.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '@/lib/config';
import { DEMO_ACCESS_KEY } from '@/lib/emulator/demo-access-key';
import { SEED_INSTANCES, SEED_USERS } from '@/lib/emulator/seed';
import { createSagClient, type SagClient } from '@/lib/sag/client';
import { resolveDefaultCredentialChain, staticCredentials } from '@/lib/sag/credentials';
import { quotaOf } from '@/lib/sag/operations';

const root = process.cwd();
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
/** tsx compiles the script before the emulator starts, on a loaded CI machine too. */
const PROCESS_TEST_TIMEOUT_MS = 60_000;
const CUSTOM_KEY = { accessKeyId: 'LTAI5tStandaloneKey01', accessKeySecret: 'Standalone/Secret+Of=MyOwn01' };

interface Running {
  child: ChildProcess;
  /** Everything printed up to "Press Ctrl+C to stop." */
  banner: Promise<string>;
  exited: Promise<number | null>;
  output(): string;
}

const running = new Set<Running>();

/** `npm run emulator` as package.json runs it, on a free port (0), in a process group of its own. */
function startStandalone(env: Record<string, string> = {}, args: string[] = []): Running {
  const child = spawn(tsx, ['--conditions=react-server', path.join('scripts', 'emulator.ts'), ...args], {
    cwd: root,
    detached: true,
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), NODE_ENV: 'test', SAG_EMULATOR_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const banner = new Promise<string>((resolve, reject) => {
    const read = (chunk: string) => {
      output += chunk;
      if (output.includes('Press Ctrl+C to stop.')) resolve(output);
    };
    child.stdout?.setEncoding('utf8').on('data', read);
    child.stderr?.setEncoding('utf8').on('data', read);
    void exited.then((code) =>
      reject(new Error(`npm run emulator exited (${code}) before its banner:\n${output}`)),
    );
  });
  // A process that is meant to stop before its banner (a refused start) is read through `exited`.
  banner.catch(() => {});
  const started: Running = { child, banner, exited, output: () => output };
  running.add(started);
  return started;
}

/** Ctrl+C's signal, to the whole group; resolves with the exit code. */
async function stop(emulator: Running): Promise<number | null> {
  running.delete(emulator);
  if (emulator.child.exitCode === null && emulator.child.signalCode === null) {
    process.kill(-(emulator.child.pid ?? 0), 'SIGTERM');
  }
  return emulator.exited;
}

/** The `export NAME=value` lines, as a shell would set them. */
function exportedVariables(banner: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const match of banner.matchAll(/^\s*export ([A-Z_]+)=(\S+)$/gm)) {
    variables[match[1] ?? ''] = match[2] ?? '';
  }
  return variables;
}

/** The instance table: region, ID, name, type, status, accounts / quota. */
function printedInstances(banner: string) {
  return [
    ...banner.matchAll(/^\s+(\S+)\s+(sag-[a-z0-9]{20})\s+(\S+)\s+(APP|hardware \(\S+\))\s+(\S+)\s+(.+)$/gm),
  ].map((match) => ({
    regionId: match[1],
    smartAgId: match[2],
    name: match[3],
    type: match[4],
    status: match[5],
    accounts: match[6]?.trim(),
  }));
}

/** A client made as the app makes it from its configuration, with the credentials its chain finds. */
async function appClientFrom(variables: Record<string, string>): Promise<SagClient> {
  const config = parseConfig(variables);
  expect(config.sag.mode).toBe('cloud');
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  const credentials = await resolveDefaultCredentialChain({ allowEcsMetadata: false });
  expect(credentials?.providerName).toBe('env');
  return createSagClient({
    credentials: credentials ?? staticCredentials({ accessKeyId: '', accessKeySecret: '' }),
    signatureVersion: config.sag.signatureVersion,
    endpoint: config.sag.endpoint,
    timeoutMs: config.sag.timeoutMs,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
}

const roamReady = (client: SagClient) =>
  client.roamClientUser({
    regionId: 'cn-hangzhou',
    originRegionId: 'cn-shanghai',
    originSmartAGId: SEED_INSTANCES.shanghaiHq,
    targetSmartAGId: SEED_INSTANCES.hangzhouRnd,
    userName: SEED_USERS.ready,
  });

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'sag-roam-standalone-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all([...running].map(stop));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('npm run emulator', () => {
  it('prints its instances and the lines that point the app at it, and those lines work', {
    timeout: PROCESS_TEST_TIMEOUT_MS,
  }, async () => {
    const emulator = startStandalone();
    const banner = await emulator.banner;
    const variables = exportedVariables(banner);
    expect(Object.keys(variables).sort()).toEqual([
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'SAG_ENDPOINT',
      'SAG_MODE',
    ]);
    expect(variables.SAG_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(banner).toContain(`listening on ${variables.SAG_ENDPOINT}`);
    // The demo pair, which the README prints too.
    expect(variables.ALIBABA_CLOUD_ACCESS_KEY_ID).toBe(DEMO_ACCESS_KEY.accessKeyId);
    expect(variables.ALIBABA_CLOUD_ACCESS_KEY_SECRET).toBe(DEMO_ACCESS_KEY.accessKeySecret);
    expect(banner).toMatch(/Accounts: in memory/);

    const client = await appClientFrom(variables);
    try {
      // Every printed instance is what the API answers, region by region.
      const printed = printedInstances(banner);
      expect(printed.length).toBeGreaterThan(10);
      for (const regionId of new Set(printed.map((instance) => instance.regionId))) {
        const answered = await client.describeSmartAccessGateways({
          regionId: regionId ?? '',
          instanceType: 'any',
        });
        const ofRegion = printed.filter((instance) => instance.regionId === regionId);
        expect(
          answered.map((instance) => [instance.smartAGId, instance.name, instance.status]).sort(),
        ).toEqual(ofRegion.map((instance) => [instance.smartAgId, instance.name, instance.status]).sort());
        for (const instance of ofRegion.filter((each) => each.type === 'APP')) {
          const accounts = await client.describeSmartAccessGatewayClientUsers({
            regionId: regionId ?? '',
            smartAGId: instance.smartAgId ?? '',
          });
          const listed = answered.find((each) => each.smartAGId === instance.smartAgId);
          const quota = listed ? quotaOf(listed) : undefined;
          expect(instance.accounts).toBe(`${accounts.totalCount} / ${quota}`);
        }
      }
      // A change through the printed endpoint and key.
      expect((await roamReady(client)).requestId).toMatch(/^[0-9A-F-]{36}$/);
    } finally {
      client.close();
    }
    expect(await stop(emulator)).toBe(0);
  });

  it('never prints a secret of its own, and the printed lines work with it put in', {
    timeout: PROCESS_TEST_TIMEOUT_MS,
  }, async () => {
    const emulator = startStandalone({
      SAG_EMULATOR_ACCESS_KEY_ID: CUSTOM_KEY.accessKeyId,
      SAG_EMULATOR_ACCESS_KEY_SECRET: CUSTOM_KEY.accessKeySecret,
    });
    const banner = await emulator.banner;
    expect(banner).not.toContain(CUSTOM_KEY.accessKeySecret);
    expect(banner).toContain(
      'export ALIBABA_CLOUD_ACCESS_KEY_SECRET=<the value of SAG_EMULATOR_ACCESS_KEY_SECRET> (not printed)',
    );
    const variables = exportedVariables(banner);
    expect(variables.ALIBABA_CLOUD_ACCESS_KEY_ID).toBe(CUSTOM_KEY.accessKeyId);
    // The line is shown with its placeholder; the person puts the secret they set there.
    const client = await appClientFrom({
      ...variables,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: CUSTOM_KEY.accessKeySecret,
    });
    try {
      expect((await roamReady(client)).requestId).toMatch(/^[0-9A-F-]{36}$/);
    } finally {
      client.close();
    }
    await stop(emulator);
    expect(emulator.output()).not.toContain(CUSTOM_KEY.accessKeySecret);
  });

  it('with --state-dir keeps its accounts across a restart, and its banner says so', {
    timeout: PROCESS_TEST_TIMEOUT_MS,
  }, async () => {
    const stateDir = path.join(directory, 'state');
    const first = startStandalone({}, ['--state-dir', stateDir]);
    const firstBanner = await first.banner;
    expect(firstBanner).toContain(`Accounts: kept in ${stateDir} across restarts.`);
    const hangzhouRnd = (banner: string) =>
      printedInstances(banner).find((instance) => instance.smartAgId === SEED_INSTANCES.hangzhouRnd)
        ?.accounts;
    expect(hangzhouRnd(firstBanner)).toBe('63 / 300');
    const client = await appClientFrom(exportedVariables(firstBanner));
    await roamReady(client);
    client.close();
    expect(await stop(first)).toBe(0);

    const second = startStandalone({}, [`--state-dir=${stateDir}`]);
    expect(hangzhouRnd(await second.banner)).toBe('64 / 300');
  });

  it('refuses an argument it does not know, saying how to call it', {
    timeout: PROCESS_TEST_TIMEOUT_MS,
  }, async () => {
    const emulator = startStandalone({}, ['--stat-dir', 'x']);
    expect(await emulator.exited).toBe(1);
    expect(emulator.output()).toContain(
      'SAG emulator not started: unknown argument --stat-dir; usage: npm run emulator [-- --state-dir <directory>]',
    );
  });
});
