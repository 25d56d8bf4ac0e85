import 'server-only';

import { and, asc, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import { hasErrorKind, markErrorKind } from '@/lib/errors/kind';
import * as lifecycle from '@/lib/roam/lifecycle';
import { CLAIMABLE_STATUSES } from '@/lib/roam/lifecycle';
import type { PlanItemDecision, StoredPlan } from '@/lib/roam/plan-view';
import type { Database } from '../database';
import { type JobMode, roamItems, roamJobs } from '../schema';
import { BATCH_SIZE, completeJobIfDone } from './locks';
import { notifyWork } from './notify';
import { JobRefusedError, type RoamJob } from './types';

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
  /**
   * The plan the job is created from; kept with it for its page and the history, and the source of the
   * instances' names the job keeps.
   */
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
    await lockTarget(tx, input.targetInstanceId);
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
        originInstanceName: nameInPlan(input.plan?.origin, input.originInstanceId),
        targetInstanceName: nameInPlan(input.plan?.target, input.targetInstanceId),
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
    await notifyWork(tx, job.id);
    // Every username skipped by the plan: nothing to send, the job is done.
    if (await completeJobIfDone(tx, job.id)) {
      const [completed] = await tx.select().from(roamJobs).where(eq(roamJobs.id, job.id));
      return completed ?? job;
    }
    return job;
  });
}

/**
 * An instance's name as the server's plan read it: never taken from the browser, and only from the plan's view of
 * this very instance. Null when the plan could not read one (an instance not found has an empty name).
 */
function nameInPlan(instance: StoredPlan['origin'] | undefined, instanceId: string): string | null {
  if (!instance || instance.smartAGId !== instanceId) return null;
  return instance.name.trim() || null;
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
            eq(roamJobs.status, 'running'),
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

/** One lock per target instance for the check and the insert of a job, so two processes cannot both pass. */
async function lockTarget(db: Database, targetInstanceId: string): Promise<void> {
  await db.execute(
    sql`SELECT pg_advisory_xact_lock(hashtextextended(${`sag-roam:target:${targetInstanceId}`}, 0))`,
  );
}

export interface UndoCandidates {
  /** Roamed by the job's own accepted call and not roamed again since: the accounts an undo deletes. */
  usernames: string[];
  /** Succeeded without an accepted call of their own (a lost answer, then found on the target): kept. */
  withoutOwnCall: number;
  /** Roamed again to the same target by a later job: that job's copy now, kept. */
  roamedAgainLater: number;
}

/**
 * What "undo" would delete from the target: exactly the accounts this job roamed (an item with an accepted
 * RoamClientUser of its own, so a RequestId), never one already present, skipped, failed or unknown, and never
 * one a later job roamed to the same target again. Refuses (JobRefusedError) what cannot be undone.
 */
export async function undoCandidates(db: Database, jobId: string): Promise<UndoCandidates> {
  const [job] = await db.select().from(roamJobs).where(eq(roamJobs.id, jobId));
  if (!job) throw new JobRefusedError(jobId, 'not-found');
  if (job.kind === 'undo') throw new JobRefusedError(jobId, 'undo-of-undo');
  if (job.status === 'running') throw new JobRefusedError(jobId, 'running');
  const [undo] = await db.select({ id: roamJobs.id }).from(roamJobs).where(eq(roamJobs.undoesJobId, jobId));
  if (undo) throw new JobRefusedError(jobId, 'undone');
  const later = db
    .select({ one: sql`1` })
    .from(roamItems)
    .innerJoin(roamJobs, eq(roamJobs.id, roamItems.jobId))
    .where(
      and(
        eq(roamJobs.kind, 'roam'),
        eq(roamJobs.targetInstanceId, job.targetInstanceId),
        ne(roamJobs.id, jobId),
        gt(roamJobs.createdAt, job.createdAt),
        eq(roamItems.status, 'succeeded'),
        sql`${roamItems.username} = "source"."username"`,
      ),
    );
  const rows = await db
    .select({
      username: sql<string>`"source"."username"`,
      ownCall: sql<boolean>`"source"."request_id" IS NOT NULL`,
      roamedAgain: sql<boolean>`exists (${later})`,
    })
    .from(sql`${roamItems} AS "source"`)
    .where(sql`"source"."job_id" = ${jobId} AND "source"."status" = 'succeeded'`)
    .orderBy(sql`"source"."position"`);
  const usernames = rows.filter((row) => row.ownCall && !row.roamedAgain).map((row) => row.username);
  return {
    usernames,
    withoutOwnCall: rows.filter((row) => !row.ownCall).length,
    roamedAgainLater: rows.filter((row) => row.ownCall && row.roamedAgain).length,
  };
}

/**
 * The undo of a finished roam job: a job of kind `undo` whose items are its undoCandidates, each to be deleted
 * from the target with DeleteSmartAccessGatewayClientUser, as safely as a roam (recorded before it is sent,
 * checked on the target after a lost answer). A job is undone once: the unique index on undoes_job_id and
 * the lock on the source job keep a second undo out, in any process.
 */
export async function createUndoJob(
  db: Database,
  input: { jobId: string; createdBy: string; mode: JobMode },
): Promise<{ job: RoamJob; candidates: UndoCandidates }> {
  return db.transaction(async (tx) => {
    const [source] = await tx
      .select()
      .from(roamJobs)
      .where(eq(roamJobs.id, input.jobId))
      .for('no key update');
    if (!source) throw new JobRefusedError(input.jobId, 'not-found');
    await lockTarget(tx, source.targetInstanceId);
    const candidates = await undoCandidates(tx, input.jobId);
    if (candidates.usernames.length === 0) throw new JobRefusedError(input.jobId, 'nothing-to-undo');
    await refuseOverlap(tx, source.targetInstanceId, candidates.usernames);
    const [job] = await tx
      .insert(roamJobs)
      .values({
        createdBy: input.createdBy,
        kind: 'undo',
        undoesJobId: source.id,
        originRegionId: source.originRegionId,
        originInstanceId: source.originInstanceId,
        targetRegionId: source.targetRegionId,
        targetInstanceId: source.targetInstanceId,
        // The same instances as the job it undoes, which read their names.
        originInstanceName: source.originInstanceName,
        targetInstanceName: source.targetInstanceName,
        mode: input.mode,
        itemCount: candidates.usernames.length,
      })
      .returning();
    if (!job) throw new Error('Inserting the undo job returned no row');
    for (let start = 0; start < candidates.usernames.length; start += BATCH_SIZE) {
      await tx.insert(roamItems).values(
        candidates.usernames.slice(start, start + BATCH_SIZE).map((username, offset) => ({
          jobId: job.id,
          position: start + offset,
          username,
        })),
      );
    }
    await notifyWork(tx, job.id);
    return { job, candidates };
  });
}
