// What the worker suites share (worker.suite.ts, job-control.suite.ts): the emulator over HTTP, a SAG client, a
// real database reopened per suite and cleared after each test, and workers started on it and stopped after
// each test. Test-only. Call it inside a `describe`: it registers the hooks.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { OpenedDatabase } from '@/lib/db/database';
import { createJob } from '@/lib/db/jobs';
import {
  DEMO_ACCESS_KEY,
  type Emulator,
  type EmulatorOptions,
  SEED_INSTANCES,
  SEED_USERS,
  startEmulator,
} from '@/lib/emulator';
import { createSagClient, type SagClient } from '@/lib/sag/client';
import { staticCredentials } from '@/lib/sag/credentials';
import type { ReopenableSuiteDatabase } from '@/lib/testing/suite-database';
import { RoamWorker } from './worker';

export const ORIGIN = { regionId: 'cn-shanghai', instanceId: SEED_INSTANCES.shanghaiHq };
export const TOKYO = { regionId: 'ap-northeast-1', instanceId: SEED_INSTANCES.tokyo };
export const HANGZHOU = { regionId: 'cn-hangzhou', instanceId: SEED_INSTANCES.hangzhouRnd };
export type Target = { regionId: string; instanceId: string };

export interface WorkerFixture {
  readonly emulator: Emulator;
  readonly client: SagClient;
  readonly suite: ReopenableSuiteDatabase;
  /** The database as opened now (a test may close and reopen it, as a restart would). */
  opened: OpenedDatabase;
  newWorker(options?: Partial<ConstructorParameters<typeof RoamWorker>[0]>): RoamWorker;
  /** Accounts of the origin that roam cleanly to every target given (no clash, no static IP, not too wide). */
  cleanUsers(count: number, targets?: Target[]): string[];
  newJob(usernames: string[], target?: Target): ReturnType<typeof createJob>;
}

export function useWorkerFixture(
  database: () => Promise<ReopenableSuiteDatabase>,
  options: {
    accessKeys?: EmulatorOptions['accessKeys'];
    timeoutMs?: number;
    concurrency?: number;
  } = {},
): WorkerFixture {
  const workers: RoamWorker[] = [];
  const fixture = {
    newWorker(overrides = {}) {
      const worker = new RoamWorker({
        db: fixture.opened.db,
        api: fixture.client,
        concurrency: options.concurrency ?? 8,
        ratePerSecond: 200,
        checkDelayMs: 0,
        pollIntervalMs: 20,
        ...overrides,
      });
      workers.push(worker);
      worker.start();
      return worker;
    },
    cleanUsers(count, targets = [TOKYO, HANGZHOU]) {
      const taken = new Set(
        targets.flatMap((target) =>
          fixture.emulator.state.accounts(target.instanceId).map((a) => a.userName),
        ),
      );
      const clean = fixture.emulator.state
        .accounts(ORIGIN.instanceId)
        .filter(
          (account) => !account.isStaticIp && account.bandwidthKbps <= 5_000 && !taken.has(account.userName),
        )
        .map((account) => account.userName)
        .filter((name) => !Object.values(SEED_USERS).includes(name as never));
      expect(clean.length).toBeGreaterThanOrEqual(count);
      return clean.slice(0, count);
    },
    newJob(usernames, target = TOKYO) {
      return createJob(fixture.opened.db, {
        createdBy: 'ops@example.com',
        originRegionId: ORIGIN.regionId,
        originInstanceId: ORIGIN.instanceId,
        targetRegionId: target.regionId,
        targetInstanceId: target.instanceId,
        usernames,
        mode: 'emulator',
      });
    },
  } as WorkerFixture;

  beforeAll(async () => {
    const emulator = await startEmulator({ port: 0, accessKeys: options.accessKeys ?? [DEMO_ACCESS_KEY] });
    const client = createSagClient({
      credentials: staticCredentials(DEMO_ACCESS_KEY),
      signatureVersion: 'v3',
      endpoint: emulator.url,
      timeoutMs: options.timeoutMs ?? 2_000,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    });
    const suite = await database();
    Object.assign(fixture, { emulator, client, suite, opened: await suite.open() });
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    fixture.emulator.setKnobs({
      faults: {},
      faultPhase: 'before',
      faultActions: null,
      rateLimit: null,
      latencyMs: 0,
    });
    fixture.emulator.state.reset();
    await fixture.suite.clear(fixture.opened);
  });

  afterAll(async () => {
    await fixture.opened?.close();
    await fixture.suite?.dispose();
    fixture.client?.close();
    await fixture.emulator?.close();
  });

  return fixture;
}
