// "Roam the missing again" reads its form values from the job's record, on the embedded PostgreSQL.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/database';
import { createJob, setPresence } from '@/lib/db/jobs';
import { roamAttempts, roamItems, roamJobs } from '@/lib/db/schema';
import { openSuiteDatabase, type SuiteDatabase } from '@/lib/testing/suite-database';
import { roamAgainValues } from './roam-again';

const route = {
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-origin0001',
  targetRegionId: 'cn-hangzhou',
  targetInstanceId: 'sag-target0001',
};

describe('roamAgainValues', () => {
  let databases: SuiteDatabase;
  let db: Database;

  beforeAll(async () => {
    databases = await openSuiteDatabase('embedded');
    db = databases.db;
  }, 60_000);
  afterAll(async () => {
    await databases?.close();
  });
  beforeEach(async () => {
    await db.execute(sql`TRUNCATE ${roamAttempts}, ${roamItems}, ${roamJobs}`);
  });

  const roamJob = (usernames: string[]) =>
    createJob(db, { ...route, createdBy: 'ana@example.com', mode: 'emulator', usernames });

  it("answers the job's route and the usernames the last verify found missing, in the job's order", async () => {
    const job = await roamJob(['user.c0001', 'user.a0002', 'user.b0003', 'user.d0004']);
    await setPresence(db, {
      jobId: job.id,
      presence: [
        { username: 'user.c0001', present: false },
        { username: 'user.a0002', present: true },
        { username: 'user.b0003', present: false },
        { username: 'user.d0004', present: true },
      ],
    });
    expect(await roamAgainValues(db, job.id)).toEqual({
      ...route,
      usernames: ['user.c0001', 'user.b0003'],
    });

    // A later verify that finds one of them back on the target leaves only the other.
    await setPresence(db, { jobId: job.id, presence: [{ username: 'user.c0001', present: true }] });
    expect((await roamAgainValues(db, job.id))?.usernames).toEqual(['user.b0003']);
  });

  it('answers null when nothing was found missing: never verified, or all present', async () => {
    const job = await roamJob(['user.e0005', 'user.f0006']);
    expect(await roamAgainValues(db, job.id)).toBeNull();
    await setPresence(db, {
      jobId: job.id,
      presence: [
        { username: 'user.e0005', present: true },
        { username: 'user.f0006', present: true },
      ],
    });
    expect(await roamAgainValues(db, job.id)).toBeNull();
  });

  it('answers null for a job that does not exist, an ID that is not one, and an undo job', async () => {
    expect(await roamAgainValues(db, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await roamAgainValues(db, "x' OR 1=1 --")).toBeNull();

    const roamed = await roamJob(['user.g0007']);
    // An undo job's missing accounts are the ones it removed: nothing to roam again.
    const [undo] = await db
      .insert(roamJobs)
      .values({
        ...route,
        createdBy: 'ana@example.com',
        mode: 'emulator',
        itemCount: 1,
        kind: 'undo',
        undoesJobId: roamed.id,
      })
      .returning();
    if (!undo) throw new Error('no undo job');
    await db.insert(roamItems).values({
      jobId: undo.id,
      position: 0,
      username: 'user.g0007',
      status: 'succeeded',
      targetPresence: 'missing',
    });
    expect(await roamAgainValues(db, undo.id)).toBeNull();
  });
});
