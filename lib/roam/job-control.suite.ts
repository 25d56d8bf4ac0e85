// Cancel and undo against the real parts: the emulator over HTTP, the SAG client, the worker and a real
// database. One suite, run by one test file per database driver (embedded PostgreSQL, PostgreSQL server).
import { describe, expect, it } from 'vitest';
import {
  cancelJob,
  claimItems,
  createJob,
  createUndoJob,
  getJob,
  listItemAttempts,
  markInterruptedAttempts,
  retryFailedItems,
  startRoamAttempt,
  undoCandidates,
} from '@/lib/db/jobs';
import { SEED_USERS } from '@/lib/emulator';
import type { ReopenableSuiteDatabase } from '@/lib/testing/suite-database';
import { ORIGIN, TOKYO, useWorkerFixture } from './worker-fixture';

const ACTOR = 'ops@example.com';

export function describeJobControl(driver: string, database: () => Promise<ReopenableSuiteDatabase>) {
  describe(`cancel and undo on ${driver}`, () => {
    const f = useWorkerFixture(database, { timeoutMs: 1_000, concurrency: 4 });
    const cleanUsers = (count: number) => f.cleanUsers(count, [TOKYO]);

    /** A finished roam job of `count` clean usernames, the worker that ran it stopped, and its undo job. */
    async function roamedThenUndo(count: number, createdBy = ACTOR) {
      const usernames = cleanUsers(count);
      const worker = f.newWorker();
      const job = await f.newJob(usernames);
      expect(await worker.waitForJob(job.id, 20_000)).toBe(true);
      await worker.stop();
      const { job: undo } = await createUndoJob(f.opened.db, { jobId: job.id, createdBy, mode: 'emulator' });
      return { usernames, job, undo };
    }

    async function ended(jobId: string) {
      await expect
        .poll(async () => (await getJob(f.opened.db, jobId))?.status, { timeout: 20_000, interval: 50 })
        .not.toBe('running');
      const job = await getJob(f.opened.db, jobId);
      if (!job) throw new Error('job vanished');
      return job;
    }

    const onTokyo = () =>
      new Set(f.emulator.state.accounts(TOKYO.instanceId).map((account) => account.userName));
    const calls = (action: string) =>
      f.emulator.state.requestLog().filter((entry) => entry.action === action);

    it('cancel: no call starts after it, calls in flight are recorded, the rest is cancelled, with who and when', async () => {
      const usernames = cleanUsers(30);
      // 10 calls a second, 150 ms each: the cancel lands with some sent, one or two in flight, most not sent.
      f.emulator.setKnobs({ latencyMs: 150 });
      f.newWorker({ ratePerSecond: 10 });
      const job = await f.newJob(usernames);
      await expect
        .poll(async () => (await getJob(f.opened.db, job.id))?.counts.succeeded, {
          timeout: 10_000,
          interval: 20,
        })
        .toBeGreaterThanOrEqual(3);

      const cancel = await cancelJob(f.opened.db, { jobId: job.id, actor: 'lead@example.com' });
      const cancelledAt = Date.now();
      expect(cancel.cancelled).toBeGreaterThan(10);
      const done = await ended(job.id);

      expect(done).toMatchObject({ status: 'cancelled', cancelledBy: 'lead@example.com' });
      expect(done.cancelledAt).toBeInstanceOf(Date);
      expect(done.finishedAt).toBeInstanceOf(Date);
      // Calls that arrived after the cancel were already in flight: at most the worker's concurrency, and each
      // is recorded with its outcome on an item that was not cancelled.
      const late = calls('RoamClientUser').filter((entry) => entry.at > cancelledAt);
      expect(late.length).toBeLessThanOrEqual(4);
      const byStatus = (status: string) => done.items.filter((item) => item.status === status);
      expect(byStatus('cancelled').length).toBe(cancel.cancelled);
      expect(byStatus('succeeded').length + byStatus('cancelled').length).toBe(30);
      const attempts = await listItemAttempts(f.opened.db, job.id);
      expect(attempts.every((attempt) => attempt.outcome !== null)).toBe(true);
      expect(attempts.filter((attempt) => attempt.kind === 'roam')).toHaveLength(
        byStatus('succeeded').length,
      );
      const cancelled = new Set(byStatus('cancelled').map((item) => item.username));
      expect([...onTokyo()].filter((name) => cancelled.has(name))).toEqual([]);

      // A cancel is final, and says so.
      await expect(cancelJob(f.opened.db, { jobId: job.id, actor: ACTOR })).rejects.toMatchObject({
        reason: 'finished',
      });
      await expect(retryFailedItems(f.opened.db, { jobId: job.id, actor: ACTOR })).rejects.toMatchObject({
        reason: 'cancelled',
      });
    });

    it('cancel on one process stops the other process sending', async () => {
      const usernames = cleanUsers(24);
      f.emulator.setKnobs({ latencyMs: 100 });
      // Two workers stand for two processes on one database; the cancel is a plain database write, as from a
      // third process's page.
      f.newWorker({ ratePerSecond: 6, concurrency: 2 });
      f.newWorker({ ratePerSecond: 6, concurrency: 2 });
      const job = await f.newJob(usernames);
      await expect
        .poll(async () => (await getJob(f.opened.db, job.id))?.counts.succeeded, {
          timeout: 10_000,
          interval: 20,
        })
        .toBeGreaterThanOrEqual(2);
      await cancelJob(f.opened.db, { jobId: job.id, actor: ACTOR });
      const cancelledAt = Date.now();
      const done = await ended(job.id);
      expect(done.status).toBe('cancelled');
      expect(calls('RoamClientUser').filter((entry) => entry.at > cancelledAt).length).toBeLessThanOrEqual(4);
      expect(done.items.filter((item) => item.status === 'cancelled').length).toBeGreaterThan(10);
    });

    it('undo: deletes exactly the accounts this job roamed, each once; in use this month is shown and kept', async () => {
      const roamed = cleanUsers(4);
      const [inUse] = roamed;
      const [there] = f.emulator.state.accounts(TOKYO.instanceId).map((account) => account.userName);
      if (!inUse || !there) throw new Error('no user');
      const worker = f.newWorker();
      // Roamed (4), already on the target as the plan found (1), refused (1).
      const job = await createJob(f.opened.db, {
        createdBy: ACTOR,
        originRegionId: ORIGIN.regionId,
        originInstanceId: ORIGIN.instanceId,
        targetRegionId: TOKYO.regionId,
        targetInstanceId: TOKYO.instanceId,
        usernames: [...roamed, there, SEED_USERS.unknown],
        mode: 'emulator',
        decisions: new Map([[there, 'already-on-target']]),
      });
      expect(await worker.waitForJob(job.id, 20_000)).toBe(true);
      expect((await getJob(f.opened.db, job.id))?.counts).toMatchObject({
        succeeded: 4,
        alreadyPresent: 1,
        failed: 1,
      });
      // The first account connects this month: it cannot be deleted until the month ends.
      expect(f.emulator.state.markUsedThisMonth(TOKYO.instanceId, inUse)).toBe(true);

      // A job still running cannot be undone (no worker runs meanwhile, so it stays running); a finished one once.
      await worker.stop();
      const running = await f.newJob(cleanUsers(10));
      await expect(
        createUndoJob(f.opened.db, { jobId: running.id, createdBy: ACTOR, mode: 'emulator' }),
      ).rejects.toMatchObject({ reason: 'running' });
      expect((await cancelJob(f.opened.db, { jobId: running.id, actor: ACTOR })).jobEnded).toBe(true);
      expect(await undoCandidates(f.opened.db, job.id)).toEqual({
        usernames: roamed,
        withoutOwnCall: 0,
        roamedAgainLater: 0,
      });
      const { job: undo } = await createUndoJob(f.opened.db, {
        jobId: job.id,
        createdBy: 'lead@example.com',
        mode: 'emulator',
      });
      await expect(
        createUndoJob(f.opened.db, { jobId: job.id, createdBy: ACTOR, mode: 'emulator' }),
      ).rejects.toMatchObject({ reason: 'undone' });
      f.newWorker();
      const done = await ended(undo.id);

      expect(done).toMatchObject({
        kind: 'undo',
        undoesJobId: job.id,
        status: 'completed',
        createdBy: 'lead@example.com',
      });
      const byName = new Map(done.items.map((item) => [item.username, item]));
      expect(byName.get(inUse)).toMatchObject({ status: 'failed', errorCode: 'ClientUser.UserInUsing' });
      for (const username of roamed.slice(1)) {
        expect(byName.get(username)?.status, username).toBe('succeeded');
        expect(byName.get(username)?.requestId).toMatch(/^[A-Za-z0-9-]+$/);
        expect(onTokyo().has(username)).toBe(false);
      }
      expect(onTokyo().has(inUse)).toBe(true);
      expect(onTokyo().has(there)).toBe(true);
      // One delete per account this job roamed, none for the others; an undo is not undone.
      const deletes = calls('DeleteSmartAccessGatewayClientUser').map((entry) => entry.params.UserName);
      expect(deletes.sort()).toEqual([...roamed].sort());
      await expect(
        createUndoJob(f.opened.db, { jobId: undo.id, createdBy: ACTOR, mode: 'emulator' }),
      ).rejects.toMatchObject({ reason: 'undo-of-undo' });
    });

    it('an undo can be cancelled, and then goes on with retry failed', async () => {
      const { usernames, undo } = await roamedThenUndo(12);
      expect(await cancelJob(f.opened.db, { jobId: undo.id, actor: ACTOR })).toEqual({
        cancelled: 12,
        jobEnded: true,
      });
      expect((await getJob(f.opened.db, undo.id))?.status).toBe('cancelled');
      expect(calls('DeleteSmartAccessGatewayClientUser')).toHaveLength(0);

      expect(await retryFailedItems(f.opened.db, { jobId: undo.id, actor: ACTOR })).toBe(12);
      const resumed = await getJob(f.opened.db, undo.id);
      expect(resumed).toMatchObject({ status: 'running', cancelledAt: null, cancelledBy: null });
      f.newWorker();
      const done = await ended(undo.id);
      expect(done.counts).toMatchObject({ succeeded: 12, cancelled: 0 });
      for (const username of usernames) expect(onTokyo().has(username)).toBe(false);
      expect(calls('DeleteSmartAccessGatewayClientUser')).toHaveLength(12);
    });

    it('undo keeps what this job did not roam: already present, and roamed again by a later job', async () => {
      const [first, second] = cleanUsers(2);
      if (!first || !second) throw new Error('no users');
      const worker = f.newWorker();
      const job = await f.newJob([first, second]);
      expect(await worker.waitForJob(job.id, 20_000)).toBe(true);
      // Someone deletes `second` in the console; a later job roams it again: that copy is the later job's.
      await f.client.deleteSmartAccessGatewayClientUser({
        regionId: TOKYO.regionId,
        smartAGId: TOKYO.instanceId,
        userName: second,
      });
      const later = await f.newJob([second, first]);
      expect(await worker.waitForJob(later.id, 20_000)).toBe(true);
      expect((await getJob(f.opened.db, later.id))?.items.map((item) => item.status)).toEqual([
        'succeeded',
        'failed',
      ]);

      expect(await undoCandidates(f.opened.db, job.id)).toEqual({
        usernames: [first],
        withoutOwnCall: 0,
        roamedAgainLater: 1,
      });
    });

    for (const phase of ['before', 'after'] as const) {
      it(`a lost delete answer (${phase} the delete applied) is resolved by a check, never deleted twice`, async () => {
        const usernames = cleanUsers(3);
        const worker = f.newWorker();
        const job = await f.newJob(usernames);
        expect(await worker.waitForJob(job.id, 20_000)).toBe(true);
        f.emulator.setKnobs({
          faults: { reset: 1 },
          faultPhase: phase,
          faultActions: ['DeleteSmartAccessGatewayClientUser'],
        });
        const { job: undo } = await createUndoJob(f.opened.db, {
          jobId: job.id,
          createdBy: ACTOR,
          mode: 'emulator',
        });
        // Every delete answer is lost once; then the faults stop, so the checks and resends get through.
        await expect
          .poll(() => calls('DeleteSmartAccessGatewayClientUser').length, { timeout: 10_000, interval: 20 })
          .toBeGreaterThanOrEqual(3);
        f.emulator.setKnobs({ faults: {} });
        const done = await ended(undo.id);

        expect(done.counts).toMatchObject({ succeeded: 3, failed: 0, unknown: 0 });
        for (const username of usernames) expect(onTokyo().has(username)).toBe(false);
        const attempts = await listItemAttempts(f.opened.db, undo.id);
        expect(attempts.filter((attempt) => attempt.kind === 'check').length).toBeGreaterThanOrEqual(3);
        const applied = calls('DeleteSmartAccessGatewayClientUser').filter((entry) => entry.applied);
        expect(applied).toHaveLength(3);
        if (phase === 'after') {
          // Applied, answer lost: the check found the account gone, so nothing was sent again.
          expect(done.items.every((item) => item.verified && item.requestId === null)).toBe(true);
        }
      });
    }

    it('an undo resumes after a crash: deletes found in flight are checked on the target, never sent twice', async () => {
      const { usernames, undo } = await roamedThenUndo(4);
      // A process claims the undo, records two deletes as sent and dies; one of them reached the API.
      const claimed = await claimItems(f.opened.db, { workerId: 'dead-worker', limit: 4, leaseMs: 60_000 });
      expect(claimed.map((item) => item.kind)).toEqual(['undo', 'undo', 'undo', 'undo']);
      for (const item of claimed.slice(0, 2)) {
        await startRoamAttempt(f.opened.db, { itemId: item.id, actor: ACTOR, workerId: 'dead-worker' });
      }
      const [reached] = claimed;
      if (!reached) throw new Error('nothing claimed');
      await f.client.deleteSmartAccessGatewayClientUser({
        regionId: TOKYO.regionId,
        smartAGId: TOKYO.instanceId,
        userName: reached.username,
      });

      await f.opened.close();
      f.opened = await f.suite.open();
      expect((await markInterruptedAttempts(f.opened.db, {})).attempts).toBe(2);
      f.newWorker();
      const done = await ended(undo.id);

      expect(done.counts).toMatchObject({ total: 4, succeeded: 4, failed: 0, unknown: 0 });
      for (const username of usernames) expect(onTokyo().has(username)).toBe(false);
      const deletes = calls('DeleteSmartAccessGatewayClientUser');
      expect(deletes.filter((entry) => entry.params.UserName === reached.username)).toHaveLength(1);
      expect(deletes).toHaveLength(4);
      const attempts = await listItemAttempts(f.opened.db, undo.id);
      expect(
        attempts.filter((attempt) => attempt.kind === 'delete' && attempt.outcome === 'interrupted'),
      ).toHaveLength(2);
    });
  });
}
