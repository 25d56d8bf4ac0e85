import 'server-only';

import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../database';
import { roamJobs } from '../schema';
import { withCounts } from './queries';
import type { JobSummary } from './types';

/**
 * The running jobs one person started, newest first: what the roam page lists, so that an admin who comes
 * back to it (another tab, a reload, the next morning) sees at once that their job is still going.
 */
export async function listRunningJobsOf(db: Database, createdBy: string, limit = 10): Promise<JobSummary[]> {
  const jobs = await db
    .select()
    .from(roamJobs)
    .where(and(eq(roamJobs.status, 'running'), eq(roamJobs.createdBy, createdBy)))
    .orderBy(desc(roamJobs.createdAt), desc(roamJobs.id))
    .limit(limit);
  return withCounts(db, jobs);
}
