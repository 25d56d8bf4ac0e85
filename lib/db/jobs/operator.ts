import 'server-only';

import { and, eq, inArray, or, sql } from 'drizzle-orm';
import * as lifecycle from '@/lib/roam/lifecycle';
import type { Database } from '../database';
import { roamItems, roamJobs } from '../schema';
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
        and(eq(roamItems.jobId, input.jobId), or(eq(roamItems.status, 'failed'), eq(roamItems.held, true))),
      )
      .for('no key update');
    const transitions = transitionsOf(rows, (row) => lifecycle.retry(itemState(row)));
    if (transitions.length === 0) return 0;
    await applyTransitions(tx, undefined, transitions);
    await tx
      .update(roamJobs)
      .set({ status: 'running', finishedAt: null, retriedBy: input.actor, retriedAt: sql`now()` })
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
