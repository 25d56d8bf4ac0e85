import 'server-only';

import {
  and,
  asc,
  count,
  desc,
  eq,
  exists,
  gte,
  ilike,
  inArray,
  isNull,
  lt,
  lte,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Database } from './database';
import {
  type CheckOutcome,
  type ItemStatus,
  type JobStatus,
  type RoamAttemptRow,
  type RoamItemRow,
  type RoamJobRow,
  roamAttempts,
  roamItems,
  roamJobs,
} from './schema';

// Item state machine (the worker drives it; every transition below is one transaction):
//   pending | unknown (not held, not_before due) | in_progress with an expired lease
//     --claimItems--> in_progress (leased, not_before cleared)
//   in_progress --startRoamAttempt--> in_progress, needs_check = true (refused while needs_check)
//   in_progress --finishRoamAttempt--> succeeded | failed | unknown (needs_check kept) | pending (retryable),
//     the last two optionally with not_before
//   in_progress --releaseItem--> pending | unknown, optionally with not_before
//   pending | unknown | in_progress --holdItem--> unknown + held + needs_check (parked: not claimed and not
//     blocking the job's completion)
//   any --recordCheck present--> succeeded + verified;  absent --> needs_check = false (unknown -> pending);
//     both un-park a held item and clear not_before
//   failed --retryFailedItems--> pending + needs_check;  held --retryFailedItems--> unknown, not held
// A job is completed when none of its items is pending, in progress, or unknown and not held.
// Locks are always taken job row, then item rows, then attempt rows, so concurrent workers cannot deadlock.
// Row locks are FOR NO KEY UPDATE: they still serialise writers but let the foreign-key checks of
// attempts being inserted (FOR KEY SHARE on their job and item) through.

export type RoamJob = RoamJobRow;
export type RoamItem = RoamItemRow;
export type RoamAttempt = RoamAttemptRow;

export interface JobCounts {
  succeeded: number;
  failed: number;
  /** Pending or in progress: not yet attempted to the end. */
  inProgress: number;
  unknown: number;
  total: number;
}

export type JobSummary = RoamJob & { counts: JobCounts };
export type JobDetails = JobSummary & { items: RoamItem[] };

/** Something the worker must not do; the message is for logs, not for the page. */
export class ItemNotSendableError extends Error {
  constructor(
    readonly itemId: number,
    readonly reason: 'not-found' | 'not-leased' | 'lease-expired' | 'needs-check',
  ) {
    super(`Roam item ${itemId} cannot be sent: ${reason}`);
    this.name = 'ItemNotSendableError';
  }
}

export class RecordNotFoundError extends Error {
  constructor(
    readonly entity: 'job' | 'item' | 'attempt',
    readonly id: string | number,
  ) {
    super(`No ${entity} with id ${id}`);
    this.name = 'RecordNotFoundError';
  }
}

const claimableStatuses = ['pending', 'unknown', 'in_progress'] as const;

/**
 * Items that keep their job running: pending, in progress, or unknown and not held. Held items are always
 * unknown (a check constraint), so this matches the claim indexes' predicate.
 */
const blocksJobCompletion = and(inArray(roamItems.status, claimableStatuses), eq(roamItems.held, false));
const insertBatchSize = 1_000;

/** The database clock, or an explicit instant (tests move time without waiting). */
function clock(now: Date | undefined): SQL<Date> {
  return now ? sql<Date>`${now.toISOString()}::timestamptz` : sql<Date>`now()`;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------------------------
// Creating jobs

export interface CreateJobInput {
  createdBy: string;
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
  usernames: readonly string[];
  /** Which endpoint serves the job, e.g. 'emulator' or 'alibaba-cloud'. */
  mode: string;
}

export async function createJob(db: Database, input: CreateJobInput): Promise<RoamJob> {
  const usernames = [...new Set(input.usernames)];
  if (usernames.length === 0) {
    throw new Error('A roam job needs at least one username');
  }
  return db.transaction(async (tx) => {
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
      })
      .returning();
    if (!job) throw new Error('Inserting the roam job returned no row');
    for (let start = 0; start < usernames.length; start += insertBatchSize) {
      await tx
        .insert(roamItems)
        .values(
          usernames
            .slice(start, start + insertBatchSize)
            .map((username, offset) => ({ jobId: job.id, position: start + offset, username })),
        );
    }
    return job;
  });
}

// ---------------------------------------------------------------------------------------------------------
// The worker's side

export interface ClaimItemsInput {
  /** Only this job's items; otherwise any job's, oldest first. */
  jobId?: string;
  workerId: string;
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
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
  mode: string;
  /** Who the calls are made for: whoever asked for the last retry of the job, else who created it. */
  actor: string;
}

/**
 * Leases up to `limit` items to `workerId`. Rows are picked with FOR UPDATE SKIP LOCKED, so workers in
 * any number of processes sharing one PostgreSQL never claim the same item at once. Held items, and
 * pending or unknown items whose `not_before` is after `now`, are skipped.
 */
export async function claimItems(db: Database, input: ClaimItemsInput): Promise<ClaimedItem[]> {
  if (input.limit < 1) return [];
  const at = clock(input.now);
  const claimable = and(
    input.jobId ? eq(roamItems.jobId, input.jobId) : undefined,
    eq(roamItems.held, false),
    or(
      and(
        inArray(roamItems.status, ['pending', 'unknown']),
        or(isNull(roamItems.notBefore), lte(roamItems.notBefore, at)),
      ),
      and(eq(roamItems.status, 'in_progress'), lt(roamItems.leaseExpiresAt, at)),
    ),
  );
  return db.transaction(async (tx) => {
    const candidates = tx
      .select({ id: roamItems.id })
      .from(roamItems)
      .where(claimable)
      .orderBy(input.jobId ? asc(roamItems.position) : asc(roamItems.id))
      .limit(input.limit)
      .for('no key update', { skipLocked: true });
    const claimed = await tx
      .update(roamItems)
      .set({
        status: 'in_progress',
        leaseOwner: input.workerId,
        leaseExpiresAt: sql`${at} + ${Math.max(0, Math.round(input.leaseMs))}::integer * interval '1 millisecond'`,
        // SET reads the row as it was: an expired in-progress lease may have sent its call.
        needsCheck: sql`${roamItems.needsCheck} OR ${roamItems.status} = 'in_progress'`,
        notBefore: null,
        updatedAt: at,
      })
      .from(roamJobs)
      .where(and(eq(roamJobs.id, roamItems.jobId), inArray(roamItems.id, candidates)))
      .returning({
        id: roamItems.id,
        jobId: roamItems.jobId,
        position: roamItems.position,
        username: roamItems.username,
        needsCheck: roamItems.needsCheck,
        attemptCount: roamItems.attemptCount,
        leaseExpiresAt: sql<Date>`${roamItems.leaseExpiresAt}`.mapWith(roamItems.leaseExpiresAt),
        originRegionId: roamJobs.originRegionId,
        originInstanceId: roamJobs.originInstanceId,
        targetRegionId: roamJobs.targetRegionId,
        targetInstanceId: roamJobs.targetInstanceId,
        mode: roamJobs.mode,
        actor: sql<string>`coalesce(${roamJobs.retriedBy}, ${roamJobs.createdBy})`,
      });
    if (claimed.length > 0) {
      // A call still marked in flight on a claimable item belongs to a worker that lost its lease.
      await interruptInFlightAttempts(
        tx,
        claimed.map((item) => item.id),
      );
    }
    return claimed.sort((left, right) => left.id - right.id);
  });
}

export interface StartRoamAttemptInput {
  itemId: number;
  actor: string;
  /** When given, the lease must belong to this worker. */
  workerId?: string;
  now?: Date;
}

/**
 * Records that a RoamClientUser call is about to be sent, before it is sent: from here on the item
 * needs a check on the target before any resend. Throws ItemNotSendableError when the caller's lease
 * is gone or the item still needs a check.
 */
export async function startRoamAttempt(db: Database, input: StartRoamAttemptInput): Promise<number> {
  const at = clock(input.now);
  return db.transaction(async (tx) => {
    const [item] = await tx
      .update(roamItems)
      .set({ needsCheck: true, attemptCount: sql`${roamItems.attemptCount} + 1`, updatedAt: at })
      .where(
        and(
          eq(roamItems.id, input.itemId),
          eq(roamItems.status, 'in_progress'),
          eq(roamItems.needsCheck, false),
          sql`${roamItems.leaseExpiresAt} > ${at}`,
          input.workerId ? eq(roamItems.leaseOwner, input.workerId) : undefined,
        ),
      )
      .returning({ jobId: roamItems.jobId });
    if (!item) {
      throw new ItemNotSendableError(input.itemId, await whyNotSendable(tx, input));
    }
    const [attempt] = await tx
      .insert(roamAttempts)
      .values({ jobId: item.jobId, itemId: input.itemId, kind: 'roam', actor: input.actor, startedAt: at })
      .returning({ id: roamAttempts.id });
    if (!attempt) throw new Error('Inserting the roam attempt returned no row');
    return attempt.id;
  });
}

async function whyNotSendable(
  db: Database,
  input: StartRoamAttemptInput,
): Promise<ItemNotSendableError['reason']> {
  const [item] = await db
    .select({
      status: roamItems.status,
      needsCheck: roamItems.needsCheck,
      leaseOwner: roamItems.leaseOwner,
      leaseLive: sql<boolean>`${roamItems.leaseExpiresAt} > ${clock(input.now)}`,
    })
    .from(roamItems)
    .where(eq(roamItems.id, input.itemId));
  if (!item) return 'not-found';
  if (item.status !== 'in_progress') return 'not-leased';
  if (input.workerId && item.leaseOwner !== input.workerId) return 'not-leased';
  if (!item.leaseLive) return 'lease-expired';
  return 'needs-check';
}

export interface FinishRoamAttemptInput {
  attemptId: number;
  /** failed: the API answered an error, so the call was certainly not applied. */
  outcome: 'succeeded' | 'failed' | 'unknown';
  /** With `failed`: a transient refusal (throttling): the item goes back to pending instead of failing. */
  retryable?: boolean;
  /**
   * With `failed` + `retryable`: not to be claimed again before this instant. With `unknown`: a pause
   * before the target is checked. Ignored otherwise.
   */
  notBefore?: Date;
  /**
   * With `unknown`: park the item (held) instead of checking it again, e.g. after too many unknown
   * outcomes; an admin resolves it with "verify on target" or "retry failed".
   */
  hold?: boolean;
  requestId?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  httpStatus?: number | null;
}

export interface FinishRoamAttemptResult {
  jobId: string;
  itemId: number;
  /**
   * False when the attempt was no longer in flight (its lease was lost and the item reclaimed): the
   * outcome is kept on the attempt, and the item is left to its new holder, who checks the target.
   */
  itemUpdated: boolean;
  itemStatus: ItemStatus;
  jobCompleted: boolean;
}

export async function finishRoamAttempt(
  db: Database,
  input: FinishRoamAttemptInput,
): Promise<FinishRoamAttemptResult> {
  return db.transaction(async (tx) => {
    const [reference] = await tx
      .select({ jobId: roamAttempts.jobId, itemId: roamAttempts.itemId, kind: roamAttempts.kind })
      .from(roamAttempts)
      .where(eq(roamAttempts.id, input.attemptId));
    if (reference?.kind !== 'roam') throw new RecordNotFoundError('attempt', input.attemptId);
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
    const details = {
      requestId: input.requestId ?? null,
      errorCode: input.errorCode ?? null,
      errorMessage: input.errorMessage ?? null,
      httpStatus: input.httpStatus ?? null,
    };
    await tx
      .update(roamAttempts)
      .set({ outcome: input.outcome, finishedAt: sql`now()`, ...details })
      .where(eq(roamAttempts.id, input.attemptId));

    const result = { jobId: reference.jobId, itemId: reference.itemId };
    if (!wasInFlight || item.status !== 'in_progress') {
      return { ...result, itemUpdated: false, itemStatus: item.status, jobCompleted: false };
    }
    const released = { leaseOwner: null, leaseExpiresAt: null, updatedAt: sql`now()` };
    const error = {
      errorCode: details.errorCode,
      errorMessage: details.errorMessage,
      errorRequestId: details.requestId,
    };
    let itemStatus: ItemStatus;
    if (input.outcome === 'succeeded') {
      itemStatus = 'succeeded';
      await tx
        .update(roamItems)
        .set({
          ...released,
          status: itemStatus,
          needsCheck: false,
          requestId: details.requestId,
          errorCode: null,
          errorMessage: null,
          errorRequestId: null,
          notBefore: null,
        })
        .where(eq(roamItems.id, reference.itemId));
    } else if (input.outcome === 'failed') {
      itemStatus = input.retryable ? 'pending' : 'failed';
      await tx
        .update(roamItems)
        .set({
          ...released,
          ...error,
          status: itemStatus,
          needsCheck: false,
          notBefore: input.retryable ? (input.notBefore ?? null) : null,
        })
        .where(eq(roamItems.id, reference.itemId));
    } else {
      itemStatus = 'unknown';
      await tx
        .update(roamItems)
        .set({
          ...released,
          ...error,
          status: itemStatus,
          needsCheck: true,
          held: input.hold === true,
          notBefore: input.hold ? null : (input.notBefore ?? null),
        })
        .where(eq(roamItems.id, reference.itemId));
    }
    const jobCompleted =
      itemStatus === 'succeeded' || itemStatus === 'failed' || input.hold === true
        ? await completeJobIfDone(tx, reference.jobId)
        : false;
    return { ...result, itemUpdated: true, itemStatus, jobCompleted };
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
   * The worker holding the item's lease. When given, `absent` clears needs_check only while that lease
   * is still held: a worker that lost its lease may report a listing older than the new holder's call.
   */
  workerId?: string;
}

export interface RecordCheckResult {
  attemptId: number;
  jobId: string;
  itemStatus: ItemStatus;
  needsCheck: boolean;
  jobCompleted: boolean;
}

export async function recordCheck(db: Database, input: RecordCheckInput): Promise<RecordCheckResult> {
  return db.transaction(async (tx) => {
    const jobId = await jobIdOfItem(tx, input.itemId);
    await lockJob(tx, jobId);
    const item = await lockItem(tx, input.itemId);
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
    const base = { attemptId: attempt.id, jobId };

    if (input.outcome === 'present') {
      const lastRoamRequestId = tx
        .select({ requestId: roamAttempts.requestId })
        .from(roamAttempts)
        .where(and(eq(roamAttempts.itemId, input.itemId), eq(roamAttempts.kind, 'roam')))
        .orderBy(desc(roamAttempts.id))
        .limit(1);
      await tx
        .update(roamItems)
        .set({
          status: 'succeeded',
          verified: true,
          needsCheck: false,
          requestId: sql`coalesce((${lastRoamRequestId}), ${roamItems.requestId})`,
          errorCode: null,
          errorMessage: null,
          errorRequestId: null,
          targetPresence: 'present',
          presenceCheckedAt: sql`now()`,
          leaseOwner: null,
          leaseExpiresAt: null,
          held: false,
          notBefore: null,
          updatedAt: sql`now()`,
        })
        .where(eq(roamItems.id, input.itemId));
      const jobCompleted = await completeJobIfDone(tx, jobId);
      return { ...base, itemStatus: 'succeeded', needsCheck: false, jobCompleted };
    }

    if (input.outcome === 'absent') {
      // Absent proves "not applied" only for calls already answered: one in flight may still land.
      const inFlight = await tx
        .select({ id: roamAttempts.id })
        .from(roamAttempts)
        .where(
          and(
            eq(roamAttempts.itemId, input.itemId),
            eq(roamAttempts.kind, 'roam'),
            isNull(roamAttempts.outcome),
          ),
        );
      const leaseLost =
        input.workerId !== undefined && (item.status !== 'in_progress' || item.leaseOwner !== input.workerId);
      const cleared = inFlight.length === 0 && !leaseLost;
      // A listing answered, so a held item is parked no longer: it is claimable again (and still to be
      // checked unless this check cleared it).
      const [updated] = await tx
        .update(roamItems)
        .set({
          needsCheck: cleared ? false : item.needsCheck,
          status: cleared && item.status === 'unknown' ? 'pending' : item.status,
          held: false,
          notBefore: null,
          targetPresence: 'missing',
          presenceCheckedAt: sql`now()`,
          updatedAt: sql`now()`,
        })
        .where(eq(roamItems.id, input.itemId))
        .returning({ status: roamItems.status, needsCheck: roamItems.needsCheck });
      if (!updated) throw new RecordNotFoundError('item', input.itemId);
      // The held item may have been the job's last blocker: it has work again.
      if (item.held) await reopenJob(tx, jobId);
      return { ...base, itemStatus: updated.status, needsCheck: updated.needsCheck, jobCompleted: false };
    }

    return { ...base, itemStatus: item.status, needsCheck: item.needsCheck, jobCompleted: false };
  });
}

export interface ReleaseItemInput {
  itemId: number;
  /** pending: may be sent as it stands; unknown: to be looked at again later. needs_check is kept. */
  status: 'pending' | 'unknown';
  /** When given, only this worker's lease is released. */
  workerId?: string;
  /** Not to be claimed again before this instant. */
  notBefore?: Date;
}

/** Gives a leased item back without a final state (throttling, shutdown). Returns false if not leased. */
export async function releaseItem(db: Database, input: ReleaseItemInput): Promise<boolean> {
  return db.transaction(async (tx) => {
    const released = await tx
      .update(roamItems)
      .set({
        status: input.status,
        leaseOwner: null,
        leaseExpiresAt: null,
        notBefore: input.notBefore ?? null,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(roamItems.id, input.itemId),
          eq(roamItems.status, 'in_progress'),
          input.workerId ? eq(roamItems.leaseOwner, input.workerId) : undefined,
        ),
      )
      .returning({ id: roamItems.id });
    if (released.length === 0) return false;
    await interruptInFlightAttempts(tx, [input.itemId]);
    return true;
  });
}

export interface HoldItemInput {
  itemId: number;
  /** When given, the item must still be leased to this worker; otherwise nothing is changed. */
  workerId?: string;
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
 * Parks an item whose outcome stays unknown because the target cannot be checked: `unknown`, held, still
 * to be checked, lease released. It is no longer claimed and no longer keeps its job running;
 * retryFailedItems or a check on the target brings it back. Completes the job if it was the last blocker.
 */
export async function holdItem(db: Database, input: HoldItemInput): Promise<HoldItemResult> {
  return db.transaction(async (tx) => {
    const jobId = await jobIdOfItem(tx, input.itemId);
    await lockJob(tx, jobId);
    const item = await lockItem(tx, input.itemId);
    const leaseLost =
      input.workerId !== undefined && (item.status !== 'in_progress' || item.leaseOwner !== input.workerId);
    if (leaseLost || !(claimableStatuses as readonly ItemStatus[]).includes(item.status)) {
      return { jobId, itemHeld: false, jobCompleted: false };
    }
    await tx
      .update(roamItems)
      .set({
        status: 'unknown',
        held: true,
        needsCheck: true,
        leaseOwner: null,
        leaseExpiresAt: null,
        notBefore: null,
        errorCode: input.errorCode,
        errorMessage: input.errorMessage ?? null,
        errorRequestId: input.errorRequestId ?? null,
        updatedAt: sql`now()`,
      })
      .where(eq(roamItems.id, input.itemId));
    await interruptInFlightAttempts(tx, [input.itemId]);
    return { jobId, itemHeld: true, jobCompleted: await completeJobIfDone(tx, jobId) };
  });
}

export interface MarkInterruptedInput {
  /**
   * Only items whose lease expired before this instant: use it on a PostgreSQL shared by several
   * processes. Omitted: every in-progress item, which is right only for the embedded single-process
   * database at start-up.
   */
  olderThan?: Date;
}

/**
 * Start-up recovery: calls found in flight become `interrupted`, and their items `unknown` with
 * needs_check, so the target is checked before any resend. Leased items without a call in flight go
 * back to pending (or unknown when they already needed a check).
 */
export async function markInterruptedAttempts(
  db: Database,
  input: MarkInterruptedInput = {},
): Promise<{ items: number; attempts: number }> {
  return db.transaction(async (tx) => {
    const released = await tx
      .update(roamItems)
      .set({
        status: sql`CASE WHEN ${roamItems.needsCheck} THEN 'unknown' ELSE 'pending' END`,
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(roamItems.status, 'in_progress'),
          input.olderThan ? lt(roamItems.leaseExpiresAt, clock(input.olderThan)) : undefined,
        ),
      )
      .returning({ id: roamItems.id });
    const attempts = await interruptInFlightAttempts(
      tx,
      released.map((item) => item.id),
    );
    return { items: released.length, attempts };
  });
}

// ---------------------------------------------------------------------------------------------------------
// The admin's side

export interface SetPresenceInput {
  jobId: string;
  presence: readonly { username: string; present: boolean }[];
}

/** Records a "verify on target" listing. A succeeded item found present becomes verified. */
export async function setPresence(db: Database, input: SetPresenceInput): Promise<number> {
  const present = input.presence.filter((entry) => entry.present).map((entry) => entry.username);
  const missing = input.presence.filter((entry) => !entry.present).map((entry) => entry.username);
  return db.transaction(async (tx) => {
    let updated = 0;
    for (const [usernames, presence] of [
      [present, 'present'],
      [missing, 'missing'],
    ] as const) {
      for (let start = 0; start < usernames.length; start += insertBatchSize) {
        const rows = await tx
          .update(roamItems)
          .set({
            targetPresence: presence,
            presenceCheckedAt: sql`now()`,
            verified:
              presence === 'present'
                ? sql`${roamItems.verified} OR ${roamItems.status} = 'succeeded'`
                : false,
            updatedAt: sql`now()`,
          })
          .where(
            and(
              eq(roamItems.jobId, input.jobId),
              inArray(roamItems.username, usernames.slice(start, start + insertBatchSize)),
            ),
          )
          .returning({ id: roamItems.id });
        updated += rows.length;
      }
    }
    return updated;
  });
}

/**
 * Failed items go back to pending and held items are un-parked (still unknown), all to be checked on the
 * target before anything is sent again. Returns how many items were put back.
 */
export async function retryFailedItems(
  db: Database,
  input: { jobId: string; actor: string },
): Promise<number> {
  return db.transaction(async (tx) => {
    await lockJob(tx, input.jobId);
    const retried = await tx
      .update(roamItems)
      .set({
        status: sql`CASE WHEN ${roamItems.status} = 'failed' THEN 'pending' ELSE ${roamItems.status} END`,
        needsCheck: true,
        held: false,
        notBefore: null,
        updatedAt: sql`now()`,
      })
      .where(
        and(eq(roamItems.jobId, input.jobId), or(eq(roamItems.status, 'failed'), eq(roamItems.held, true))),
      )
      .returning({ id: roamItems.id });
    if (retried.length > 0) {
      await tx
        .update(roamJobs)
        .set({ status: 'running', finishedAt: null, retriedBy: input.actor, retriedAt: sql`now()` })
        .where(eq(roamJobs.id, input.jobId));
    }
    return retried.length;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Reads

const countsSelection = {
  succeeded: sql<number>`count(*) filter (where ${roamItems.status} = 'succeeded')`.mapWith(Number),
  failed: sql<number>`count(*) filter (where ${roamItems.status} = 'failed')`.mapWith(Number),
  inProgress: sql<number>`count(*) filter (where ${roamItems.status} in ('pending', 'in_progress'))`.mapWith(
    Number,
  ),
  unknown: sql<number>`count(*) filter (where ${roamItems.status} = 'unknown')`.mapWith(Number),
  total: sql<number>`count(*)`.mapWith(Number),
};

const emptyCounts: JobCounts = { succeeded: 0, failed: 0, inProgress: 0, unknown: 0, total: 0 };

export async function getJob(db: Database, id: string): Promise<JobDetails | null> {
  if (!uuidPattern.test(id)) return null;
  const [job] = await db.select().from(roamJobs).where(eq(roamJobs.id, id));
  if (!job) return null;
  const [counts] = await db.select(countsSelection).from(roamItems).where(eq(roamItems.jobId, id));
  const items = await db
    .select()
    .from(roamItems)
    .where(eq(roamItems.jobId, id))
    .orderBy(asc(roamItems.position));
  return { ...job, counts: counts ?? emptyCounts, items };
}

export interface Page {
  /** From 1. */
  page: number;
  pageSize: number;
}

export async function getJobItems(
  db: Database,
  input: Page & { jobId: string; status?: ItemStatus },
): Promise<{ items: RoamItem[]; total: number }> {
  if (!uuidPattern.test(input.jobId)) return { items: [], total: 0 };
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

export type AttemptWithUsername = RoamAttempt & { username: string };

/** A job's attempts, oldest first, optionally for one item. */
export async function listItemAttempts(
  db: Database,
  jobId: string,
  options: { itemId?: number } = {},
): Promise<AttemptWithUsername[]> {
  if (!uuidPattern.test(jobId)) return [];
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
    .orderBy(asc(roamAttempts.id));
  return rows.map((row) => ({ ...row.attempt, username: row.username }));
}

export interface JobFilter {
  /** Jobs (listJobs) or rows (exportRows) with a username containing this text, any case. */
  username?: string;
  /** Origin or target instance. */
  instanceId?: string;
  status?: JobStatus;
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
}

function jobConditions(filter: JobFilter): SQL | undefined {
  return and(
    filter.status ? eq(roamJobs.status, filter.status) : undefined,
    filter.instanceId
      ? or(eq(roamJobs.originInstanceId, filter.instanceId), eq(roamJobs.targetInstanceId, filter.instanceId))
      : undefined,
    filter.from ? gte(roamJobs.createdAt, filter.from) : undefined,
    filter.to ? lt(roamJobs.createdAt, filter.to) : undefined,
  );
}

function usernameMatches(text: string): SQL {
  return ilike(roamItems.username, `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
}

function offsetOf(page: Page): number {
  return (Math.max(1, Math.floor(page.page)) - 1) * page.pageSize;
}

/** Newest first, with each job's counts. */
export async function listJobs(
  db: Database,
  input: Page & JobFilter,
): Promise<{ jobs: JobSummary[]; total: number }> {
  const username = input.username?.trim();
  const where = and(
    jobConditions(input),
    username
      ? exists(
          db
            .select({ one: sql`1` })
            .from(roamItems)
            .where(and(eq(roamItems.jobId, roamJobs.id), usernameMatches(username))),
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
  const counts =
    jobs.length === 0
      ? []
      : await db
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
  return {
    jobs: jobs.map((job) => ({ ...job, counts: countsByJob.get(job.id) ?? emptyCounts })),
    total: total?.total ?? 0,
  };
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

export interface ExportRow {
  jobId: string;
  jobCreatedAt: Date;
  createdBy: string;
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
  mode: string;
  jobStatus: JobStatus;
  jobFinishedAt: Date | null;
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
  lastAttemptKind: 'roam' | 'check' | null;
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
  if (filter.jobId !== undefined && !uuidPattern.test(filter.jobId)) return;
  const batchSize = options.batchSize ?? 500;
  const username = filter.username?.trim();
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
    username ? usernameMatches(username) : undefined,
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
        jobStatus: roamJobs.status,
        jobFinishedAt: roamJobs.finishedAt,
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

// ---------------------------------------------------------------------------------------------------------
// Helpers; every caller runs inside a transaction.

async function jobIdOfItem(db: Database, itemId: number): Promise<string> {
  const [item] = await db.select({ jobId: roamItems.jobId }).from(roamItems).where(eq(roamItems.id, itemId));
  if (!item) throw new RecordNotFoundError('item', itemId);
  return item.jobId;
}

/** Serialises the transactions that may complete or reopen a job, so the last item is never missed. */
async function lockJob(db: Database, jobId: string): Promise<void> {
  const [job] = await db
    .select({ id: roamJobs.id })
    .from(roamJobs)
    .where(eq(roamJobs.id, jobId))
    .for('no key update');
  if (!job) throw new RecordNotFoundError('job', jobId);
}

async function lockItem(db: Database, itemId: number): Promise<RoamItem> {
  const [item] = await db.select().from(roamItems).where(eq(roamItems.id, itemId)).for('no key update');
  if (!item) throw new RecordNotFoundError('item', itemId);
  return item;
}

async function interruptInFlightAttempts(db: Database, itemIds: number[]): Promise<number> {
  if (itemIds.length === 0) return 0;
  const interrupted = await db
    .update(roamAttempts)
    .set({ outcome: 'interrupted', finishedAt: sql`now()` })
    .where(
      and(inArray(roamAttempts.itemId, itemIds), eq(roamAttempts.kind, 'roam'), isNull(roamAttempts.outcome)),
    )
    .returning({ id: roamAttempts.id });
  return interrupted.length;
}

async function completeJobIfDone(db: Database, jobId: string): Promise<boolean> {
  const open = db
    .select({ one: sql`1` })
    .from(roamItems)
    .where(and(eq(roamItems.jobId, jobId), blocksJobCompletion));
  const completed = await db
    .update(roamJobs)
    .set({ status: 'completed', finishedAt: sql`now()` })
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
