import 'server-only';

import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import * as lifecycle from '@/lib/roam/lifecycle';
import { clock } from '../clock';
import type { Database } from '../database';
import { type CheckOutcome, callKinds, roamAttempts, roamItems, roamJobs } from '../schema';
import { applyTransitions, changeColumns, itemState, lockItem, lockItemWithJob, lockJob } from './locks';
import { ItemNotSendableError, RecordNotFoundError } from './types';

// Attempts: every roam call recorded before it is sent and its outcome after, and every check of the target.

export interface StartRoamAttemptInput {
  itemId: number;
  actor: string;
  /** When given, the lease must belong to this worker. */
  workerId?: string;
  /** When given, the lease must be this claim's. */
  leaseToken?: string;
  now?: Date;
}

/**
 * Records that a RoamClientUser call is about to be sent, before it is sent: from here on the item needs a
 * check on the target before any resend. Throws ItemNotSendableError when the caller's lease is gone or the
 * item still needs a check.
 */
export async function startRoamAttempt(db: Database, input: StartRoamAttemptInput): Promise<number> {
  const at = clock(input.now);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ item: roamItems, now: sql<string>`${at}::text` })
      .from(roamItems)
      .where(eq(roamItems.id, input.itemId))
      .for('no key update');
    if (!row) throw new ItemNotSendableError(input.itemId, 'not-found');
    const [job] = await tx
      .select({ stoppedAt: roamJobs.stoppedAt, cancelledAt: roamJobs.cancelledAt, kind: roamJobs.kind })
      .from(roamJobs)
      .where(eq(roamJobs.id, row.item.jobId));
    // A stopped or cancelled job: the caller gives the item up with stopJobSending, which takes the locks in
    // their order. Read in this transaction, so a cancel committed before it is never missed.
    const refusal = lifecycle.whyNotSendable(
      itemState(row.item),
      input,
      new Date(row.now),
      Boolean(job?.stoppedAt || job?.cancelledAt),
    );
    if (refusal) throw new ItemNotSendableError(input.itemId, refusal);
    await tx
      .update(roamItems)
      .set({
        ...changeColumns(lifecycle.startCall().change),
        attemptCount: sql`${roamItems.attemptCount} + 1`,
        updatedAt: at,
      })
      .where(eq(roamItems.id, input.itemId));
    const [attempt] = await tx
      .insert(roamAttempts)
      .values({
        jobId: row.item.jobId,
        itemId: input.itemId,
        // An undo job's call is a DeleteSmartAccessGatewayClientUser.
        kind: job?.kind === 'undo' ? 'delete' : 'roam',
        actor: input.actor,
        startedAt: at,
      })
      .returning({ id: roamAttempts.id });
    if (!attempt) throw new Error('Inserting the roam attempt returned no row');
    return attempt.id;
  });
}

export type FinishRoamAttemptInput = lifecycle.CallOutcome & { attemptId: number };

export interface FinishRoamAttemptResult {
  jobId: string;
  itemId: number;
  /**
   * False when the attempt was no longer in flight (its lease was lost and the item reclaimed): the outcome
   * is kept on the attempt, and the item is left to its new holder, who checks the target.
   */
  itemUpdated: boolean;
  itemStatus: lifecycle.ItemStatus;
  jobCompleted: boolean;
}

/** Records a call's outcome on its attempt, and on its item as lifecycle.finishCall says. */
export async function finishRoamAttempt(
  db: Database,
  input: FinishRoamAttemptInput,
): Promise<FinishRoamAttemptResult> {
  return db.transaction(async (tx) => {
    const [reference] = await tx
      .select({ jobId: roamAttempts.jobId, itemId: roamAttempts.itemId, kind: roamAttempts.kind })
      .from(roamAttempts)
      .where(eq(roamAttempts.id, input.attemptId));
    if (reference?.kind !== 'roam' && reference?.kind !== 'delete') {
      throw new RecordNotFoundError('attempt', input.attemptId);
    }
    await lockJob(tx, reference.jobId);
    const item = await lockItem(tx, reference.itemId);
    // Read again under the item lock: a reclaim interrupts in-flight attempts while holding it.
    const [attempt] = await tx
      .select({ outcome: roamAttempts.outcome })
      .from(roamAttempts)
      .where(eq(roamAttempts.id, input.attemptId));
    const wasInFlight = attempt?.outcome === null;
    if (!wasInFlight && attempt?.outcome !== 'interrupted') {
      throw new Error(`Roam attempt ${input.attemptId} is already finished (${attempt?.outcome})`);
    }
    await tx
      .update(roamAttempts)
      .set({
        outcome: input.outcome,
        finishedAt: sql`now()`,
        requestId: input.requestId ?? null,
        errorCode: input.errorCode ?? null,
        errorMessage: input.errorMessage ?? null,
        httpStatus: input.httpStatus ?? null,
      })
      .where(eq(roamAttempts.id, input.attemptId));

    const result = { jobId: reference.jobId, itemId: reference.itemId };
    const transition = lifecycle.finishCall(itemState(item), wasInFlight, input);
    if (!transition) return { ...result, itemUpdated: false, itemStatus: item.status, jobCompleted: false };
    const { jobCompleted } = await applyTransitions(tx, reference.jobId, [
      { itemId: reference.itemId, transition },
    ]);
    return {
      ...result,
      itemUpdated: true,
      itemStatus: transition.change.status ?? item.status,
      jobCompleted,
    };
  });
}

export interface RecordCheckInput {
  itemId: number;
  actor: string;
  /** What listing the target instance found for the username; `error` when the listing failed. */
  outcome: CheckOutcome;
  requestId?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  httpStatus?: number | null;
  /**
   * The worker holding the item's lease. When given, `absent` clears needs_check only while that lease is
   * still held: a worker that lost its lease may report a listing older than the new holder's call.
   */
  workerId?: string;
  /** When given, the same for the lease of this claim. */
  leaseToken?: string;
}

export interface RecordCheckResult {
  attemptId: number;
  jobId: string;
  itemStatus: lifecycle.ItemStatus;
  needsCheck: boolean;
  jobCompleted: boolean;
}

/** Records a check of the target as an attempt, and its meaning for the item (lifecycle.recordCheck). */
export async function recordCheck(db: Database, input: RecordCheckInput): Promise<RecordCheckResult> {
  return db.transaction(async (tx) => {
    const { jobId, item } = await lockItemWithJob(tx, input.itemId);
    const [attempt] = await tx
      .insert(roamAttempts)
      .values({
        jobId,
        itemId: input.itemId,
        kind: 'check',
        actor: input.actor,
        startedAt: sql`now()`,
        finishedAt: sql`now()`,
        outcome: input.outcome,
        requestId: input.requestId ?? null,
        errorCode: input.errorCode ?? null,
        errorMessage: input.errorMessage ?? null,
        httpStatus: input.httpStatus ?? null,
      })
      .returning({ id: roamAttempts.id });
    if (!attempt) throw new Error('Inserting the check attempt returned no row');

    const calls = await tx
      .select({ requestId: roamAttempts.requestId, outcome: roamAttempts.outcome })
      .from(roamAttempts)
      .where(and(eq(roamAttempts.itemId, input.itemId), inArray(roamAttempts.kind, callKinds)))
      .orderBy(desc(roamAttempts.id));
    const [job] = await tx.select({ kind: roamJobs.kind }).from(roamJobs).where(eq(roamJobs.id, jobId));
    const transition = lifecycle.recordCheck(
      itemState(item),
      {
        outcome: input.outcome,
        callInFlight: calls.some((call) => call.outcome === null),
        leaseLost: lifecycle.leaseLost(itemState(item), input),
        acceptedCallRequestId: calls.find((call) => call.outcome === 'succeeded')?.requestId ?? null,
        uncertainCall: calls.some(
          (call) => call.outcome === null || call.outcome === 'unknown' || call.outcome === 'interrupted',
        ),
      },
      job?.kind,
    );
    const base = { attemptId: attempt.id, jobId };
    if (!transition) {
      return { ...base, itemStatus: item.status, needsCheck: item.needsCheck, jobCompleted: false };
    }
    const { jobCompleted } = await applyTransitions(tx, jobId, [{ itemId: input.itemId, transition }]);
    return {
      ...base,
      itemStatus: transition.change.status ?? item.status,
      needsCheck: transition.change.needsCheck ?? item.needsCheck,
      jobCompleted,
    };
  });
}
