import 'server-only';

import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import * as lifecycle from '@/lib/roam/lifecycle';
import type { Database } from '../database';
import { roamAttempts, roamItems, roamJobs } from '../schema';
import { applyTransitions, BATCH_SIZE, itemState, lockJob, transitionsOf } from './locks';

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
    const rows = await tx
      .select()
      .from(roamItems)
      .where(
        and(
          eq(roamItems.jobId, input.jobId),
          or(inArray(roamItems.status, ['failed', 'not_sent']), eq(roamItems.held, true)),
        ),
      )
      .for('no key update');
    const transitions = transitionsOf(rows, (row) => lifecycle.retry(itemState(row)));
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
      })
      .where(eq(roamJobs.id, input.jobId));
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
      })
      .from(roamJobs)
      .where(eq(roamJobs.id, input.jobId));
    if (!job?.code) return { stopped: 0, jobCompleted: false };
    const reason = {
      errorCode: job.code,
      errorMessage: job.message ?? '',
      errorRequestId: job.requestId,
    };
    const rows = await tx
      .select()
      .from(roamItems)
      .where(and(eq(roamItems.jobId, input.jobId), inArray(roamItems.status, ['pending', 'in_progress'])))
      .for('no key update');
    const inFlight = new Set(
      (
        await tx
          .select({ itemId: roamAttempts.itemId })
          .from(roamAttempts)
          .where(
            and(
              eq(roamAttempts.jobId, input.jobId),
              eq(roamAttempts.kind, 'roam'),
              isNull(roamAttempts.outcome),
            ),
          )
      ).map((attempt) => attempt.itemId),
    );
    const transitions = transitionsOf(rows, (row) =>
      lifecycle.stopSending(itemState(row), inFlight.has(row.id), reason),
    );
    const { jobCompleted } = await applyTransitions(tx, input.jobId, transitions);
    return { stopped: transitions.length, jobCompleted };
  });
}
