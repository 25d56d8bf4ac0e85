// The roam worker against the real parts: the emulator over HTTP, the SAG client, and a real database.
// One suite, run by one test file per database driver (embedded PostgreSQL, PostgreSQL server).
import { describe, expect, it } from 'vitest';
import {
  getJob,
  listItemAttempts,
  markInterruptedAttempts,
  retryFailedItems,
  WORK_CHANNEL,
} from '@/lib/db/jobs';
import { DEMO_ACCESS_KEY, SEED_INSTANCES, SEED_USERS } from '@/lib/emulator';
import { createSagClient } from '@/lib/sag/client';
import { staticCredentials } from '@/lib/sag/credentials';
import type { ReopenableSuiteDatabase } from '@/lib/testing/suite-database';
import type { RoamWorker } from './worker';
import { HANGZHOU, ORIGIN, TOKYO, useWorkerFixture } from './worker-fixture';

const ROAM_ONLY_KEY = {
  accessKeyId: 'LTAI5tRoamOnlyKey0001',
  accessKeySecret: 'roam-only-secret-for-tests',
  deniedActions: ['DescribeSmartAccessGatewayClientUsers'],
};

export function describeRoamWorker(driver: string, database: () => Promise<ReopenableSuiteDatabase>) {
  describe(`roam worker on ${driver}`, () => {
    const f = useWorkerFixture(database, { accessKeys: [DEMO_ACCESS_KEY, ROAM_ONLY_KEY] });

    async function finish(worker: RoamWorker, jobId: string) {
      expect(await worker.waitForJob(jobId, 20_000)).toBe(true);
      const job = await getJob(f.opened.db, jobId);
      if (!job) throw new Error('job vanished');
      return job;
    }

    function expectRoamedOnce(target: { instanceId: string }, usernames: string[]) {
      const onTarget = new Set(
        f.emulator.state.accounts(target.instanceId).map((account) => account.userName),
      );
      for (const username of usernames) {
        expect(onTarget.has(username), `${username} on the target`).toBe(true);
        expect(f.emulator.state.roamCount(target.instanceId, username).applied, `${username} applied`).toBe(
          1,
        );
      }
    }

    it('an idle worker is woken by the database when work appears, not by its slow poll', async () => {
      // A minute between polls while idle: the notice of the job's transaction wakes it.
      const worker = f.newWorker({ idlePollMs: 60_000 });
      let notices = 0;
      const unlisten = await f.opened.listen(WORK_CHANNEL, () => {
        notices += 1;
        worker.kick();
      });
      try {
        const job = await f.newJob([...f.cleanUsers(3), SEED_USERS.unknown]);
        expect(await worker.waitForJob(job.id, 5_000)).toBe(true);
        expect(notices).toBeGreaterThanOrEqual(1);
        // A retry notifies too: the work it makes is found at once.
        const before = notices;
        expect(await retryFailedItems(f.opened.db, { jobId: job.id, actor: 'ops@example.com' })).toBe(1);
        await expect.poll(() => notices, { timeout: 5_000, interval: 20 }).toBeGreaterThan(before);
      } finally {
        await unlisten();
      }
    });

    it('stops sending at a full quota, gives up the rest without a call, and resumes with retry failed once there is room', async () => {
      const SINGAPORE = { regionId: 'ap-southeast-1', instanceId: SEED_INSTANCES.singaporeApac };
      const taken = new Set(
        f.emulator.state.accounts(SINGAPORE.instanceId).map((account) => account.userName),
      );
      const usernames = (await f.cleanUsers(12)).filter((name) => !taken.has(name)).slice(0, 5);
      const worker = f.newWorker({ concurrency: 1 });
      const job = await f.newJob(usernames, SINGAPORE);

      const stopped = await finish(worker, job.id);

      const roamCalls = () =>
        f.emulator.state.requestLog().filter((entry) => entry.action === 'RoamClientUser').length;
      expect(roamCalls()).toBe(1);
      expect(stopped).toMatchObject({ stoppedCode: 'ClientUser.UserOverLimit', status: 'completed' });
      expect(stopped.counts).toMatchObject({ failed: 1, notSent: 4, succeeded: 0 });
      expect(
        stopped.items.filter((item) => item.status === 'not_sent').map((item) => item.errorCode),
      ).toEqual(Array(4).fill('ClientUser.UserOverLimit'));

      // The admin frees five places, then retries: every username is checked and sent once.
      for (const userName of [...taken].slice(0, 5)) {
        await f.client.deleteSmartAccessGatewayClientUser({
          regionId: SINGAPORE.regionId,
          smartAGId: SINGAPORE.instanceId,
          userName,
        });
      }
      expect(await retryFailedItems(f.opened.db, { jobId: job.id, actor: 'ops@example.com' })).toBe(5);
      worker.kick();
      const resumed = await finish(worker, job.id);
      expect(resumed.counts).toMatchObject({ succeeded: 5, failed: 0, notSent: 0 });
      expect(resumed.stoppedAt).toBeNull();
      expectRoamedOnce(SINGAPORE, usernames);
    });

    it('keeps its leases while slow calls run: no item is claimed twice, by another worker or by itself', async () => {
      const usernames = await f.cleanUsers(4);
      // Calls of 3 s (a client of its own waits for them) against leases of 2.4 s: only renewal, every third of
      // a lease, keeps them, and a process never re-claims what its own tasks still hold. A lease outlasts two
      // missed renewals, so a loaded machine's late timers do not decide the test.
      f.emulator.setKnobs({ latencyMs: 3_000 });
      const patient = createSagClient({
        credentials: staticCredentials(DEMO_ACCESS_KEY),
        signatureVersion: 'v3',
        endpoint: f.emulator.url,
        timeoutMs: 8_000,
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
      try {
        f.newWorker({ api: patient, leaseMs: 2_400, concurrency: 4 });
        f.newWorker({ api: patient, leaseMs: 2_400, concurrency: 4 });
        const job = await f.newJob(usernames);

        // Whichever worker ends the job, it ends: read from the database, not from one worker's events.
        await expect
          .poll(async () => (await getJob(f.opened.db, job.id))?.status, { timeout: 30_000, interval: 100 })
          .toBe('completed');

        const done = await getJob(f.opened.db, job.id);
        expect(done?.counts).toMatchObject({ succeeded: 4, failed: 0, unknown: 0 });
        const attempts = await listItemAttempts(f.opened.db, job.id);
        expect(attempts.map((attempt) => [attempt.kind, attempt.outcome])).toEqual(
          usernames.map(() => ['roam', 'succeeded']),
        );
        expectRoamedOnce(TOKYO, usernames);
      } finally {
        patient.close();
      }
    }, 40_000);

    it('roams every username once and records each RequestId and mapped error', async () => {
      const worker = f.newWorker();
      const plain = await f.cleanUsers(3);
      const job = await f.newJob([...plain, SEED_USERS.clash, SEED_USERS.staticIp], HANGZHOU);
      const done = await finish(worker, job.id);

      expect(done.status).toBe('completed');
      expect(done.counts).toMatchObject({ total: 5, succeeded: 3, failed: 2, unknown: 0, inProgress: 0 });
      const byName = new Map(done.items.map((item) => [item.username, item]));
      for (const username of plain) {
        expect(byName.get(username)?.status).toBe('succeeded');
        expect(byName.get(username)?.requestId).toMatch(/^[0-9A-F-]{36}$/);
      }
      expect(byName.get(SEED_USERS.clash)).toMatchObject({
        status: 'failed',
        errorCode: 'ClientUser.UserExist',
      });
      expect(byName.get(SEED_USERS.clash)?.errorRequestId).toBeTruthy();
      expect(byName.get(SEED_USERS.staticIp)).toMatchObject({
        status: 'failed',
        errorCode: 'ClientUser.InvalidClientIp',
      });
      expectRoamedOnce(HANGZHOU, plain);

      const attempts = await listItemAttempts(f.opened.db, job.id);
      expect(attempts).toHaveLength(5);
      expect(attempts.every((attempt) => attempt.kind === 'roam' && attempt.finishedAt !== null)).toBe(true);
      expect(attempts.every((attempt) => attempt.actor === 'ops@example.com')).toBe(true);
    });

    it.each([
      ['timeout', { timeout: 0.4 }],
      ['connection reset', { reset: 0.4 }],
      ['malformed answer', { malformed: 0.4 }],
      ['503', { status503: 0.4 }],
    ])(
      'resolves unknown outcomes (%s, before or after the change) by checking the target, never roaming twice',
      async (_, faults) => {
        f.emulator.setKnobs({
          faults,
          faultPhase: 'random',
          faultActions: ['RoamClientUser'],
          timeoutHoldMs: 3_000,
        });
        const worker = f.newWorker();
        const usernames = await f.cleanUsers(30);
        const job = await f.newJob(usernames);
        const done = await finish(worker, job.id);

        expect(done.counts).toMatchObject({ total: 30, succeeded: 30, failed: 0, unknown: 0 });
        expectRoamedOnce(TOKYO, usernames);
        const attempts = await listItemAttempts(f.opened.db, job.id);
        const unknown = attempts.filter(
          (attempt) => attempt.kind === 'roam' && attempt.outcome === 'unknown',
        );
        expect(unknown.length, 'the faults produced unknown outcomes').toBeGreaterThan(0);
        // Every unknown outcome was followed by a check of the target before anything else was sent.
        for (const attempt of unknown) {
          const later = attempts.filter((other) => other.itemId === attempt.itemId && other.id > attempt.id);
          expect(later[0]?.kind, `after the unknown outcome for ${attempt.username}`).toBe('check');
        }
        const verified = done.items.filter((item) => item.verified);
        expect(verified.length).toBeGreaterThan(0);
      },
    );

    it('backs off on throttling it was not told about and loses no item', async () => {
      f.emulator.setKnobs({ rateLimit: { perSecond: 25, burst: 5 } });
      const worker = f.newWorker({ ratePerSecond: 200, concurrency: 16 });
      const usernames = await f.cleanUsers(40);
      const job = await f.newJob(usernames);
      const done = await finish(worker, job.id);

      expect(done.counts).toMatchObject({ total: 40, succeeded: 40, failed: 0 });
      expectRoamedOnce(TOKYO, usernames);
      const attempts = await listItemAttempts(f.opened.db, job.id);
      expect(attempts.some((attempt) => attempt.errorCode === 'Throttling.User')).toBe(true);
      expect(worker.limiter.currentRate).toBeLessThan(200);
    });

    it('resumes after a crash: calls found in flight are checked on the target, never sent twice', async () => {
      const usernames = await f.cleanUsers(6);
      const job = await f.newJob(usernames);
      // A process claims everything, records three attempts as sent and dies; two of them did reach the
      // API (applied on the emulator), one did not.
      const { claimItems, startRoamAttempt } = await import('@/lib/db/jobs');
      const claimed = await claimItems(f.opened.db, { workerId: 'dead-worker', limit: 6, leaseMs: 60_000 });
      expect(claimed).toHaveLength(6);
      for (const item of claimed.slice(0, 3)) {
        await startRoamAttempt(f.opened.db, {
          itemId: item.id,
          actor: 'ops@example.com',
          workerId: 'dead-worker',
        });
      }
      for (const item of claimed.slice(0, 2)) {
        await f.client.roamClientUser({
          regionId: TOKYO.regionId,
          originRegionId: ORIGIN.regionId,
          originSmartAGId: ORIGIN.instanceId,
          targetSmartAGId: TOKYO.instanceId,
          userName: item.username,
        });
      }

      // The next start.
      await f.opened.close();
      f.opened = await f.suite.open();
      const interrupted = await markInterruptedAttempts(f.opened.db, {});
      expect(interrupted.attempts).toBe(3);
      const worker = f.newWorker();
      const done = await finish(worker, job.id);

      expect(done.counts).toMatchObject({ total: 6, succeeded: 6, failed: 0, unknown: 0 });
      expectRoamedOnce(TOKYO, usernames);
      for (const item of claimed.slice(0, 2)) {
        expect(f.emulator.state.roamCount(TOKYO.instanceId, item.username).requests).toBe(1);
        expect(done.items.find((row) => row.id === item.id)?.verified).toBe(true);
      }
      const attempts = await listItemAttempts(f.opened.db, job.id);
      expect(attempts.filter((attempt) => attempt.outcome === 'interrupted')).toHaveLength(3);
    });

    it('parks an item whose target cannot be checked, and completes the job truthfully', async () => {
      // An identity that may roam but not list, and a roam whose answer is lost after it was applied.
      const roamOnly = createSagClient({
        credentials: staticCredentials(ROAM_ONLY_KEY),
        signatureVersion: 'v3',
        endpoint: f.emulator.url,
        timeoutMs: 1_000,
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
      try {
        f.emulator.setKnobs({ faults: { reset: 1 }, faultPhase: 'after', faultActions: ['RoamClientUser'] });
        const [username = ''] = await f.cleanUsers(1);
        const worker = f.newWorker({ api: roamOnly });
        const job = await f.newJob([username]);
        const done = await finish(worker, job.id);

        expect(done.status).toBe('completed');
        expect(done.counts).toMatchObject({ total: 1, unknown: 1, succeeded: 0, failed: 0 });
        expect(done.items[0]).toMatchObject({
          status: 'unknown',
          held: true,
          needsCheck: true,
          errorCode: 'Forbidden.RAM',
        });
        // Applied once, and never sent again while its outcome was unknown.
        expect(f.emulator.state.roamCount(TOKYO.instanceId, username)).toMatchObject({
          requests: 1,
          applied: 1,
        });
        const attempts = await listItemAttempts(f.opened.db, job.id);
        expect(attempts.map((attempt) => [attempt.kind, attempt.outcome])).toEqual([
          ['roam', 'unknown'],
          ['check', 'error'],
        ]);
      } finally {
        roamOnly.close();
      }
    });
  });
}
