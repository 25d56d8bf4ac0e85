// Change-only reads of a job (what the job page polls), run by one test file per driver (embedded PostgreSQL,
// a PostgreSQL server).
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type SuiteDatabase, useSuiteDatabase } from '@/lib/testing/suite-database';
import type { Database } from '../database';
import { roamAttempts, roamItems, roamJobs } from '../schema';
import { type CreateJobInput, claimItems, createJob, finishRoamAttempt, getJob, startRoamAttempt } from '.';
import { getJobChanges } from './changes';

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

export function describeJobChanges(
  driver: 'embedded PostgreSQL' | 'PostgreSQL',
  open: () => Promise<SuiteDatabase>,
) {
  describe(`job changes on ${driver}`, () => {
    let databases: SuiteDatabase;
    let db: Database;
    useSuiteDatabase(open, [roamAttempts, roamItems, roamJobs], (opened) => {
      databases = opened;
      db = opened.db;
    });

    async function newJob(count: number, prefix?: string) {
      const job = await createJob(db, { ...baseJob, usernames: usernames(count, prefix) });
      const whole = await getJob(db, job.id);
      if (!whole) throw new Error('the job just created cannot be read');
      return whole;
    }

    async function changesSince(jobId: string, cursor: string) {
      const changes = await getJobChanges(db, jobId, BigInt(cursor));
      if (!changes) throw new Error('the job cannot be read');
      return changes;
    }

    /** Claims the job's next item and sends it with the given outcome, as the worker does. */
    async function roamNext(jobId: string, outcome: 'succeeded' | 'failed') {
      const [claimed] = await claimItems(db, { jobId, workerId: 'worker-a', limit: 1, leaseMs: 60_000 });
      if (!claimed) throw new Error('nothing to claim');
      const attemptId = await startRoamAttempt(db, { itemId: claimed.id, actor: 'worker-a' });
      await finishRoamAttempt(
        db,
        outcome === 'succeeded'
          ? { attemptId, outcome, requestId: `REQ-${claimed.username}` }
          : { attemptId, outcome, errorCode: 'ClientUser.InvalidClientIp', errorMessage: 'no' },
      );
      return claimed.username;
    }

    it('answers nothing while nothing changed, then exactly the items that did, with the counts of the moment', async () => {
      const job = await newJob(5);
      expect(job.cursor).toMatch(/^\d+$/);

      const idle = await changesSince(job.id, job.cursor);
      expect(idle.items).toEqual([]);
      expect(idle.complete).toBe(false);
      expect(idle.job.counts).toMatchObject({ inProgress: 5, succeeded: 0, total: 5 });

      const first = await roamNext(job.id, 'succeeded');
      const afterFirst = await changesSince(job.id, idle.cursor);
      expect(afterFirst.items.map((item) => [item.username, item.status, item.requestId])).toEqual([
        [first, 'succeeded', `REQ-${first}`],
      ]);
      expect(afterFirst.job.counts).toMatchObject({ succeeded: 1, inProgress: 4 });

      const second = await roamNext(job.id, 'failed');
      const afterSecond = await changesSince(job.id, afterFirst.cursor);
      expect(afterSecond.items.map((item) => [item.username, item.status, item.errorCode])).toEqual([
        [second, 'failed', 'ClientUser.InvalidClientIp'],
      ]);
      expect(afterSecond.job.counts).toMatchObject({ succeeded: 1, failed: 1, inProgress: 3 });

      // From the first cursor: both, once each, in the job's order.
      const fromStart = await changesSince(job.id, job.cursor);
      expect(fromStart.items.map((item) => item.username)).toEqual([first, second].sort());
    });

    it('sends an item changed several times between two polls once, as it is now', async () => {
      const job = await newJob(3);
      // Claimed, sent, answered: three transactions on one item.
      const roamed = await roamNext(job.id, 'succeeded');
      const changes = await changesSince(job.id, job.cursor);
      expect(changes.items).toHaveLength(1);
      expect(changes.items[0]).toMatchObject({ username: roamed, status: 'succeeded', attemptCount: 1 });
    });

    it('hands out cursors that never go back, and only the job asked for', async () => {
      const job = await newJob(2);
      const other = await newJob(3, 'other');
      let cursor = BigInt(job.cursor);
      for (let round = 0; round < 3; round += 1) {
        await roamNext(other.id, 'succeeded');
        const changes = await changesSince(job.id, cursor.toString());
        expect(changes.items, 'the other job changed, not this one').toEqual([]);
        expect(BigInt(changes.cursor)).toBeGreaterThanOrEqual(cursor);
        cursor = BigInt(changes.cursor);
      }
    });

    it('answers every item, marked complete, to a cursor it cannot compare (ahead of the database, or too old)', async () => {
      const job = await newJob(3);
      const ahead = await getJobChanges(db, job.id, BigInt(job.cursor) + 1_000_000n);
      expect(ahead?.complete).toBe(true);
      expect(ahead?.items.map((item) => item.username)).toEqual(usernames(3));

      const tooOld = BigInt(job.cursor) - 2n ** 31n;
      if (tooOld >= 0n) {
        expect((await getJobChanges(db, job.id, tooOld))?.complete).toBe(true);
      }
      // From the beginning of time: every item too, by the comparison itself.
      expect((await getJobChanges(db, job.id, 0n))?.items).toHaveLength(3);
    });

    it('reads no job for an unknown or malformed ID', async () => {
      expect(await getJobChanges(db, '00000000-0000-4000-8000-000000000000', 1n)).toBeNull();
      expect(await getJobChanges(db, 'not-a-uuid', 1n)).toBeNull();
    });

    // A transaction that began before a poll and commits after it: its row carries a time (updated_at = now(),
    // the transaction's start) earlier than the poll, so a clock cursor would skip it for good. Two
    // connections are needed: both drivers are PostgreSQL servers with a pool of several.
    it('never misses a row committed after the poll that did not see it', async () => {
      const job = await newJob(3);
      const [target] = job.items;
      if (!target) throw new Error('no item');

      let release: () => void = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let written: () => void = () => {};
      const wasWritten = new Promise<void>((resolve) => {
        written = resolve;
      });
      const late = databases.otherDb.transaction(async (tx) => {
        await tx
          .update(roamItems)
          .set({ verified: true, targetPresence: 'present', updatedAt: sql`now()` })
          .where(eq(roamItems.id, target.id));
        written();
        await released;
      });
      await wasWritten;

      const during = await changesSince(job.id, job.cursor);
      expect(during.items, 'not committed yet: not seen').toEqual([]);
      release();
      await late;

      const [row] = await db.select().from(roamItems).where(eq(roamItems.id, target.id));
      // The row's time is before the poll that missed it: what a clock cursor would have lost.
      const [pollTime] = await db.select({ at: sql<string>`now()::text` }).from(roamJobs).limit(1);
      expect(row?.updatedAt.getTime()).toBeLessThan(new Date(pollTime?.at ?? 0).getTime());

      const after = await changesSince(job.id, during.cursor);
      expect(after.items.map((item) => [item.username, item.verified, item.targetPresence])).toEqual([
        [target.username, true, 'present'],
      ]);
    });
  });
}
