import 'server-only';

import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { ItemStatus, JobKind, JobStatus } from '@/lib/roam/lifecycle';
import { isUuid } from '@/lib/uuid';
import type { Database } from '../database';
import { type JobMode, roamAttempts, roamItems, roamJobs } from '../schema';
import { itemConditions, type JobFilter, jobConditions } from './filters';
import type { RoamAttempt } from './types';

// The CSV export's rows: one per item with its last attempt, streamed in batches.

export interface ExportRow {
  jobId: string;
  jobCreatedAt: Date;
  createdBy: string;
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
  mode: JobMode;
  jobKind: JobKind;
  /** For an undo job: the roam job it undoes. */
  undoesJobId: string | null;
  jobStatus: JobStatus;
  cancelledBy: string | null;
  cancelledAt: Date | null;
  jobFinishedAt: Date | null;
  /** The instances' names when the job was created; null when none was read. */
  originInstanceName: string | null;
  targetInstanceName: string | null;
  position: number;
  username: string;
  itemStatus: ItemStatus;
  needsCheck: boolean;
  /** Parked: unknown, and the target could not be checked. */
  held: boolean;
  verified: boolean;
  targetPresence: 'present' | 'missing' | null;
  presenceCheckedAt: Date | null;
  requestId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  errorRequestId: string | null;
  attemptCount: number;
  itemUpdatedAt: Date;
  lastAttemptKind: RoamAttempt['kind'] | null;
  lastAttemptActor: string | null;
  lastAttemptStartedAt: Date | null;
  lastAttemptFinishedAt: Date | null;
  lastAttemptOutcome: RoamAttempt['outcome'];
  lastAttemptRequestId: string | null;
  lastAttemptErrorCode: string | null;
  lastAttemptHttpStatus: number | null;
}

/**
 * One row per item (newest job first, items in order) with the item's last attempt, read in batches
 * by keyset so an export of any size holds one batch in memory and no long transaction.
 */
export async function* exportRows(
  db: Database,
  filter: JobFilter & { jobId?: string },
  options: { batchSize?: number } = {},
): AsyncGenerator<ExportRow> {
  if (filter.jobId !== undefined && !isUuid(filter.jobId)) return;
  const batchSize = options.batchSize ?? 500;
  const lastAttempt = db
    .select({
      kind: roamAttempts.kind,
      actor: roamAttempts.actor,
      startedAt: roamAttempts.startedAt,
      finishedAt: roamAttempts.finishedAt,
      outcome: roamAttempts.outcome,
      requestId: roamAttempts.requestId,
      errorCode: roamAttempts.errorCode,
      httpStatus: roamAttempts.httpStatus,
    })
    .from(roamAttempts)
    .where(eq(roamAttempts.itemId, roamItems.id))
    .orderBy(desc(roamAttempts.id))
    .limit(1)
    .as('last_attempt');
  const where = and(
    jobConditions(filter),
    filter.jobId ? eq(roamJobs.id, filter.jobId) : undefined,
    itemConditions(filter),
  );
  // The cursor keeps created_at as PostgreSQL text: a JS Date would drop its microseconds.
  let cursor: { createdAt: string; jobId: string; position: number } | undefined;
  while (true) {
    const after = cursor
      ? sql`(${roamJobs.createdAt} < ${cursor.createdAt}::timestamptz OR (${roamJobs.createdAt} = ${cursor.createdAt}::timestamptz AND (${roamJobs.id} < ${cursor.jobId}::uuid OR (${roamJobs.id} = ${cursor.jobId}::uuid AND ${roamItems.position} > ${cursor.position}))))`
      : undefined;
    const rows = await db
      .select({
        cursorCreatedAt: sql<string>`${roamJobs.createdAt}::text`,
        jobId: roamJobs.id,
        jobCreatedAt: roamJobs.createdAt,
        createdBy: roamJobs.createdBy,
        originRegionId: roamJobs.originRegionId,
        originInstanceId: roamJobs.originInstanceId,
        targetRegionId: roamJobs.targetRegionId,
        targetInstanceId: roamJobs.targetInstanceId,
        mode: roamJobs.mode,
        jobKind: roamJobs.kind,
        undoesJobId: roamJobs.undoesJobId,
        jobStatus: roamJobs.status,
        cancelledBy: roamJobs.cancelledBy,
        cancelledAt: roamJobs.cancelledAt,
        jobFinishedAt: roamJobs.finishedAt,
        originInstanceName: roamJobs.originInstanceName,
        targetInstanceName: roamJobs.targetInstanceName,
        position: roamItems.position,
        username: roamItems.username,
        itemStatus: roamItems.status,
        needsCheck: roamItems.needsCheck,
        held: roamItems.held,
        verified: roamItems.verified,
        targetPresence: roamItems.targetPresence,
        presenceCheckedAt: roamItems.presenceCheckedAt,
        requestId: roamItems.requestId,
        errorCode: roamItems.errorCode,
        errorMessage: roamItems.errorMessage,
        errorRequestId: roamItems.errorRequestId,
        attemptCount: roamItems.attemptCount,
        itemUpdatedAt: roamItems.updatedAt,
        lastAttemptKind: lastAttempt.kind,
        lastAttemptActor: lastAttempt.actor,
        lastAttemptStartedAt: lastAttempt.startedAt,
        lastAttemptFinishedAt: lastAttempt.finishedAt,
        lastAttemptOutcome: lastAttempt.outcome,
        lastAttemptRequestId: lastAttempt.requestId,
        lastAttemptErrorCode: lastAttempt.errorCode,
        lastAttemptHttpStatus: lastAttempt.httpStatus,
      })
      .from(roamItems)
      .innerJoin(roamJobs, eq(roamJobs.id, roamItems.jobId))
      .leftJoinLateral(lastAttempt, sql`true`)
      .where(and(where, after))
      .orderBy(desc(roamJobs.createdAt), desc(roamJobs.id), asc(roamItems.position))
      .limit(batchSize);
    for (const { cursorCreatedAt: _cursor, ...row } of rows) {
      yield row;
    }
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return;
    cursor = { createdAt: last.cursorCreatedAt, jobId: last.jobId, position: last.position };
  }
}
