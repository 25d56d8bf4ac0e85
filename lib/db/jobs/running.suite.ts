// The roam page's list of one person's running jobs, run by one test file per driver.
import { describe, expect, it } from 'vitest';
import { type SuiteDatabase, useSuiteDatabase } from '@/lib/testing/suite-database';
import type { Database } from '../database';
import { roamAttempts, roamItems, roamJobs } from '../schema';
import { cancelJob, createJob } from '.';
import { listRunningJobsOf } from './running';

const route = {
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-origin0001',
  targetRegionId: 'cn-hangzhou',
  targetInstanceId: 'sag-target0001',
  mode: 'emulator' as const,
};

export function describeRunningJobsOf(driver: string, open: () => Promise<SuiteDatabase>) {
  describe(`running jobs of one person on ${driver}`, () => {
    let db: Database;
    useSuiteDatabase(open, [roamAttempts, roamItems, roamJobs], (opened) => {
      db = opened.db;
    });

    it("lists only that person's running jobs, newest first, with their counts", async () => {
      const first = await createJob(db, { ...route, createdBy: 'ana@example.com', usernames: ['user0001'] });
      const other = await createJob(db, {
        ...route,
        targetInstanceId: 'sag-target0002',
        createdBy: 'bo@example.com',
        usernames: ['user0002'],
      });
      const second = await createJob(db, {
        ...route,
        targetInstanceId: 'sag-target0003',
        createdBy: 'ana@example.com',
        usernames: ['user0003', 'user0004'],
      });
      const ended = await createJob(db, {
        ...route,
        targetInstanceId: 'sag-target0004',
        createdBy: 'ana@example.com',
        usernames: ['user0005'],
      });
      await cancelJob(db, { jobId: ended.id, actor: 'ana@example.com' });

      const jobs = await listRunningJobsOf(db, 'ana@example.com');
      expect(jobs.map((job) => job.id)).toEqual([second.id, first.id]);
      expect(jobs[0]?.counts).toMatchObject({ total: 2, inProgress: 2, succeeded: 0, failed: 0 });
      expect(jobs.some((job) => job.id === other.id)).toBe(false);
    });

    it('lists nothing for a person with no running job, and at most the limit', async () => {
      expect(await listRunningJobsOf(db, 'nobody@example.com')).toEqual([]);
      for (const index of [1, 2, 3]) {
        await createJob(db, {
          ...route,
          targetInstanceId: `sag-target000${index}`,
          createdBy: 'ana@example.com',
          usernames: [`user000${index}`],
        });
      }
      expect(await listRunningJobsOf(db, 'ana@example.com', 2)).toHaveLength(2);
    });
  });
}
