import 'server-only';

import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { hasErrorKind, markErrorKind } from '@/lib/errors/kind';
import * as lifecycle from '@/lib/roam/lifecycle';
import { CLAIMABLE_STATUSES } from '@/lib/roam/lifecycle';
import type { PlanItemDecision, StoredPlan } from '@/lib/roam/plan-view';
import type { Database } from '../database';
import { type JobMode, roamItems, roamJobs } from '../schema';
import { BATCH_SIZE, completeJobIfDone } from './locks';
import type { RoamJob } from './types';

/** Some usernames are queued or being sent to the same target instance by another job: nothing was created. */
export class JobOverlapError extends Error {
  constructor(
    /** The oldest job holding one of them. */
    readonly jobId: string,
    /** Those of the new job's usernames that job holds (at most a few, for the message). */
    readonly usernames: string[],
    /** How many of the new job's usernames other jobs hold in all. */
    readonly count: number,
  ) {
    super(`${count} username(s) are already queued for this target instance by job ${jobId}`);
    this.name = 'JobOverlapError';
    markErrorKind(this, 'JobOverlapError');
  }
}

export function isJobOverlap(error: unknown): error is JobOverlapError {
  return hasErrorKind(error, 'JobOverlapError');
}

export interface CreateJobInput {
  createdBy: string;
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
  usernames: readonly string[];
  /** Which endpoint serves the job. */
  mode: JobMode;
  /** The plan the job is created from; kept with it for its page and the history. */
  plan?: StoredPlan;
  /** The plan's decision per username; a username without one is sent. */
  decisions?: ReadonlyMap<string, PlanItemDecision>;
}

/**
 * The job and one pending item per distinct username, in the order given; all or nothing. Refused with
 * JobOverlapError when another job still has one of the usernames to send to the same target instance (not yet
 * final: pending, in progress or unknown), so that two identical submissions never send a username twice. The
 * check and the insert hold one lock per target instance, so two processes cannot both pass it.
 */
export async function createJob(db: Database, input: CreateJobInput): Promise<RoamJob> {
  const usernames = [...new Set(input.usernames)];
  if (usernames.length === 0) {
    throw new Error('A roam job needs at least one username');
  }
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${`sag-roam:target:${input.targetInstanceId}`}, 0))`,
    );
    const decisionOf = (username: string) => input.decisions?.get(username) ?? 'send';
    await refuseOverlap(
      tx,
      input.targetInstanceId,
      usernames.filter((username) => decisionOf(username) === 'send'),
    );
    const [job] = await tx
      .insert(roamJobs)
      .values({
        createdBy: input.createdBy,
        originRegionId: input.originRegionId,
        originInstanceId: input.originInstanceId,
        targetRegionId: input.targetRegionId,
        targetInstanceId: input.targetInstanceId,
        mode: input.mode,
        itemCount: usernames.length,
        plan: input.plan ?? null,
      })
      .returning();
    if (!job) throw new Error('Inserting the roam job returned no row');
    for (let start = 0; start < usernames.length; start += BATCH_SIZE) {
      await tx.insert(roamItems).values(
        usernames.slice(start, start + BATCH_SIZE).map((username, offset) => ({
          jobId: job.id,
          position: start + offset,
          username,
          ...lifecycle.plannedItem(decisionOf(username)),
        })),
      );
    }
    // Every username skipped by the plan: nothing to send, the job is done.
    if (await completeJobIfDone(tx, job.id)) {
      const [completed] = await tx.select().from(roamJobs).where(eq(roamJobs.id, job.id));
      return completed ?? job;
    }
    return job;
  });
}

async function refuseOverlap(db: Database, targetInstanceId: string, usernames: string[]): Promise<void> {
  const open: { jobId: string; username: string }[] = [];
  for (let start = 0; start < usernames.length; start += BATCH_SIZE) {
    open.push(
      ...(await db
        .select({ jobId: roamItems.jobId, username: roamItems.username })
        .from(roamItems)
        .innerJoin(roamJobs, eq(roamJobs.id, roamItems.jobId))
        .where(
          and(
            eq(roamJobs.targetInstanceId, targetInstanceId),
            ne(roamJobs.status, 'completed'),
            inArray(roamItems.status, CLAIMABLE_STATUSES),
            inArray(roamItems.username, usernames.slice(start, start + BATCH_SIZE)),
          ),
        )
        .orderBy(asc(roamJobs.createdAt), asc(roamItems.position))),
    );
  }
  const [first] = open;
  if (!first) return;
  const ofFirst = open.filter((row) => row.jobId === first.jobId).map((row) => row.username);
  throw new JobOverlapError(first.jobId, ofFirst.slice(0, 3), new Set(open.map((row) => row.username)).size);
}
