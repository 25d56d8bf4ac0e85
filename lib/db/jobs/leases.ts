import 'server-only';

import { and, asc, eq, inArray, lt, notInArray, or, type SQL, sql } from 'drizzle-orm';
import * as lifecycle from '@/lib/roam/lifecycle';
import { clock } from '../clock';
import type { Database } from '../database';
import { type JobKind, type JobMode, roamItems, roamJobs } from '../schema';
import {
  applyTransitions,
  changeColumns,
  claimableWhere,
  groupByChange,
  interruptInFlightAttempts,
  itemState,
  lockItemWithJob,
  transitionsOf,
} from './locks';

// Leases: which worker holds which item, and what happens to items whose worker is gone.

export interface ClaimItemsInput {
  /** Only this job's items; otherwise any job's, oldest first. */
  jobId?: string;
  workerId: string;
  /** Items this process still works on: never claimed again by it, even when their lease has expired. */
  exceptItemIds?: readonly number[];
  limit: number;
  leaseMs: number;
  now?: Date;
}

export interface ClaimedItem {
  id: number;
  jobId: string;
  position: number;
  username: string;
  /** Check the target before sending: an earlier attempt may have been applied. */
  needsCheck: boolean;
  attemptCount: number;
  leaseExpiresAt: Date;
  /** This claim's own token: every later report on the item names it (see lifecycle.Holder). */
  leaseToken: string;
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
  mode: JobMode;
  /** `undo`: the call is a DeleteSmartAccessGatewayClientUser of the account on the target. */
  kind: JobKind;
  /** Taken over from a lease that expired (its process died or stalled): it is checked before any resend. */
  takenOver: boolean;
  /** Who the calls are made for: whoever asked for the last retry of the job, else who created it. */
  actor: string;
}

/**
 * Leases up to `limit` items to `workerId`. Rows are picked with FOR UPDATE SKIP LOCKED, so workers in any
 * number of processes sharing one PostgreSQL never claim the same item at once; lifecycle.claim says how
 * each changes. Held items, and pending or unknown items whose `not_before` is after `now`, are skipped.
 */
export async function claimItems(db: Database, input: ClaimItemsInput): Promise<ClaimedItem[]> {
  if (input.limit < 1) return [];
  const at = clock(input.now);
  return db.transaction(async (tx) => {
    const candidates = await tx
      .select()
      .from(roamItems)
      .where(
        and(
          input.jobId ? eq(roamItems.jobId, input.jobId) : undefined,
          input.exceptItemIds?.length ? notInArray(roamItems.id, [...input.exceptItemIds]) : undefined,
          claimableWhere(at),
        ),
      )
      .orderBy(input.jobId ? asc(roamItems.position) : asc(roamItems.id))
      .limit(input.limit)
      .for('no key update', { skipLocked: true });
    if (candidates.length === 0) return [];
    const transitions = transitionsOf(candidates, (row) => lifecycle.claim(itemState(row)));
    const takenOver = new Set(candidates.filter((row) => row.status === 'in_progress').map((row) => row.id));
    const claimed: ClaimedItem[] = [];
    for (const { change, itemIds } of groupByChange(transitions)) {
      const rows = await tx
        .update(roamItems)
        .set({
          ...changeColumns(change),
          leaseOwner: input.workerId,
          leaseExpiresAt: leaseEnd(at, input.leaseMs),
          leaseToken: sql`gen_random_uuid()`,
          updatedAt: at,
        })
        .from(roamJobs)
        .where(and(eq(roamJobs.id, roamItems.jobId), inArray(roamItems.id, itemIds)))
        .returning({
          id: roamItems.id,
          jobId: roamItems.jobId,
          position: roamItems.position,
          username: roamItems.username,
          needsCheck: roamItems.needsCheck,
          attemptCount: roamItems.attemptCount,
          leaseExpiresAt: sql<Date>`${roamItems.leaseExpiresAt}`.mapWith(roamItems.leaseExpiresAt),
          leaseToken: sql<string>`${roamItems.leaseToken}::text`,
          originRegionId: roamJobs.originRegionId,
          originInstanceId: roamJobs.originInstanceId,
          targetRegionId: roamJobs.targetRegionId,
          targetInstanceId: roamJobs.targetInstanceId,
          mode: roamJobs.mode,
          kind: roamJobs.kind,
          actor: sql<string>`coalesce(${roamJobs.retriedBy}, ${roamJobs.createdBy})`,
        });
      claimed.push(...rows.map((row) => ({ ...row, takenOver: takenOver.has(row.id) })));
    }
    // A call still marked in flight on a claimable item belongs to a worker that lost its lease.
    await interruptInFlightAttempts(
      tx,
      transitions.filter(({ transition }) => transition.interruptCallsInFlight).map(({ itemId }) => itemId),
    );
    return claimed.sort((left, right) => left.id - right.id);
  });
}

function leaseEnd(at: SQL<Date>, leaseMs: number): SQL {
  return sql`${at} + ${Math.max(0, Math.round(leaseMs))}::integer * interval '1 millisecond'`;
}

export interface RenewLeasesInput {
  /** The leases to extend, each with the token of its claim. */
  leases: readonly { itemId: number; leaseToken: string }[];
  leaseMs: number;
  now?: Date;
}

/**
 * Extends the leases a worker still holds while work on them runs, so that a slow call or check never lets its
 * item be claimed by another worker. Returns the items whose lease was renewed; the rest were lost.
 */
export async function renewLeases(db: Database, input: RenewLeasesInput): Promise<Set<number>> {
  if (input.leases.length === 0) return new Set();
  const at = clock(input.now);
  const renewed = await db
    .update(roamItems)
    .set({ leaseExpiresAt: leaseEnd(at, input.leaseMs) })
    .where(
      and(
        eq(roamItems.status, 'in_progress'),
        or(
          ...input.leases.map(({ itemId, leaseToken }) =>
            and(eq(roamItems.id, itemId), eq(roamItems.leaseToken, leaseToken)),
          ),
        ),
      ),
    )
    .returning({ id: roamItems.id });
  return new Set(renewed.map((row) => row.id));
}

export interface ReleaseItemInput {
  itemId: number;
  /** pending: may be sent as it stands; unknown: to be looked at again later. needs_check is kept. */
  status: 'pending' | 'unknown';
  /** When given, only this worker's lease is released. */
  workerId?: string;
  /** When given, only the lease of this claim. */
  leaseToken?: string;
  /** Not to be claimed again before this instant. */
  notBefore?: Date;
}

/** Gives a leased item back without a final state (throttling, shutdown). Returns false if not leased. */
export async function releaseItem(db: Database, input: ReleaseItemInput): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(roamItems)
      .where(eq(roamItems.id, input.itemId))
      .for('no key update');
    if (!row) return false;
    const item = itemState(row);
    const transition = lifecycle.release(item, lifecycle.leaseLost(item, input), input);
    if (!transition) return false;
    await applyTransitions(tx, undefined, [{ itemId: input.itemId, transition }]);
    return true;
  });
}

export interface HoldItemInput {
  itemId: number;
  /** When given, the item must still be leased to this worker; otherwise nothing is changed. */
  workerId?: string;
  /** When given, the item must still be leased under this claim. */
  leaseToken?: string;
  /** Why the item is parked, e.g. Forbidden.RAM when the target cannot be listed. */
  errorCode: string;
  errorMessage?: string | null;
  errorRequestId?: string | null;
}

export interface HoldItemResult {
  jobId: string;
  /** False when nothing changed: the lease is not `workerId`'s, or the item is already final. */
  itemHeld: boolean;
  jobCompleted: boolean;
}

/**
 * Parks an item whose outcome stays unknown because the target cannot be checked (lifecycle.park). It is no
 * longer claimed and no longer keeps its job running; retryFailedItems or a check on the target brings it
 * back. Completes the job if it was the last blocker.
 */
export async function holdItem(db: Database, input: HoldItemInput): Promise<HoldItemResult> {
  return db.transaction(async (tx) => {
    const { jobId, item } = await lockItemWithJob(tx, input.itemId);
    const state = itemState(item);
    const transition = lifecycle.park(state, lifecycle.leaseLost(state, input), {
      errorCode: input.errorCode,
      errorMessage: input.errorMessage ?? null,
      errorRequestId: input.errorRequestId ?? null,
    });
    if (!transition) return { jobId, itemHeld: false, jobCompleted: false };
    const { jobCompleted } = await applyTransitions(tx, jobId, [{ itemId: input.itemId, transition }]);
    return { jobId, itemHeld: true, jobCompleted };
  });
}

export interface MarkInterruptedInput {
  /**
   * Only items whose lease expired before this instant: use it on a PostgreSQL shared by several processes.
   * Omitted: every in-progress item, which is right only for the embedded single-process database at start-up.
   */
  olderThan?: Date;
}

/**
 * Start-up recovery (lifecycle.recover): calls found in flight become `interrupted`, and their items
 * `unknown` with needs_check, so the target is checked before any resend. Leased items without a call in
 * flight go back to pending (or unknown when they already needed a check).
 */
export async function markInterruptedAttempts(
  db: Database,
  input: MarkInterruptedInput = {},
): Promise<{ items: number; attempts: number }> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(roamItems)
      .where(
        and(
          eq(roamItems.status, 'in_progress'),
          input.olderThan ? lt(roamItems.leaseExpiresAt, clock(input.olderThan)) : undefined,
        ),
      )
      .for('no key update');
    const transitions = transitionsOf(rows, (row) => lifecycle.recover(itemState(row)));
    const { interruptedCalls } = await applyTransitions(tx, undefined, transitions);
    return { items: transitions.length, attempts: interruptedCalls };
  });
}
