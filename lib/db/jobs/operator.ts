import 'server-only';

import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import * as lifecycle from '@/lib/roam/lifecycle';
import type { Database } from '../database';
import { callKinds, roamAttempts, roamItems, roamJobs } from '../schema';
import { applyTransitions, BATCH_SIZE, completeJobIfDone, itemState, lockJob, transitionsOf } from './locks';
import { notifyWork } from './notify';
import { JobRefusedError } from './types';

// What an operator asks of a job: retry its failed items, record what the target holds.

/**
 * Failed items go back to pending and held items are un-parked (still unknown), all to be checked on the
 * target before anything is sent again (lifecycle.retry). Returns how many items were put back.
 */
export async function retryFailedItems(
  db: Database,
  input: { jobId: string; actor: string },
): Promise<number> {
  return db.transaction(async (tx) => {
    await lockJob(tx, input.jobId);
    // A cancel is final: the operator meant nothing more to be sent.
    const [job] = await tx
      .select({ cancelledAt: roamJobs.cancelledAt, kind: roamJobs.kind })
      .from(roamJobs)
      .where(eq(roamJobs.id, input.jobId));
    // A roam job's cancel is final: the operator meant nothing more to be sent. An undo can always go on
    // (taking back a roam is what the operator asked for), so its cancelled deletes are resumed too.
    const continueUndo = job?.kind === 'undo';
    if (job?.cancelledAt && !continueUndo) throw new JobRefusedError(input.jobId, 'cancelled');
    const rows = await tx
      .select()
      .from(roamItems)
      .where(
        and(
          eq(roamItems.jobId, input.jobId),
          or(
            inArray(
              roamItems.status,
              continueUndo ? ['failed', 'not_sent', 'cancelled'] : ['failed', 'not_sent'],
            ),
            eq(roamItems.held, true),
          ),
        ),
      )
      .for('no key update');
    const transitions = transitionsOf(rows, (row) => lifecycle.retry(itemState(row), continueUndo));
    if (transitions.length === 0) return 0;
    await applyTransitions(tx, undefined, transitions);
    // The admin has fixed what stopped the job (if anything did): it sends again.
    await tx
      .update(roamJobs)
      .set({
        status: 'running',
        finishedAt: null,
        retriedBy: input.actor,
        retriedAt: sql`now()`,
        stoppedAt: null,
        stoppedCode: null,
        stoppedMessage: null,
        stoppedRequestId: null,
        cancelledAt: null,
        cancelledBy: null,
      })
      .where(eq(roamJobs.id, input.jobId));
    await notifyWork(tx, input.jobId);
    return transitions.length;
  });
}

export interface SetPresenceInput {
  jobId: string;
  presence: readonly { username: string; present: boolean }[];
}

/** Records a "verify on target" listing (lifecycle.recordPresence). Returns how many items it touched. */
export async function setPresence(db: Database, input: SetPresenceInput): Promise<number> {
  const present = new Map(input.presence.map((entry) => [entry.username, entry.present]));
  const usernames = [...present.keys()];
  return db.transaction(async (tx) => {
    let updated = 0;
    for (let start = 0; start < usernames.length; start += BATCH_SIZE) {
      const rows = await tx
        .select()
        .from(roamItems)
        .where(
          and(
            eq(roamItems.jobId, input.jobId),
            inArray(roamItems.username, usernames.slice(start, start + BATCH_SIZE)),
          ),
        )
        .for('no key update');
      const transitions = transitionsOf(rows, (row) =>
        lifecycle.recordPresence(itemState(row), present.get(row.username) === true),
      );
      await applyTransitions(tx, undefined, transitions);
      updated += transitions.length;
    }
    return updated;
  });
}

export interface StopJobSendingInput {
  jobId: string;
  /**
   * The answer that holds for every remaining username. Omitted: the job's own reason, if it has stopped
   * already (a worker giving up an item it was about to send); nothing happens otherwise.
   */
  reason?: { errorCode: string; errorMessage: string; errorRequestId: string | null };
}

/**
 * Stops a job's sending after an answer that holds for every remaining username (lifecycle.stopSending): the
 * job keeps the reason (the first one), and every item with no call that may have been applied becomes
 * not_sent with it. Calls in flight finish and are recorded; items that owe a check go on checking and are
 * given up here when they would send. Idempotent. Returns how many items it stopped.
 */
export async function stopJobSending(
  db: Database,
  input: StopJobSendingInput,
): Promise<{ stopped: number; jobCompleted: boolean }> {
  return db.transaction(async (tx) => {
    await lockJob(tx, input.jobId);
    if (input.reason) {
      await tx
        .update(roamJobs)
        .set({
          stoppedAt: sql`now()`,
          stoppedCode: input.reason.errorCode,
          stoppedMessage: input.reason.errorMessage,
          stoppedRequestId: input.reason.errorRequestId,
        })
        .where(and(eq(roamJobs.id, input.jobId), isNull(roamJobs.stoppedAt)));
    }
    const [job] = await tx
      .select({
        code: roamJobs.stoppedCode,
        message: roamJobs.stoppedMessage,
        requestId: roamJobs.stoppedRequestId,
        cancelledAt: roamJobs.cancelledAt,
      })
      .from(roamJobs)
      .where(eq(roamJobs.id, input.jobId));
    if (!job) return { stopped: 0, jobCompleted: false };
    return giveUpUnsentItems(tx, input.jobId, job);
  });
}

/**
 * The items of a stopped or cancelled job that certainly had no call that may have been applied become
 * not_sent (with the stop's reason) or cancelled (lifecycle.stopSending). A cancel wins over a stop.
 */
async function giveUpUnsentItems(
  tx: Database,
  jobId: string,
  job: { code: string | null; message: string | null; requestId: string | null; cancelledAt: Date | null },
): Promise<{ stopped: number; jobCompleted: boolean }> {
  const why: Parameters<typeof lifecycle.stopSending>[2] | null = job.cancelledAt
    ? { cancelled: true }
    : job.code
      ? { stopped: { errorCode: job.code, errorMessage: job.message ?? '', errorRequestId: job.requestId } }
      : null;
  if (!why) return { stopped: 0, jobCompleted: false };
  const rows = await tx
    .select()
    .from(roamItems)
    .where(and(eq(roamItems.jobId, jobId), inArray(roamItems.status, ['pending', 'in_progress'])))
    .for('no key update');
  const inFlight = new Set(
    (
      await tx
        .select({ itemId: roamAttempts.itemId })
        .from(roamAttempts)
        .where(
          and(
            eq(roamAttempts.jobId, jobId),
            inArray(roamAttempts.kind, callKinds),
            isNull(roamAttempts.outcome),
          ),
        )
    ).map((attempt) => attempt.itemId),
  );
  const transitions = transitionsOf(rows, (row) =>
    lifecycle.stopSending(itemState(row), inFlight.has(row.id), why),
  );
  // With no item to give up, a cancelled job whose last blocker ended meanwhile still ends now.
  const { jobCompleted } =
    transitions.length > 0
      ? await applyTransitions(tx, jobId, transitions)
      : { jobCompleted: job.cancelledAt ? await completeJobIfDone(tx, jobId) : false };
  return { stopped: transitions.length, jobCompleted };
}

export interface CancelJobResult {
  /** Items that became cancelled at once (no call was, or will be, made for them). */
  cancelled: number;
  /** The job ended at once: nothing was in flight. Otherwise it ends once its calls in flight are recorded. */
  jobEnded: boolean;
}

/**
 * An operator's cancel: from its commit on, no new call of the job starts (startRoamAttempt reads it under the
 * item lock, in every process); items not yet sent become cancelled; calls in flight finish and are recorded,
 * and items that owe a check are checked and then given up instead of sent. The job ends as cancelled, with
 * who and when. Throws JobRefusedError (not-found, finished), changing nothing.
 */
export async function cancelJob(
  db: Database,
  input: { jobId: string; actor: string },
): Promise<CancelJobResult> {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .select({
        status: roamJobs.status,
        code: roamJobs.stoppedCode,
        message: roamJobs.stoppedMessage,
        requestId: roamJobs.stoppedRequestId,
        cancelledAt: roamJobs.cancelledAt,
      })
      .from(roamJobs)
      .where(eq(roamJobs.id, input.jobId))
      .for('no key update');
    if (!job) throw new JobRefusedError(input.jobId, 'not-found');
    if (job.status !== 'running' || job.cancelledAt) throw new JobRefusedError(input.jobId, 'finished');
    // First the items that could still be sent: a call being recorded now holds its item's lock, so this
    // waits for it to commit, and every later one waits here and then reads the cancel. The moment stored is
    // taken after that, so that no call of the job is recorded as started after it.
    await tx
      .select({ id: roamItems.id })
      .from(roamItems)
      .where(and(eq(roamItems.jobId, input.jobId), inArray(roamItems.status, ['pending', 'in_progress'])))
      .for('no key update');
    const [cancelled] = await tx
      .update(roamJobs)
      .set({ cancelledBy: input.actor, cancelledAt: sql`clock_timestamp()` })
      .where(eq(roamJobs.id, input.jobId))
      .returning({ cancelledAt: roamJobs.cancelledAt });
    const given = await giveUpUnsentItems(tx, input.jobId, {
      ...job,
      cancelledAt: cancelled?.cancelledAt ?? new Date(),
    });
    return { cancelled: given.stopped, jobEnded: given.jobCompleted };
  });
}
