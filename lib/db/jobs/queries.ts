import 'server-only';

import { and, asc, count, desc, eq, exists, inArray, sql } from 'drizzle-orm';
import { countOf, ITEM_STATUSES, type ItemStatus } from '@/lib/roam/lifecycle';
import { isUuid } from '@/lib/uuid';
import type { Database } from '../database';
import { roamAttempts, roamItems, roamJobs } from '../schema';
import { cursorSelection } from './cursor';
import { itemConditions, type JobFilter, jobConditions, offsetOf } from './filters';
import type {
  AttemptWithUsername,
  JobCounts,
  JobDetails,
  JobSummary,
  Page,
  RoamItem,
  RoamJob,
} from './types';

// Reads: one job with its items and attempts, the history's list of jobs, the jobs a worker resumes.

/** A job's counts, grouped as lifecycle.countOf says. */
export const countsSelection = {
  succeeded: countWhere('succeeded'),
  alreadyPresent: countWhere('alreadyPresent'),
  failed: countWhere('failed'),
  notSent: countWhere('notSent'),
  cancelled: countWhere('cancelled'),
  inProgress: countWhere('inProgress'),
  unknown: countWhere('unknown'),
  total: sql<number>`count(*)`.mapWith(Number),
};

function countWhere(count: ReturnType<typeof countOf>) {
  const statuses = ITEM_STATUSES.filter((status) => countOf(status) === count);
  return sql<number>`count(*) filter (where ${inArray(roamItems.status, statuses)})`.mapWith(Number);
}

export const emptyCounts: JobCounts = {
  succeeded: 0,
  alreadyPresent: 0,
  failed: 0,
  notSent: 0,
  cancelled: 0,
  inProgress: 0,
  unknown: 0,
  total: 0,
};

/**
 * One job with all its items, and the cursor from which its changes can be asked (changes.ts): the cursor is
 * taken in the first statement, so anything the later statements miss is at or after it.
 */
export async function getJob(db: Database, id: string): Promise<(JobDetails & { cursor: string }) | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ job: roamJobs, cursor: cursorSelection })
    .from(roamJobs)
    .where(eq(roamJobs.id, id));
  if (!row) return null;
  const [counts] = await db.select(countsSelection).from(roamItems).where(eq(roamItems.jobId, id));
  const items = await db
    .select()
    .from(roamItems)
    .where(eq(roamItems.jobId, id))
    .orderBy(asc(roamItems.position));
  return {
    ...row.job,
    counts: counts ?? emptyCounts,
    undoneBy: await undoneBy(db, id),
    items,
    cursor: row.cursor,
  };
}

/** The undo job of a roam job (at most one: a unique index). */
export async function undoneBy(
  db: Database,
  jobId: string,
): Promise<{ id: string; status: RoamJob['status'] } | null> {
  const [undo] = await db
    .select({ id: roamJobs.id, status: roamJobs.status })
    .from(roamJobs)
    .where(eq(roamJobs.undoesJobId, jobId));
  return undo ?? null;
}

export async function getJobItems(
  db: Database,
  input: Page & { jobId: string; status?: ItemStatus },
): Promise<{ items: RoamItem[]; total: number }> {
  if (!isUuid(input.jobId)) return { items: [], total: 0 };
  const where = and(
    eq(roamItems.jobId, input.jobId),
    input.status ? eq(roamItems.status, input.status) : undefined,
  );
  const items = await db
    .select()
    .from(roamItems)
    .where(where)
    .orderBy(asc(roamItems.position))
    .limit(input.pageSize)
    .offset(offsetOf(input));
  const [total] = await db.select({ total: count() }).from(roamItems).where(where);
  return { items, total: total?.total ?? 0 };
}

/** A job's attempts, oldest first, optionally for one item, optionally one page of them. */
export async function listItemAttempts(
  db: Database,
  jobId: string,
  options: { itemId?: number; page?: Page } = {},
): Promise<AttemptWithUsername[]> {
  if (!isUuid(jobId)) return [];
  const paged = options.page;
  const rows = await db
    .select({ attempt: roamAttempts, username: roamItems.username })
    .from(roamAttempts)
    .innerJoin(roamItems, eq(roamItems.id, roamAttempts.itemId))
    .where(
      and(
        eq(roamAttempts.jobId, jobId),
        options.itemId ? eq(roamAttempts.itemId, options.itemId) : undefined,
      ),
    )
    .orderBy(asc(roamAttempts.id))
    .limit(paged ? paged.pageSize : Number.MAX_SAFE_INTEGER)
    .offset(paged ? offsetOf(paged) : 0);
  return rows.map((row) => ({ ...row.attempt, username: row.username }));
}

/** How many attempts a job has (for paging them). */
export async function countJobAttempts(db: Database, jobId: string): Promise<number> {
  if (!isUuid(jobId)) return 0;
  const [row] = await db.select({ total: count() }).from(roamAttempts).where(eq(roamAttempts.jobId, jobId));
  return row?.total ?? 0;
}

/** Newest first, with each job's counts. */
export async function listJobs(
  db: Database,
  input: Page & JobFilter,
): Promise<{ jobs: JobSummary[]; total: number }> {
  const items = itemConditions(input);
  const where = and(
    jobConditions(input),
    items
      ? exists(
          db
            .select({ one: sql`1` })
            .from(roamItems)
            .where(and(eq(roamItems.jobId, roamJobs.id), items)),
        )
      : undefined,
  );
  const jobs = await db
    .select()
    .from(roamJobs)
    .where(where)
    .orderBy(desc(roamJobs.createdAt), desc(roamJobs.id))
    .limit(input.pageSize)
    .offset(offsetOf(input));
  const [total] = await db.select({ total: count() }).from(roamJobs).where(where);
  return { jobs: await withCounts(db, jobs), total: total?.total ?? 0 };
}

/** The jobs with their counts, read in one grouped statement for all of them. */
export async function withCounts(db: Database, jobs: RoamJob[]): Promise<JobSummary[]> {
  if (jobs.length === 0) return [];
  const counts = await db
    .select({ jobId: roamItems.jobId, ...countsSelection })
    .from(roamItems)
    .where(
      inArray(
        roamItems.jobId,
        jobs.map((job) => job.id),
      ),
    )
    .groupBy(roamItems.jobId);
  const countsByJob = new Map(counts.map(({ jobId, ...jobCounts }) => [jobId, jobCounts]));
  return jobs.map((job) => ({ ...job, counts: countsByJob.get(job.id) ?? emptyCounts }));
}

/** Jobs with work left, oldest first: what a worker resumes after a restart. */
export async function listRunningJobIds(db: Database): Promise<string[]> {
  const rows = await db
    .select({ id: roamJobs.id })
    .from(roamJobs)
    .where(eq(roamJobs.status, 'running'))
    .orderBy(asc(roamJobs.createdAt), asc(roamJobs.id));
  return rows.map((row) => row.id);
}
