import 'server-only';

import { and, eq, inArray, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import {
  CLAIMABLE_STATUSES,
  type ItemChange,
  type ItemState,
  type JobEffect,
  type Transition,
} from '@/lib/roam/lifecycle';
import type { Database } from '../database';
import { callKinds, roamAttempts, roamItems, roamJobs } from '../schema';
import { RecordNotFoundError, type RoamItem } from './types';

// What every part of the job store shares: the clock, the locks and the one way an item changes.
//
// Locks are always taken job row, then item rows, then attempt rows, so concurrent workers cannot deadlock.
// Row locks are FOR NO KEY UPDATE: they still serialise writers but let the foreign-key checks of attempts
// being inserted (FOR KEY SHARE on their job and item) through. Every caller runs inside a transaction.

export const BATCH_SIZE = 1_000;

/** lifecycle.isClaimable, as SQL over roam_items at the instant `at`. */
export function claimableWhere(at: SQL<Date>): SQL | undefined {
  return and(
    eq(roamItems.held, false),
    or(
      and(
        inArray(roamItems.status, ['pending', 'unknown']),
        or(isNull(roamItems.notBefore), lte(roamItems.notBefore, at)),
      ),
      and(eq(roamItems.status, 'in_progress'), lt(roamItems.leaseExpiresAt, at)),
    ),
  );
}

/**
 * lifecycle.blocksJobCompletion, as SQL. Held items are always unknown (a check constraint), so this matches
 * the claim indexes' predicate.
 */
export const blocksCompletionWhere = and(
  inArray(roamItems.status, CLAIMABLE_STATUSES),
  eq(roamItems.held, false),
) as SQL;

export function itemState(row: RoamItem): ItemState {
  return {
    status: row.status,
    needsCheck: row.needsCheck,
    held: row.held,
    verified: row.verified,
    requestId: row.requestId,
    leaseOwner: row.leaseOwner,
    leaseExpiresAt: row.leaseExpiresAt,
    leaseToken: row.leaseToken,
    notBefore: row.notBefore,
  };
}

/** Locks an item and its job, in that order of rows: job, then item. */
export async function lockItemWithJob(
  db: Database,
  itemId: number,
): Promise<{ jobId: string; item: RoamItem }> {
  const [reference] = await db
    .select({ jobId: roamItems.jobId })
    .from(roamItems)
    .where(eq(roamItems.id, itemId));
  if (!reference) throw new RecordNotFoundError('item', itemId);
  await lockJob(db, reference.jobId);
  return { jobId: reference.jobId, item: await lockItem(db, itemId) };
}

/** Serialises the transactions that may complete or reopen a job, so the last item is never missed. */
export async function lockJob(db: Database, jobId: string): Promise<void> {
  const [job] = await db
    .select({ id: roamJobs.id })
    .from(roamJobs)
    .where(eq(roamJobs.id, jobId))
    .for('no key update');
  if (!job) throw new RecordNotFoundError('job', jobId);
}

export async function lockItem(db: Database, itemId: number): Promise<RoamItem> {
  const [item] = await db.select().from(roamItems).where(eq(roamItems.id, itemId)).for('no key update');
  if (!item) throw new RecordNotFoundError('item', itemId);
  return item;
}

/** The columns a lifecycle change sets. */
export function changeColumns(change: ItemChange) {
  return {
    ...(change.status !== undefined ? { status: change.status } : {}),
    ...(change.needsCheck !== undefined ? { needsCheck: change.needsCheck } : {}),
    ...(change.held !== undefined ? { held: change.held } : {}),
    ...(change.verified !== undefined ? { verified: change.verified } : {}),
    ...(change.requestId !== undefined ? { requestId: change.requestId } : {}),
    ...(change.error ?? {}),
    ...(change.notBefore !== undefined ? { notBefore: change.notBefore } : {}),
    ...(change.releaseLease ? { leaseOwner: null, leaseExpiresAt: null, leaseToken: null } : {}),
    ...(change.targetPresence !== undefined
      ? { targetPresence: change.targetPresence, presenceCheckedAt: sql`now()` }
      : {}),
    updatedAt: sql`now()`,
  };
}

/**
 * Persists the lifecycle's transitions of locked items: items with the same change are written by one UPDATE
 * per batch, calls in flight are interrupted where the transition says so, and the job is completed or
 * reopened. Returns whether the job was completed by this.
 */
export async function applyTransitions(
  db: Database,
  jobId: string | undefined,
  transitions: readonly ItemTransition[],
): Promise<{ jobCompleted: boolean; interruptedCalls: number }> {
  for (const { change, itemIds } of groupByChange(transitions)) {
    for (let start = 0; start < itemIds.length; start += BATCH_SIZE) {
      await db
        .update(roamItems)
        .set(changeColumns(change))
        .where(inArray(roamItems.id, itemIds.slice(start, start + BATCH_SIZE)));
    }
  }
  const interruptedCalls = await interruptInFlightAttempts(
    db,
    transitions.filter(({ transition }) => transition.interruptCallsInFlight).map(({ itemId }) => itemId),
  );
  const effects = new Set<JobEffect>(transitions.map(({ transition }) => transition.job));
  let jobCompleted = false;
  if (jobId !== undefined) {
    if (effects.has('reopen')) await reopenJob(db, jobId);
    if (effects.has('complete-if-done')) jobCompleted = await completeJobIfDone(db, jobId);
  }
  return { jobCompleted, interruptedCalls };
}

export interface ItemTransition {
  itemId: number;
  transition: Transition;
}

/** The transitions of those rows that change. */
export function transitionsOf<Row extends { id: number }>(
  rows: readonly Row[],
  transitionOf: (row: Row) => Transition | null,
): ItemTransition[] {
  return rows.flatMap((row) => {
    const transition = transitionOf(row);
    return transition ? [{ itemId: row.id, transition }] : [];
  });
}

/** Items that change alike, so that each group is written by one statement. */
export function groupByChange(
  transitions: readonly ItemTransition[],
): { change: ItemChange; itemIds: number[] }[] {
  const groups = new Map<string, { change: ItemChange; itemIds: number[] }>();
  for (const { itemId, transition } of transitions) {
    const key = JSON.stringify(transition.change);
    const group = groups.get(key) ?? { change: transition.change, itemIds: [] };
    group.itemIds.push(itemId);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export async function interruptInFlightAttempts(db: Database, itemIds: number[]): Promise<number> {
  let interrupted = 0;
  for (let start = 0; start < itemIds.length; start += BATCH_SIZE) {
    const rows = await db
      .update(roamAttempts)
      .set({ outcome: 'interrupted', finishedAt: sql`now()` })
      .where(
        and(
          inArray(roamAttempts.itemId, itemIds.slice(start, start + BATCH_SIZE)),
          inArray(roamAttempts.kind, callKinds),
          isNull(roamAttempts.outcome),
        ),
      )
      .returning({ id: roamAttempts.id });
    interrupted += rows.length;
  }
  return interrupted;
}

export async function completeJobIfDone(db: Database, jobId: string): Promise<boolean> {
  const open = db
    .select({ one: sql`1` })
    .from(roamItems)
    .where(and(eq(roamItems.jobId, jobId), blocksCompletionWhere));
  // A cancelled job ends as cancelled, once its calls in flight are recorded.
  const completed = await db
    .update(roamJobs)
    .set({
      status: sql`CASE WHEN ${roamJobs.cancelledAt} IS NULL THEN 'completed' ELSE 'cancelled' END`,
      finishedAt: sql`now()`,
    })
    .where(and(eq(roamJobs.id, jobId), eq(roamJobs.status, 'running'), sql`NOT exists (${open})`))
    .returning({ id: roamJobs.id });
  return completed.length > 0;
}

/** A completed job that has work again runs again. */
async function reopenJob(db: Database, jobId: string): Promise<void> {
  await db
    .update(roamJobs)
    .set({ status: 'running', finishedAt: null })
    .where(and(eq(roamJobs.id, jobId), eq(roamJobs.status, 'completed')));
}
