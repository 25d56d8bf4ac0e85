// The app in demo mode across a restart: the built-in emulator keeps its accounts beside the embedded database
// in DATA_DIR, so what the history says a job roamed is still on the target after a restart (what "Verify on
// target" lists), and deleting DATA_DIR resets the jobs and the emulator together.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { createJob, getJob, listJobs } from '@/lib/db/jobs';
import { SEED_INSTANCES, SEED_USERS } from '@/lib/emulator';
import { JOURNAL_FILE } from '@/lib/emulator/persistence';
import { listAllClientUsers } from '@/lib/sag/client-user-pages';
import { reachableTempDir } from '@/lib/testing/temp-dir';
import { createRuntime, EMULATOR_STATE_DIRECTORY, type Runtime } from './runtime';

/** Each start runs the embedded PostgreSQL and its migrations check. */
const RESTARTS_TIMEOUT_MS = 90_000;
const USERNAMES = [SEED_USERS.ready, SEED_USERS.readyPlain];

let dataDir: string;

beforeAll(() => {
  dataDir = reachableTempDir('sag-roam-runtime-');
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function demoConfig() {
  return parseConfig({ SAG_MODE: 'emulator', DATA_DIR: dataDir, ROAM_RATE_PER_SECOND: '100' });
}

/** What "Verify on target" reads: every account of the target, listed through the app's client. */
async function onTarget(runtime: Runtime): Promise<string[]> {
  const listing = await listAllClientUsers(runtime.client, {
    regionId: 'cn-hangzhou',
    smartAGId: SEED_INSTANCES.hangzhouRnd,
  });
  return listing.users.map((user) => user.userName);
}

async function withRuntime<T>(run: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await createRuntime(demoConfig());
  try {
    return await run(runtime);
  } finally {
    await runtime.close();
  }
}

describe('the built-in emulator in DATA_DIR', () => {
  it('keeps what a job roamed across a restart; deleting DATA_DIR resets both', {
    timeout: RESTARTS_TIMEOUT_MS,
  }, async () => {
    const jobId = await withRuntime(async (runtime) => {
      expect(runtime.mode).toBe('emulator');
      expect(runtime.emulator?.stateDir).toBe(path.join(dataDir, EMULATOR_STATE_DIRECTORY));
      const job = await createJob(runtime.db, {
        createdBy: 'operator@example.com',
        originRegionId: 'cn-shanghai',
        originInstanceId: SEED_INSTANCES.shanghaiHq,
        targetRegionId: 'cn-hangzhou',
        targetInstanceId: SEED_INSTANCES.hangzhouRnd,
        usernames: USERNAMES,
        mode: 'emulator',
      });
      runtime.worker.kick();
      expect(await runtime.worker.waitForJob(job.id, 30_000)).toBe(true);
      return job.id;
    });
    expect(existsSync(path.join(dataDir, EMULATOR_STATE_DIRECTORY, JOURNAL_FILE))).toBe(true);

    await withRuntime(async (runtime) => {
      const job = await getJob(runtime.db, jobId);
      expect(job?.items.map((item) => [item.username, item.status]).sort()).toEqual(
        USERNAMES.map((username) => [username, 'succeeded']).sort(),
      );
      expect(await onTarget(runtime)).toEqual(expect.arrayContaining(USERNAMES));
    });

    // Stopped, DATA_DIR deleted: no job, and the emulator has its seed again.
    rmSync(dataDir, { recursive: true, force: true });
    await withRuntime(async (runtime) => {
      expect((await listJobs(runtime.db, { page: 1, pageSize: 10 })).total).toBe(0);
      const accounts = await onTarget(runtime);
      for (const username of USERNAMES) expect(accounts).not.toContain(username);
    });
  });
});
