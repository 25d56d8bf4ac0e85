// The repository's behaviour, run by one test file per driver (embedded PostgreSQL, PostgreSQL server).
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { blocksJobCompletion, ITEM_STATUSES, isClaimable } from '@/lib/roam/lifecycle';
import type { StoredPlan } from '@/lib/roam/plan-view';
import { type SuiteDatabase, useSuiteDatabase } from '@/lib/testing/suite-database';
import { clock } from '../clock';
import type { Database } from '../database';
import { roamAttempts, roamItems, roamJobs } from '../schema';
import {
  type ClaimedItem,
  type CreateJobInput,
  claimItems,
  createJob,
  type ExportRow,
  exportRows,
  finishRoamAttempt,
  getJob,
  getJobItems,
  holdItem,
  ItemNotSendableError,
  isJobOverlap,
  listItemAttempts,
  listJobs,
  listRunningJobIds,
  markInterruptedAttempts,
  RecordNotFoundError,
  recordCheck,
  releaseItem,
  retryFailedItems,
  setPresence,
  startRoamAttempt,
  stopJobSending,
} from '.';
import { blocksCompletionWhere, claimableWhere, itemState } from './locks';

const baseJob: Omit<CreateJobInput, 'usernames'> = {
  createdBy: 'admin@example.com',
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-origin0001',
  targetRegionId: 'cn-hangzhou',
  targetInstanceId: 'sag-target0001',
  mode: 'emulator',
};

const usernames = (count: number, prefix = 'user') =>
  Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(4, '0')}`);

const minutes = (count: number) => count * 60_000;

export function describeJobsRepository(driver: string, open: () => Promise<SuiteDatabase>) {
  describe(`jobs repository on ${driver}`, () => {
    let databases: SuiteDatabase;
    let db: Database;
    useSuiteDatabase(open, [roamAttempts, roamItems, roamJobs], (opened) => {
      databases = opened;
      db = opened.db;
    });

    /** Claims the job's next item for `workerId` and returns it. */
    async function claimOne(
      jobId: string,
      workerId = 'worker-a',
      options: { now?: Date; leaseMs?: number } = {},
    ) {
      const [item] = await claimItems(db, { jobId, workerId, limit: 1, leaseMs: minutes(1), ...options });
      if (!item) throw new Error('expected an item to claim');
      return item;
    }

    async function itemRow(id: number) {
      const [row] = await db.select().from(roamItems).where(eq(roamItems.id, id));
      if (!row) throw new Error(`no item ${id}`);
      return row;
    }

    async function sendAndFinish(
      item: ClaimedItem,
      outcome: 'succeeded' | 'failed' | 'unknown',
      details: { requestId?: string; errorCode?: string; errorMessage?: string } = {},
    ) {
      const attemptId = await startRoamAttempt(db, { itemId: item.id, actor: 'worker-a' });
      return finishRoamAttempt(db, { attemptId, outcome, ...details });
    }

    describe('createJob', () => {
      it('stores one pending item per distinct username, in the order given', async () => {
        const job = await createJob(db, {
          ...baseJob,
          usernames: ['bob0001', 'alice001', 'bob0001', 'carol01'],
        });

        expect(job).toMatchObject({ status: 'running', itemCount: 3, finishedAt: null, mode: 'emulator' });
        const details = await getJob(db, job.id);
        expect(
          details?.items.map((item) => [item.position, item.username, item.status, item.needsCheck]),
        ).toEqual([
          [0, 'bob0001', 'pending', false],
          [1, 'alice001', 'pending', false],
          [2, 'carol01', 'pending', false],
        ]);
        expect(details?.counts).toEqual({
          succeeded: 0,
          alreadyPresent: 0,
          failed: 0,
          notSent: 0,
          cancelled: 0,
          inProgress: 3,
          unknown: 0,
          total: 3,
        });
      });

      it('writes nothing when any item cannot be stored', async () => {
        await expect(
          createJob(db, { ...baseJob, usernames: ['good0001', 'bad\u0000name'] }),
        ).rejects.toThrow();
        expect(await db.select().from(roamJobs)).toEqual([]);
      });

      it('refuses an empty list and an empty author', async () => {
        await expect(createJob(db, { ...baseJob, usernames: [] })).rejects.toThrow(/at least one/);
        await expect(createJob(db, { ...baseJob, createdBy: '', usernames: ['alice001'] })).rejects.toThrow();
      });
    });

    describe('createJob refuses usernames another job still has to send to the same target', () => {
      it('names the job that holds them, and creates nothing', async () => {
        const first = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001'] });

        const refused = await createJob(db, {
          ...baseJob,
          usernames: ['carol001', 'bob00001', 'alice001'],
        }).catch((error: unknown) => error);

        expect(isJobOverlap(refused)).toBe(true);
        expect(refused).toMatchObject({ jobId: first.id, count: 2, usernames: ['alice001', 'bob00001'] });
        expect((await listJobs(db, { page: 1, pageSize: 10 })).total).toBe(1);
        // Another target, or names the first job no longer has to send, are fine.
        await createJob(db, { ...baseJob, targetInstanceId: 'sag-target0002', usernames: ['alice001'] });
        const [alice] = await claimItems(db, {
          jobId: first.id,
          workerId: 'worker-a',
          limit: 1,
          leaseMs: minutes(1),
        });
        if (!alice) throw new Error('expected alice');
        await sendAndFinish(alice, 'succeeded', { requestId: 'REQ-A' });
        await createJob(db, { ...baseJob, usernames: ['alice001'] });
      });

      it('lets exactly one of two identical submissions through, from two connections at once', async () => {
        const submit = (database: Database) =>
          createJob(database, { ...baseJob, usernames: usernames(50) }).then(
            () => 'created',
            (error: unknown) => (isJobOverlap(error) ? 'refused' : error),
          );

        const outcomes = await Promise.all([submit(db), submit(databases.otherDb), submit(db)]);

        expect(outcomes.sort()).toEqual(['created', 'refused', 'refused']);
        expect(await db.select().from(roamItems)).toHaveLength(50);
      });
    });

    describe('a job that stops sending', () => {
      const full = {
        errorCode: 'ClientUser.UserOverLimit',
        errorMessage: 'full',
        errorRequestId: 'REQ-FULL',
      };

      it('gives up every item with no call that may have been applied, keeps the rest, and resumes with retry failed', async () => {
        const job = await createJob(db, { ...baseJob, usernames: usernames(5) });
        const [refused, sent, lost, waiting] = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-a',
          limit: 4,
          leaseMs: minutes(1),
        });
        if (!refused || !sent || !lost || !waiting) throw new Error('expected four items');
        await sendAndFinish(refused, 'failed', { errorCode: full.errorCode, requestId: full.errorRequestId });
        await startRoamAttempt(db, { itemId: sent.id, actor: 'worker-a' }); // still in flight
        await sendAndFinish(lost, 'unknown');

        const stopped = await stopJobSending(db, { jobId: job.id, reason: full });

        // The waiting leased item and the unclaimed one; not the call in flight, not the unknown outcome.
        expect(stopped).toMatchObject({ stopped: 2, jobCompleted: false });
        const rows = new Map((await getJob(db, job.id))?.items.map((row) => [row.id, row]) ?? []);
        expect(rows.get(waiting.id)).toMatchObject({
          status: 'not_sent',
          errorCode: full.errorCode,
          leaseOwner: null,
        });
        expect(rows.get(sent.id)).toMatchObject({ status: 'in_progress' });
        expect(rows.get(lost.id)).toMatchObject({ status: 'unknown', needsCheck: true });
        await expect(startRoamAttempt(db, { itemId: lost.id, actor: 'worker-a' })).rejects.toThrow();
        const [again] = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-b',
          limit: 1,
          leaseMs: minutes(1),
        });
        expect(again?.id).toBe(lost.id);
        await recordCheck(db, { itemId: lost.id, actor: 'worker-b', outcome: 'absent' });
        const refusal = await startRoamAttempt(db, { itemId: lost.id, actor: 'worker-b' }).catch(
          (error) => error,
        );
        expect(refusal).toMatchObject({ reason: 'job-stopped' });
        expect((await stopJobSending(db, { jobId: job.id })).stopped).toBe(1);
        expect(await db.select().from(roamJobs).where(eq(roamJobs.id, job.id))).toMatchObject([
          { stoppedCode: full.errorCode, stoppedRequestId: 'REQ-FULL', status: 'running' },
        ]);

        expect(await retryFailedItems(db, { jobId: job.id, actor: 'admin@example.com' })).toBe(4);
        const [resumed] = await db.select().from(roamJobs).where(eq(roamJobs.id, job.id));
        expect(resumed).toMatchObject({ stoppedAt: null, stoppedCode: null, status: 'running' });
        expect((await getJob(db, job.id))?.counts).toMatchObject({ notSent: 0, failed: 0, inProgress: 5 });
      });

      it('creates a job from its plan: skipped usernames final at once, the plan kept', async () => {
        const plan = {
          findings: [],
          blocked: false,
          needsConfirmationOfUnknowns: false,
          counts: { send: 1, alreadyOnTarget: 1, notOnOrigin: 1, overQuota: 1, total: 4 },
        } as unknown as StoredPlan;
        const job = await createJob(db, {
          ...baseJob,
          usernames: ['send0001', 'there001', 'absent01', 'toomany1'],
          plan,
          decisions: new Map([
            ['there001', 'already-on-target'],
            ['absent01', 'not-on-origin'],
            ['toomany1', 'over-quota'],
          ]),
        });

        const details = await getJob(db, job.id);
        expect(details?.plan).toEqual(plan);
        expect(
          details?.items.map((row) => [row.username, row.status, row.errorCode, row.targetPresence]),
        ).toEqual([
          ['send0001', 'pending', null, null],
          ['there001', 'already_present', null, 'present'],
          ['absent01', 'not_sent', 'SagRoam.NotOnOrigin', null],
          ['toomany1', 'not_sent', 'SagRoam.OverQuota', null],
        ]);
        expect(details?.counts).toMatchObject({ alreadyPresent: 1, notSent: 2, inProgress: 1 });
        // Skipped usernames are not queued: another job may send them.
        await createJob(db, { ...baseJob, usernames: ['absent01', 'toomany1'] });

        const nothingToSend = await createJob(db, {
          ...baseJob,
          usernames: ['there002'],
          decisions: new Map([['there002', 'already-on-target']]),
        });
        expect(nothingToSend).toMatchObject({ status: 'completed' });
      });
    });

    describe('claimItems', () => {
      it('leases items in position order with the job they belong to', async () => {
        const job = await createJob(db, { ...baseJob, usernames: usernames(5) });

        const first = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-a',
          limit: 2,
          leaseMs: minutes(1),
        });
        const second = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-b',
          limit: 10,
          leaseMs: minutes(1),
        });

        expect(first.map((item) => item.username)).toEqual(['user0000', 'user0001']);
        expect(second.map((item) => item.username)).toEqual(['user0002', 'user0003', 'user0004']);
        expect(first[0]).toMatchObject({
          jobId: job.id,
          needsCheck: false,
          originInstanceId: 'sag-origin0001',
          targetRegionId: 'cn-hangzhou',
          targetInstanceId: 'sag-target0001',
          mode: 'emulator',
        });
        expect(first[0]?.leaseExpiresAt).toBeInstanceOf(Date);
        const row = await itemRow(second[0]?.id ?? 0);
        expect(row).toMatchObject({ status: 'in_progress', leaseOwner: 'worker-b' });
        expect(await claimItems(db, { jobId: job.id, workerId: 'worker-c', limit: 10, leaseMs: 1 })).toEqual(
          [],
        );
      });

      it('without a job, serves the oldest job first', async () => {
        const older = await createJob(db, { ...baseJob, usernames: ['old00001', 'old00002'] });
        const newer = await createJob(db, { ...baseJob, usernames: ['new00001'] });

        const claimed = await claimItems(db, { workerId: 'worker-a', limit: 3, leaseMs: minutes(1) });

        expect(claimed.map((item) => [item.jobId, item.username])).toEqual([
          [older.id, 'old00001'],
          [older.id, 'old00002'],
          [newer.id, 'new00001'],
        ]);
      });

      it('never gives one item to two workers claiming at once from two connections', async () => {
        const job = await createJob(db, { ...baseJob, usernames: usernames(200) });
        const drain = async (database: Database, workerId: string) => {
          const ids: number[] = [];
          while (true) {
            const batch = await claimItems(database, {
              jobId: job.id,
              workerId,
              limit: 7,
              leaseMs: minutes(5),
            });
            if (batch.length === 0) return ids;
            ids.push(...batch.map((item) => item.id));
          }
        };

        // Two workers per connection pool: on PostgreSQL they run on four connections at once.
        const claims = await Promise.all([
          drain(db, 'worker-a'),
          drain(databases.otherDb, 'worker-b'),
          drain(db, 'worker-c'),
          drain(databases.otherDb, 'worker-d'),
        ]);

        const claimed = claims.flat();
        const rows = await db.select().from(roamItems).where(eq(roamItems.jobId, job.id));
        expect(claimed).toHaveLength(200);
        expect(new Set(claimed)).toEqual(new Set(rows.map((row) => row.id)));
        for (const [index, workerId] of ['worker-a', 'worker-b', 'worker-c', 'worker-d'].entries()) {
          const owned = rows.filter((row) => row.leaseOwner === workerId).map((row) => row.id);
          expect(new Set(owned)).toEqual(new Set(claims[index]));
        }
      });

      it('takes back an item whose lease expired, flagged to be checked before any resend', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001'] });
        const start = new Date();
        const item = await claimOne(job.id, 'worker-a', { now: start, leaseMs: minutes(1) });
        const attemptId = await startRoamAttempt(db, { itemId: item.id, actor: 'worker-a', now: start });

        const beforeExpiry = new Date(start.getTime() + minutes(1) - 1);
        expect(
          await claimItems(db, { workerId: 'worker-b', limit: 5, leaseMs: 1, now: beforeExpiry }),
        ).toEqual([]);

        const afterExpiry = new Date(start.getTime() + minutes(1) + 1);
        const [reclaimed] = await claimItems(db, {
          workerId: 'worker-b',
          limit: 5,
          leaseMs: minutes(1),
          now: afterExpiry,
        });
        expect(reclaimed).toMatchObject({ id: item.id, needsCheck: true, attemptCount: 1, takenOver: true });
        expect(item.takenOver).toBe(false);
        const [attempt] = await listItemAttempts(db, job.id);
        expect(attempt).toMatchObject({ id: attemptId, outcome: 'interrupted' });
        expect(attempt?.finishedAt).toBeInstanceOf(Date);

        // The new holder may not send before checking; the old one has lost its lease.
        await expect(
          startRoamAttempt(db, {
            itemId: item.id,
            actor: 'worker-b',
            workerId: 'worker-b',
            now: afterExpiry,
          }),
        ).rejects.toMatchObject({ reason: 'needs-check' });
        await expect(
          startRoamAttempt(db, {
            itemId: item.id,
            actor: 'worker-a',
            workerId: 'worker-a',
            now: afterExpiry,
          }),
        ).rejects.toMatchObject({ reason: 'not-leased' });

        // The old worker's late answer is kept on its attempt but does not touch the new holder's item.
        const late = await finishRoamAttempt(db, { attemptId, outcome: 'succeeded', requestId: 'REQ-LATE' });
        expect(late).toMatchObject({ itemUpdated: false, jobCompleted: false });
        expect((await listItemAttempts(db, job.id))[0]).toMatchObject({
          outcome: 'succeeded',
          requestId: 'REQ-LATE',
        });
        expect(await itemRow(item.id)).toMatchObject({
          status: 'in_progress',
          leaseOwner: 'worker-b',
          needsCheck: true,
        });
      });

      it('reclaims an expired lease without a call in flight, still to be checked', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001'] });
        const start = new Date();
        await claimOne(job.id, 'worker-a', { now: start, leaseMs: 10 });

        const [reclaimed] = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-b',
          limit: 1,
          leaseMs: minutes(1),
          now: new Date(start.getTime() + 11),
        });

        expect(reclaimed?.needsCheck).toBe(true);
      });

      it('skips held items and items not yet due, and takes the latter once due', async () => {
        const job = await createJob(db, {
          ...baseJob,
          usernames: ['alice001', 'bob00001', 'carol001', 'dave0001'],
        });
        const start = new Date();
        const due = new Date(start.getTime() + minutes(1));
        const [alice, bob, carol] = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-a',
          limit: 3,
          leaseMs: minutes(5),
          now: start,
        });
        if (!alice || !bob || !carol) throw new Error('expected three items');
        await releaseItem(db, { itemId: alice.id, status: 'pending', workerId: 'worker-a', notBefore: due });
        await sendAndFinish(bob, 'unknown');
        await db.update(roamItems).set({ notBefore: due }).where(eq(roamItems.id, bob.id));
        await holdItem(db, { itemId: carol.id, workerId: 'worker-a', errorCode: 'Forbidden.RAM' });
        expect(await itemRow(alice.id)).toMatchObject({ status: 'pending', notBefore: due });

        const claimAt = (now: Date) =>
          claimItems(db, { workerId: 'worker-b', limit: 10, leaseMs: minutes(120), now });
        expect((await claimAt(start)).map((item) => item.username)).toEqual(['dave0001']);
        expect(await claimAt(new Date(due.getTime() - 1))).toEqual([]);

        const claimed = await claimAt(due);
        expect(claimed.map((item) => [item.username, item.needsCheck])).toEqual([
          ['alice001', false],
          ['bob00001', true],
        ]);
        expect(await itemRow(alice.id)).toMatchObject({ status: 'in_progress', notBefore: null });
        expect(await claimAt(new Date(due.getTime() + minutes(60)))).toEqual([]);
        expect(await itemRow(carol.id)).toMatchObject({ status: 'unknown', held: true, leaseOwner: null });
      });

      it('still reclaims an expired lease on an item that had a not_before', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001'] });
        const start = new Date();
        const due = new Date(start.getTime() + minutes(1));
        const item = await claimOne(job.id, 'worker-a', { now: start });
        await releaseItem(db, { itemId: item.id, status: 'pending', notBefore: due });
        await claimOne(job.id, 'worker-a', { now: due, leaseMs: 10 });

        const [reclaimed] = await claimItems(db, {
          workerId: 'worker-b',
          limit: 1,
          leaseMs: minutes(1),
          now: new Date(due.getTime() + 11),
        });
        expect(reclaimed).toMatchObject({ id: item.id, needsCheck: true });
      });
    });

    describe('attempts and outcomes', () => {
      it('marks the item to be checked before the call is sent, and clears it on success', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001'] });
        const item = await claimOne(job.id);

        const attemptId = await startRoamAttempt(db, { itemId: item.id, actor: 'worker-a' });
        expect(await itemRow(item.id)).toMatchObject({
          status: 'in_progress',
          needsCheck: true,
          attemptCount: 1,
        });
        expect((await listItemAttempts(db, job.id))[0]).toMatchObject({
          id: attemptId,
          kind: 'roam',
          actor: 'worker-a',
          outcome: null,
          finishedAt: null,
          username: 'alice001',
        });

        const result = await finishRoamAttempt(db, {
          attemptId,
          outcome: 'succeeded',
          requestId: 'REQ-1',
          httpStatus: 200,
        });

        expect(result).toEqual({
          jobId: job.id,
          itemId: item.id,
          itemUpdated: true,
          itemStatus: 'succeeded',
          jobCompleted: false,
        });
        expect(await itemRow(item.id)).toMatchObject({
          status: 'succeeded',
          needsCheck: false,
          requestId: 'REQ-1',
          verified: false,
          leaseOwner: null,
          leaseExpiresAt: null,
        });
        expect((await listItemAttempts(db, job.id))[0]).toMatchObject({
          outcome: 'succeeded',
          httpStatus: 200,
        });
      });

      it('stores the error of a refused call as final: it was certainly not applied', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001'] });
        const item = await claimOne(job.id);

        await sendAndFinish(item, 'failed', {
          requestId: 'REQ-ERR',
          errorCode: 'ClientUser.UserExist',
          errorMessage: 'exists',
        });

        expect(await itemRow(item.id)).toMatchObject({
          status: 'failed',
          needsCheck: false,
          requestId: null,
          errorCode: 'ClientUser.UserExist',
          errorMessage: 'exists',
          errorRequestId: 'REQ-ERR',
          leaseOwner: null,
        });
      });

      it('puts a throttled item back to pending without ending the job', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001'] });
        const item = await claimOne(job.id);
        const attemptId = await startRoamAttempt(db, { itemId: item.id, actor: 'worker-a' });

        const result = await finishRoamAttempt(db, {
          attemptId,
          outcome: 'failed',
          retryable: true,
          errorCode: 'Throttling.User',
        });

        expect(result).toMatchObject({ itemStatus: 'pending', jobCompleted: false });
        expect(await itemRow(item.id)).toMatchObject({
          status: 'pending',
          needsCheck: false,
          notBefore: null,
        });
        expect((await claimOne(job.id)).id).toBe(item.id);
      });

      it('puts a throttled item back to pending, not to be claimed before the given instant', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001'] });
        const start = new Date();
        const due = new Date(start.getTime() + 30_000);
        const item = await claimOne(job.id, 'worker-a', { now: start });
        const attemptId = await startRoamAttempt(db, { itemId: item.id, actor: 'worker-a', now: start });

        const result = await finishRoamAttempt(db, {
          attemptId,
          outcome: 'failed',
          retryable: true,
          notBefore: due,
          errorCode: 'Throttling.User',
        });

        expect(result).toMatchObject({ itemStatus: 'pending', jobCompleted: false });
        expect(await itemRow(item.id)).toMatchObject({
          status: 'pending',
          needsCheck: false,
          notBefore: due,
          errorCode: 'Throttling.User',
        });
        expect(
          await claimItems(db, { jobId: job.id, workerId: 'worker-a', limit: 1, leaseMs: 1, now: start }),
        ).toEqual([]);
        expect((await claimOne(job.id, 'worker-a', { now: due })).id).toBe(item.id);
      });

      it('ignores notBefore on a final failure, and keeps it on an unknown outcome', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001'] });
        const start = new Date();
        const due = new Date(start.getTime() + 5_000);
        const [alice, bob] = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-a',
          limit: 2,
          leaseMs: minutes(1),
          now: start,
        });
        if (!alice || !bob) throw new Error('expected two items');
        const aliceAttempt = await startRoamAttempt(db, { itemId: alice.id, actor: 'worker-a', now: start });
        const bobAttempt = await startRoamAttempt(db, { itemId: bob.id, actor: 'worker-a', now: start });

        await finishRoamAttempt(db, { attemptId: aliceAttempt, outcome: 'failed', notBefore: due });
        await finishRoamAttempt(db, { attemptId: bobAttempt, outcome: 'unknown', notBefore: due });

        expect(await itemRow(alice.id)).toMatchObject({ status: 'failed', notBefore: null });
        expect(await itemRow(bob.id)).toMatchObject({ status: 'unknown', needsCheck: true, notBefore: due });
        expect(
          await claimItems(db, { jobId: job.id, workerId: 'worker-a', limit: 2, leaseMs: 1, now: start }),
        ).toEqual([]);
        expect(await claimOne(job.id, 'worker-a', { now: due })).toMatchObject({
          id: bob.id,
          needsCheck: true,
        });
      });

      it('after an unknown outcome, refuses to resend until a check finds the user absent', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001'] });
        const item = await claimOne(job.id);
        await sendAndFinish(item, 'unknown', { errorCode: 'Timeout', errorMessage: 'no answer' });
        expect(await itemRow(item.id)).toMatchObject({
          status: 'unknown',
          needsCheck: true,
          errorCode: 'Timeout',
        });

        const again = await claimOne(job.id, 'worker-b');
        expect(again).toMatchObject({ id: item.id, needsCheck: true });
        const refusal = await startRoamAttempt(db, { itemId: item.id, actor: 'worker-b' }).catch(
          (error) => error,
        );
        expect(refusal).toBeInstanceOf(ItemNotSendableError);
        expect(refusal).toMatchObject({ reason: 'needs-check' });

        const failedCheck = await recordCheck(db, {
          itemId: item.id,
          actor: 'worker-b',
          outcome: 'error',
          errorCode: 'ServiceUnavailable',
        });
        expect(failedCheck).toMatchObject({ needsCheck: true, itemStatus: 'in_progress' });

        const check = await recordCheck(db, {
          itemId: item.id,
          actor: 'worker-b',
          workerId: 'worker-b',
          outcome: 'absent',
          requestId: 'REQ-LIST',
        });
        expect(check).toMatchObject({ needsCheck: false, itemStatus: 'in_progress', jobCompleted: false });

        const attemptId = await startRoamAttempt(db, {
          itemId: item.id,
          actor: 'worker-b',
          workerId: 'worker-b',
        });
        await finishRoamAttempt(db, { attemptId, outcome: 'succeeded', requestId: 'REQ-2' });
        expect(await itemRow(item.id)).toMatchObject({
          status: 'succeeded',
          attemptCount: 2,
          errorCode: null,
        });
        expect(
          (await listItemAttempts(db, job.id)).map((attempt) => [attempt.kind, attempt.outcome]),
        ).toEqual([
          ['roam', 'unknown'],
          ['check', 'error'],
          ['check', 'absent'],
          ['roam', 'succeeded'],
        ]);
      });

      it('settles an unknown call as succeeded and verified when the check finds the user', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001'] });
        const item = await claimOne(job.id);
        const attemptId = await startRoamAttempt(db, { itemId: item.id, actor: 'worker-a' });
        await finishRoamAttempt(db, {
          attemptId,
          outcome: 'unknown',
          requestId: 'REQ-SENT',
          httpStatus: 503,
        });

        const check = await recordCheck(db, { itemId: item.id, actor: 'worker-a', outcome: 'present' });

        expect(check).toMatchObject({ itemStatus: 'succeeded', needsCheck: false, jobCompleted: true });
        // Roamed by this job (its call may have been applied), but the 503's RequestId is not that of an
        // accepted call: none is shown as the roam's.
        expect(await itemRow(item.id)).toMatchObject({
          status: 'succeeded',
          verified: true,
          needsCheck: false,
          requestId: null,
          targetPresence: 'present',
          errorCode: null,
        });
      });

      it('records an account the target held before, found by a check after a refusal, as already present: never roamed by this job', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001'] });
        const item = await claimOne(job.id);
        await sendAndFinish(item, 'failed', {
          requestId: 'REQ-REFUSED',
          errorCode: 'ClientUser.UserExist',
          errorMessage: 'The user already exists.',
        });
        expect(await retryFailedItems(db, { jobId: job.id, actor: 'admin@example.com' })).toBe(1);
        const retried = await claimOne(job.id);
        expect(retried.needsCheck).toBe(true);

        const check = await recordCheck(db, { itemId: item.id, actor: 'worker-a', outcome: 'present' });

        expect(check).toMatchObject({ itemStatus: 'already_present', needsCheck: false, jobCompleted: true });
        expect(await itemRow(item.id)).toMatchObject({
          status: 'already_present',
          verified: false,
          requestId: null,
          errorCode: null,
          errorRequestId: null,
          targetPresence: 'present',
          leaseOwner: null,
        });
        const details = await getJob(db, job.id);
        expect(details?.counts).toEqual({
          succeeded: 0,
          alreadyPresent: 1,
          failed: 0,
          notSent: 0,
          cancelled: 0,
          inProgress: 0,
          unknown: 0,
          total: 1,
        });
        const exported: ExportRow[] = [];
        for await (const row of exportRows(db, { jobId: job.id })) exported.push(row);
        expect(exported.map((row) => [row.itemStatus, row.requestId])).toEqual([['already_present', null]]);
        const listed = await listJobs(db, { page: 1, pageSize: 10, itemStatus: 'already_present' });
        expect(listed.jobs.map((listedJob) => listedJob.id)).toEqual([job.id]);
        expect((await listJobs(db, { page: 1, pageSize: 10, itemStatus: 'succeeded' })).jobs).toEqual([]);
      });

      it('does not clear the check for a worker that lost its lease, nor while a call is in flight', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001'] });
        const item = await claimOne(job.id);
        await sendAndFinish(item, 'unknown');
        await claimOne(job.id, 'worker-b');

        const stale = await recordCheck(db, {
          itemId: item.id,
          actor: 'worker-a',
          workerId: 'worker-a',
          outcome: 'absent',
        });
        expect(stale.needsCheck).toBe(true);

        await recordCheck(db, {
          itemId: item.id,
          actor: 'worker-b',
          workerId: 'worker-b',
          outcome: 'absent',
        });
        await startRoamAttempt(db, { itemId: item.id, actor: 'worker-b' });
        const whileInFlight = await recordCheck(db, {
          itemId: item.id,
          actor: 'worker-c',
          outcome: 'absent',
        });
        expect(whileInFlight.needsCheck).toBe(true);
      });

      it('refuses to send on an item that is not leased or whose lease has expired', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001'] });
        const start = new Date();
        const leased = await claimOne(job.id, 'worker-a', { now: start, leaseMs: minutes(1) });
        const [pending] = (await getJob(db, job.id))?.items.filter((item) => item.status === 'pending') ?? [];

        await expect(
          startRoamAttempt(db, { itemId: pending?.id ?? 0, actor: 'worker-a' }),
        ).rejects.toMatchObject({
          reason: 'not-leased',
        });
        await expect(
          startRoamAttempt(db, {
            itemId: leased.id,
            actor: 'worker-a',
            now: new Date(start.getTime() + minutes(2)),
          }),
        ).rejects.toMatchObject({ reason: 'lease-expired' });
        await expect(startRoamAttempt(db, { itemId: 987_654, actor: 'worker-a' })).rejects.toMatchObject({
          reason: 'not-found',
        });
        expect(await itemRow(leased.id)).toMatchObject({ attemptCount: 0, needsCheck: false });
      });

      it('refuses to finish the same attempt twice', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001'] });
        const item = await claimOne(job.id);
        const attemptId = await startRoamAttempt(db, { itemId: item.id, actor: 'worker-a' });
        await finishRoamAttempt(db, { attemptId, outcome: 'failed', errorCode: 'SAG.CidrOverlap' });

        await expect(finishRoamAttempt(db, { attemptId, outcome: 'succeeded' })).rejects.toThrow(
          /already finished/,
        );
        expect(await itemRow(item.id)).toMatchObject({ status: 'failed' });
      });
    });

    describe('job completion', () => {
      it('completes the job when no item is pending, in progress or unknown', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001', 'carol001'] });
        const [alice, bob, carol] = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-a',
          limit: 3,
          leaseMs: minutes(1),
        });
        if (!alice || !bob || !carol) throw new Error('expected three items');

        expect((await sendAndFinish(alice, 'succeeded')).jobCompleted).toBe(false);
        expect((await sendAndFinish(bob, 'unknown')).jobCompleted).toBe(false);
        expect((await sendAndFinish(carol, 'failed')).jobCompleted).toBe(false);
        expect((await getJob(db, job.id))?.status).toBe('running');
        expect(await listRunningJobIds(db)).toEqual([job.id]);

        await claimOne(job.id);
        const check = await recordCheck(db, { itemId: bob.id, actor: 'worker-a', outcome: 'present' });

        expect(check.jobCompleted).toBe(true);
        const details = await getJob(db, job.id);
        expect(details?.status).toBe('completed');
        expect(details?.finishedAt).toBeInstanceOf(Date);
        expect(details?.counts).toEqual({
          succeeded: 2,
          alreadyPresent: 0,
          failed: 1,
          notSent: 0,
          cancelled: 0,
          inProgress: 0,
          unknown: 0,
          total: 3,
        });
        expect(await listRunningJobIds(db)).toEqual([]);
      });

      it('completes the job once when its last items finish at the same time on two connections', async () => {
        const job = await createJob(db, { ...baseJob, usernames: usernames(6) });
        const items = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-a',
          limit: 6,
          leaseMs: minutes(1),
        });
        const attempts = await Promise.all(
          items.map((item) => startRoamAttempt(db, { itemId: item.id, actor: 'worker-a' })),
        );

        const results = await Promise.all(
          attempts.map((attemptId, index) =>
            finishRoamAttempt(index % 2 === 0 ? db : databases.otherDb, { attemptId, outcome: 'succeeded' }),
          ),
        );

        expect(results.filter((result) => result.jobCompleted)).toHaveLength(1);
        expect((await getJob(db, job.id))?.status).toBe('completed');
      });
    });

    describe('holdItem', () => {
      it('parks an unknown item, and completes the job when it was the last blocker', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001'] });
        const [alice, bob] = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-a',
          limit: 2,
          leaseMs: minutes(1),
        });
        if (!alice || !bob) throw new Error('expected two items');
        await sendAndFinish(bob, 'unknown', { errorCode: 'Timeout' });
        await claimOne(job.id, 'worker-b');

        const first = await holdItem(db, {
          itemId: bob.id,
          workerId: 'worker-b',
          errorCode: 'Forbidden.RAM',
          errorMessage: 'listing refused',
          errorRequestId: 'REQ-LIST',
        });

        // alice is still leased, so the job goes on.
        expect(first).toEqual({ jobId: job.id, itemHeld: true, jobCompleted: false });
        expect(await itemRow(bob.id)).toMatchObject({
          status: 'unknown',
          held: true,
          needsCheck: true,
          leaseOwner: null,
          leaseExpiresAt: null,
          notBefore: null,
          errorCode: 'Forbidden.RAM',
          errorMessage: 'listing refused',
          errorRequestId: 'REQ-LIST',
        });

        expect((await sendAndFinish(alice, 'succeeded')).jobCompleted).toBe(true);
        const details = await getJob(db, job.id);
        expect(details?.status).toBe('completed');
        expect(details?.counts).toEqual({
          succeeded: 1,
          alreadyPresent: 0,
          failed: 0,
          notSent: 0,
          cancelled: 0,
          inProgress: 0,
          unknown: 1,
          total: 2,
        });
        expect(await listRunningJobIds(db)).toEqual([]);
        const exported: ExportRow[] = [];
        for await (const row of exportRows(db, { jobId: job.id })) exported.push(row);
        expect(exported.map((row) => [row.username, row.held])).toEqual([
          ['alice001', false],
          ['bob00001', true],
        ]);
      });

      it('completes the job at once when the held item was the last blocker, interrupting its call', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001'] });
        const alice = await claimOne(job.id);
        await sendAndFinish(alice, 'failed');
        const bob = await claimOne(job.id);
        const attemptId = await startRoamAttempt(db, { itemId: bob.id, actor: 'worker-a' });

        const result = await holdItem(db, {
          itemId: bob.id,
          workerId: 'worker-a',
          errorCode: 'TooManyUnknown',
        });

        expect(result).toEqual({ jobId: job.id, itemHeld: true, jobCompleted: true });
        expect((await getJob(db, job.id))?.status).toBe('completed');
        expect(
          (await listItemAttempts(db, job.id)).find((attempt) => attempt.id === attemptId)?.outcome,
        ).toBe('interrupted');
      });

      it('does nothing for a worker that lost the lease, nor on a final item', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001'] });
        const start = new Date();
        const alice = await claimOne(job.id, 'worker-a', { now: start, leaseMs: 10 });
        await claimOne(job.id, 'worker-b', { now: new Date(start.getTime() + 11) });
        const bob = await claimOne(job.id, 'worker-b');
        await sendAndFinish(bob, 'succeeded');
        const before = await itemRow(alice.id);

        expect(
          await holdItem(db, { itemId: alice.id, workerId: 'worker-a', errorCode: 'Forbidden.RAM' }),
        ).toEqual({
          jobId: job.id,
          itemHeld: false,
          jobCompleted: false,
        });
        expect(await itemRow(alice.id)).toEqual(before);
        expect(await holdItem(db, { itemId: bob.id, errorCode: 'Forbidden.RAM' })).toMatchObject({
          itemHeld: false,
        });
        expect(await itemRow(bob.id)).toMatchObject({ status: 'succeeded', held: false });
        await expect(holdItem(db, { itemId: 987_654, errorCode: 'Forbidden.RAM' })).rejects.toBeInstanceOf(
          RecordNotFoundError,
        );
      });

      it('is un-parked by a check that finds the user present, or absent (reopening the job)', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001'] });
        const [alice, bob] = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-a',
          limit: 2,
          leaseMs: minutes(1),
        });
        if (!alice || !bob) throw new Error('expected two items');
        await holdItem(db, { itemId: alice.id, errorCode: 'Forbidden.RAM' });
        await holdItem(db, { itemId: bob.id, errorCode: 'Forbidden.RAM' });
        expect((await getJob(db, job.id))?.status).toBe('completed');

        const stillUnknown = await recordCheck(db, {
          itemId: alice.id,
          actor: 'admin@example.com',
          outcome: 'error',
        });
        expect(stillUnknown).toMatchObject({ itemStatus: 'unknown', needsCheck: true });
        expect(await itemRow(alice.id)).toMatchObject({ held: true });

        // No call of alice was ever sent: found on the target, she was there before the job.
        await recordCheck(db, { itemId: alice.id, actor: 'admin@example.com', outcome: 'present' });
        expect(await itemRow(alice.id)).toMatchObject({
          status: 'already_present',
          held: false,
          verified: false,
        });
        expect((await getJob(db, job.id))?.status).toBe('completed');

        const absent = await recordCheck(db, {
          itemId: bob.id,
          actor: 'admin@example.com',
          outcome: 'absent',
        });
        expect(absent).toMatchObject({ itemStatus: 'pending', needsCheck: false });
        expect(await itemRow(bob.id)).toMatchObject({ status: 'pending', held: false, notBefore: null });
        expect(await getJob(db, job.id)).toMatchObject({ status: 'running', finishedAt: null });
        expect(await claimOne(job.id)).toMatchObject({ id: bob.id, needsCheck: false });
      });

      it('is refused by the database on an item that is not unknown', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001'] });
        const item = await claimOne(job.id);

        await expect(
          db.update(roamItems).set({ held: true }).where(eq(roamItems.id, item.id)),
        ).rejects.toThrow();
        await releaseItem(db, { itemId: item.id, status: 'pending' });
        await expect(
          db.update(roamItems).set({ held: true }).where(eq(roamItems.id, item.id)),
        ).rejects.toThrow();
        await holdItem(db, { itemId: item.id, errorCode: 'Forbidden.RAM' });
        await expect(
          db.update(roamItems).set({ status: 'pending' }).where(eq(roamItems.id, item.id)),
        ).rejects.toThrow();
        expect(await itemRow(item.id)).toMatchObject({ status: 'unknown', held: true });
      });
    });

    describe('retryFailedItems', () => {
      it('sends failed items back to pending, to be checked first, and reopens the job', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001'] });
        const [alice, bob] = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-a',
          limit: 2,
          leaseMs: minutes(1),
        });
        if (!alice || !bob) throw new Error('expected two items');
        await sendAndFinish(alice, 'succeeded');
        await sendAndFinish(bob, 'failed', { errorCode: 'ClientUser.UserOverLimit' });
        expect((await getJob(db, job.id))?.status).toBe('completed');

        expect(await retryFailedItems(db, { jobId: job.id, actor: 'admin@example.com' })).toBe(1);

        const details = await getJob(db, job.id);
        expect(details).toMatchObject({
          status: 'running',
          finishedAt: null,
          retriedBy: 'admin@example.com',
        });
        expect(details?.items.map((item) => [item.username, item.status, item.needsCheck])).toEqual([
          ['alice001', 'succeeded', false],
          ['bob00001', 'pending', true],
        ]);
        expect(await retryFailedItems(db, { jobId: job.id, actor: 'admin@example.com' })).toBe(0);
        expect(await claimOne(job.id)).toMatchObject({ id: bob.id, needsCheck: true });
      });

      it('un-parks held items too, still unknown and to be checked first', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001', 'carol001'] });
        const [alice, bob, carol] = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-a',
          limit: 3,
          leaseMs: minutes(1),
        });
        if (!alice || !bob || !carol) throw new Error('expected three items');
        await sendAndFinish(alice, 'succeeded');
        await sendAndFinish(bob, 'failed', { errorCode: 'ClientUser.UserOverLimit' });
        await sendAndFinish(carol, 'unknown');
        await claimOne(job.id);
        await holdItem(db, { itemId: carol.id, workerId: 'worker-a', errorCode: 'Forbidden.RAM' });
        expect((await getJob(db, job.id))?.status).toBe('completed');

        expect(await retryFailedItems(db, { jobId: job.id, actor: 'ops@example.com' })).toBe(2);

        const details = await getJob(db, job.id);
        expect(details).toMatchObject({ status: 'running', finishedAt: null, retriedBy: 'ops@example.com' });
        expect(details?.retriedAt).toBeInstanceOf(Date);
        expect(
          details?.items.map((item) => [item.username, item.status, item.needsCheck, item.held]),
        ).toEqual([
          ['alice001', 'succeeded', false, false],
          ['bob00001', 'pending', true, false],
          ['carol001', 'unknown', true, false],
        ]);
        const claimed = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-b',
          limit: 5,
          leaseMs: minutes(1),
        });
        expect(claimed.map((item) => [item.id, item.needsCheck])).toEqual([
          [bob.id, true],
          [carol.id, true],
        ]);
        expect(await retryFailedItems(db, { jobId: job.id, actor: 'ops@example.com' })).toBe(0);
      });
    });

    describe('releaseItem', () => {
      it('gives the item back without a final state, keeping its check flag', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001'] });
        const [alice, bob] = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-a',
          limit: 2,
          leaseMs: minutes(1),
        });
        if (!alice || !bob) throw new Error('expected two items');
        await startRoamAttempt(db, { itemId: bob.id, actor: 'worker-a' });

        expect(await releaseItem(db, { itemId: alice.id, status: 'pending', workerId: 'someone-else' })).toBe(
          false,
        );
        expect(await releaseItem(db, { itemId: alice.id, status: 'pending', workerId: 'worker-a' })).toBe(
          true,
        );
        expect(await releaseItem(db, { itemId: bob.id, status: 'unknown' })).toBe(true);
        expect(await releaseItem(db, { itemId: bob.id, status: 'unknown' })).toBe(false);

        expect(await itemRow(alice.id)).toMatchObject({
          status: 'pending',
          needsCheck: false,
          leaseOwner: null,
        });
        expect(await itemRow(bob.id)).toMatchObject({
          status: 'unknown',
          needsCheck: true,
          leaseOwner: null,
        });
        expect((await listItemAttempts(db, job.id))[0]?.outcome).toBe('interrupted');
        expect((await getJob(db, job.id))?.status).toBe('running');
      });
    });

    describe('markInterruptedAttempts', () => {
      it('turns calls left in flight into interrupted, their items unknown and to be checked', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001', 'carol001'] });
        const start = new Date();
        const [alice, bob] = await claimItems(db, {
          jobId: job.id,
          workerId: 'worker-dead',
          limit: 2,
          leaseMs: minutes(1),
          now: start,
        });
        if (!alice || !bob) throw new Error('expected two items');
        const attemptId = await startRoamAttempt(db, { itemId: alice.id, actor: 'worker-dead', now: start });
        const live = await claimOne(job.id, 'worker-alive', { now: new Date(start.getTime() + minutes(1)) });

        // Shared PostgreSQL: only leases that expired are recovered; worker-alive's lease is kept.
        const recovered = await markInterruptedAttempts(db, {
          olderThan: new Date(start.getTime() + minutes(1) + 1),
        });

        expect(recovered).toEqual({ items: 2, attempts: 1 });
        expect(await itemRow(alice.id)).toMatchObject({
          status: 'unknown',
          needsCheck: true,
          leaseOwner: null,
        });
        expect(await itemRow(bob.id)).toMatchObject({ status: 'pending', needsCheck: false });
        expect(await itemRow(live.id)).toMatchObject({ status: 'in_progress', leaseOwner: 'worker-alive' });
        expect(
          (await listItemAttempts(db, job.id)).find((attempt) => attempt.id === attemptId)?.outcome,
        ).toBe('interrupted');

        // Embedded database at start-up: every lease belonged to the previous process.
        expect(await markInterruptedAttempts(db)).toEqual({ items: 1, attempts: 0 });
        expect(await itemRow(live.id)).toMatchObject({ status: 'pending', leaseOwner: null });
      });
    });

    describe('setPresence', () => {
      it('records what the target holds, and verifies the succeeded items found there', async () => {
        const job = await createJob(db, { ...baseJob, usernames: ['alice001', 'bob00001', 'carol001'] });
        const alice = await claimOne(job.id);
        await sendAndFinish(alice, 'succeeded');

        const updated = await setPresence(db, {
          jobId: job.id,
          presence: [
            { username: 'alice001', present: true },
            { username: 'bob00001', present: true },
            { username: 'carol001', present: false },
            { username: 'nobody01', present: true },
          ],
        });

        expect(updated).toBe(3);
        const items = (await getJob(db, job.id))?.items ?? [];
        expect(items.map((item) => [item.username, item.status, item.targetPresence, item.verified])).toEqual(
          [
            ['alice001', 'succeeded', 'present', true],
            ['bob00001', 'pending', 'present', false],
            ['carol001', 'pending', 'missing', false],
          ],
        );
        expect(items.every((item) => item.presenceCheckedAt instanceof Date)).toBe(true);
      });
    });

    describe('the lifecycle rules in SQL', () => {
      it('claims and keeps jobs open exactly as lib/roam/lifecycle.ts says, over every combination of states', async () => {
        const now = new Date('2026-12-01T12:00:00.000Z');
        const instants = [null, new Date(now.getTime() - 1), now, new Date(now.getTime() + 1)];
        const combinations = ITEM_STATUSES.flatMap((status) =>
          [false, true].flatMap((held) =>
            instants.flatMap((notBefore) =>
              (status === 'in_progress' ? instants.slice(1) : [null]).map((leaseExpiresAt) => ({
                status,
                held,
                notBefore,
                leaseExpiresAt,
              })),
            ),
          ),
        );
        // Rows the check constraints allow: parked items are unknown, a lease exactly while in progress.
        const allowed = combinations.filter((row) => !row.held || row.status === 'unknown');
        const job = await createJob(db, { ...baseJob, usernames: usernames(allowed.length) });
        const items = (await getJob(db, job.id))?.items ?? [];
        for (const [index, row] of allowed.entries()) {
          await db
            .update(roamItems)
            .set({
              ...row,
              needsCheck: row.status === 'unknown',
              leaseOwner: row.status === 'in_progress' ? 'worker-a' : null,
              leaseToken: row.status === 'in_progress' ? crypto.randomUUID() : null,
            })
            .where(eq(roamItems.id, items[index]?.id ?? 0));
        }

        const rows = await db.select().from(roamItems).where(eq(roamItems.jobId, job.id));
        const claimable = await db
          .select({ id: roamItems.id })
          .from(roamItems)
          .where(and(eq(roamItems.jobId, job.id), claimableWhere(clock(now))));
        const blocking = await db
          .select({ id: roamItems.id })
          .from(roamItems)
          .where(and(eq(roamItems.jobId, job.id), blocksCompletionWhere));

        expect(rows).toHaveLength(allowed.length);
        expect(new Set(claimable.map((row) => row.id))).toEqual(
          new Set(rows.filter((row) => isClaimable(itemState(row), now)).map((row) => row.id)),
        );
        expect(new Set(blocking.map((row) => row.id))).toEqual(
          new Set(rows.filter((row) => blocksJobCompletion(row)).map((row) => row.id)),
        );
        expect(claimable.length).toBeGreaterThan(0);
        expect(blocking.length).toBeLessThan(rows.length);
      });
    });

    describe('reads', () => {
      async function jobAt(createdAt: string, overrides: Partial<CreateJobInput> & { usernames: string[] }) {
        const job = await createJob(db, { ...baseJob, ...overrides });
        // Through SQL text: a JS Date cannot carry the microseconds PostgreSQL keeps.
        await db
          .update(roamJobs)
          .set({ createdAt: sql`${createdAt}::timestamptz` })
          .where(eq(roamJobs.id, job.id));
        return job.id;
      }

      it('lists jobs newest first, filtered and paged, with their counts', async () => {
        const january = await jobAt('2026-01-10T10:00:00Z', { usernames: ['alice001', 'bob00001'] });
        const february = await jobAt('2026-02-10T10:00:00Z', {
          usernames: ['Carol.Smith@corp'],
          originInstanceId: 'sag-other0001',
          targetInstanceId: 'sag-origin0001',
        });
        const march = await jobAt('2026-03-10T10:00:00Z', {
          usernames: ['dave0001'],
          originInstanceId: 'sag-third0001',
          targetInstanceId: 'sag-fourth001',
        });
        const item = await claimOne(march);
        await sendAndFinish(item, 'succeeded');

        const all = await listJobs(db, { page: 1, pageSize: 10 });
        expect(all.total).toBe(3);
        expect(all.jobs.map((job) => job.id)).toEqual([march, february, january]);
        expect(all.jobs[0]).toMatchObject({ status: 'completed', counts: { succeeded: 1, total: 1 } });
        expect(all.jobs[2]?.counts).toEqual({
          succeeded: 0,
          alreadyPresent: 0,
          failed: 0,
          notSent: 0,
          cancelled: 0,
          inProgress: 2,
          unknown: 0,
          total: 2,
        });

        const paged = await listJobs(db, { page: 2, pageSize: 2 });
        expect(paged).toMatchObject({ total: 3 });
        expect(paged.jobs.map((job) => job.id)).toEqual([january]);

        const ids = async (filter: Parameters<typeof listJobs>[1]) =>
          (await listJobs(db, filter)).jobs.map((job) => job.id);
        const page = { page: 1, pageSize: 10 };
        expect(await ids({ ...page, username: 'carol.smith' })).toEqual([february]);
        expect(await ids({ ...page, username: '%' })).toEqual([]);
        expect(await ids({ ...page, instance: 'sag-origin0001' })).toEqual([february, january]);
        expect(await ids({ ...page, status: 'completed' })).toEqual([march]);
        expect(await ids({ ...page, status: 'running' })).toEqual([february, january]);
        expect(
          await ids({
            ...page,
            from: new Date('2026-02-10T10:00:00Z'),
            to: new Date('2026-03-10T10:00:00Z'),
          }),
        ).toEqual([february]);
        expect(await ids({ ...page, from: new Date('2026-04-01T00:00:00Z') })).toEqual([]);
      });

      it('pages a job items and returns nothing for an id that is not a job', async () => {
        const job = await createJob(db, { ...baseJob, usernames: usernames(5) });

        const second = await getJobItems(db, { jobId: job.id, page: 2, pageSize: 2 });

        expect(second.total).toBe(5);
        expect(second.items.map((item) => item.username)).toEqual(['user0002', 'user0003']);
        expect(await getJobItems(db, { jobId: job.id, status: 'failed', page: 1, pageSize: 2 })).toEqual({
          items: [],
          total: 0,
        });
        expect(await getJob(db, 'not-a-uuid')).toBeNull();
        expect(await getJob(db, '00000000-0000-4000-8000-000000000000')).toBeNull();
        expect(await listItemAttempts(db, 'not-a-uuid')).toEqual([]);
      });

      it('exports every item with its last attempt, in batches, newest job first', async () => {
        const older = await jobAt('2026-01-10T10:00:00Z', { usernames: usernames(7, 'old') });
        const newer = await jobAt('2026-01-10T10:00:00.000001Z', { usernames: usernames(4, 'new') });
        const item = await claimOne(older);
        await sendAndFinish(item, 'failed', { requestId: 'REQ-9', errorCode: 'SAG.CidrEmpty' });
        await recordCheck(db, { itemId: item.id, actor: 'admin@example.com', outcome: 'error' });

        const collect = async (filter: Parameters<typeof exportRows>[1]) => {
          const rows: ExportRow[] = [];
          for await (const row of exportRows(db, filter, { batchSize: 3 })) rows.push(row);
          return rows;
        };
        const rows = await collect({});

        expect(rows.map((row) => `${row.jobId === newer ? 'new' : 'old'}:${row.position}`)).toEqual([
          ...[0, 1, 2, 3].map((position) => `new:${position}`),
          ...[0, 1, 2, 3, 4, 5, 6].map((position) => `old:${position}`),
        ]);
        expect(rows.find((row) => row.username === 'old0000')).toMatchObject({
          jobId: older,
          createdBy: 'admin@example.com',
          originInstanceId: 'sag-origin0001',
          itemStatus: 'failed',
          errorCode: 'SAG.CidrEmpty',
          errorRequestId: 'REQ-9',
          attemptCount: 1,
          lastAttemptKind: 'check',
          lastAttemptOutcome: 'error',
          lastAttemptActor: 'admin@example.com',
        });
        expect(rows.find((row) => row.username === 'old0000')?.lastAttemptStartedAt).toBeInstanceOf(Date);
        expect(rows.find((row) => row.username === 'new0001')).toMatchObject({
          lastAttemptKind: null,
          lastAttemptOutcome: null,
        });
        expect((await collect({ username: 'OLD000' })).map((row) => row.username)).toEqual(
          usernames(7, 'old'),
        );
        expect(await collect({ jobId: newer, username: 'old' })).toEqual([]);
        expect((await collect({ jobId: newer })).length).toBe(4);
      });
    });
  });
}
