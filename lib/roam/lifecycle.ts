/**
 * The lifecycle of one roam item: the one place that knows an item's states and what each event does to it.
 * Pure: no database, no clock of its own, no I/O. The worker asks it what an answer means (the decisions,
 * in lifecycle-decisions.ts, re-exported here) and carries the decision out; the job store (lib/db/jobs)
 * locks the rows, asks it how the stored item changes (the transitions below), and persists exactly that
 * change. A new state or rule starts here.
 *
 * RoamClientUser is not idempotent, so everything turns on one flag: `needsCheck`, "an earlier call may
 * have been applied; list the target before sending anything again".
 *
 * States (status, with the flags that matter):
 *
 *   pending                waiting to be sent (needsCheck: waiting to be checked first)
 *   in_progress            leased to one worker until lease_expires_at
 *   unknown                a call may have been applied; always needsCheck
 *   unknown + held         parked: the target cannot be checked for now; waits for an operator
 *   succeeded              roamed by this job: an accepted call (its requestId), or a call whose answer was
 *                          lost and a check that then found the account on the target (verified, no requestId)
 *   already_present        found on the target by a check although no call of this item was accepted or may
 *                          have been applied: it was there before, and this job did not roam it
 *   failed                 the API refused the call: certainly not applied
 *   not_sent               no call, and none will be made unless an operator retries: the plan skipped it
 *                          (not on the origin, beyond the target's quota), or its job stopped sending after an
 *                          answer that holds for every remaining username (errorCode says which)
 *   cancelled              no call, and none will be made: an operator cancelled the job before it was sent
 *
 * An undo job (kind `undo`) has the same states for DeleteSmartAccessGatewayClientUser: succeeded is "removed
 * from the target by this undo", already_present is "already gone when checked, not removed by it", and a
 * check's present and absent swap their meaning (see recordCheck).
 *
 * Transitions (event → change; "lease" = the store sets or clears the lease; every row is one transaction):
 *
 *   from                          event                               to
 *   pending|unknown, due;         claim (never an item the claiming   in_progress, a new lease and token;
 *     in_progress, lease expired    process still works on)             needsCheck if the lease had expired
 *                                                                       (it may have sent)
 *   in_progress, own lease        renew (while work on it runs)       lease extended
 *   in_progress, own live lease   start a call (recorded before       in_progress, needsCheck, attempts + 1
 *     and token, no needsCheck      it is sent)
 *   in_progress                   call accepted                       succeeded (requestId), lease cleared
 *   in_progress                   refused, throttled                  pending, not before retry-after
 *   in_progress                   refused otherwise                   failed (error kept)
 *   in_progress                   outcome unknown (timeout, 5xx...,   unknown, needsCheck, check not before
 *                                   UserExist after an unknown one)     checkDelay; held after maxAttempts
 *   any, call answered after      late answer                         item unchanged (outcome kept on the
 *     its lease was lost                                                attempt; the new holder checks)
 *   any                           check: present, and a call of this  succeeded + verified (requestId only of
 *                                   item was accepted or may have been   an accepted call), lease cleared
 *                                   applied
 *   any                           check: present, no such call        already_present (no requestId), lease
 *                                   (none sent, or only refusals)        cleared
 *   any                           check: absent, nothing in flight    needsCheck cleared (unknown → pending),
 *                                                                       held cleared
 *   any                           check: absent, a call in flight     held cleared, needsCheck kept
 *   any, lease lost (another      any check                           item unchanged (the check is kept as an
 *     holder, or a newer claim)                                         attempt; the holder checks itself)
 *   in_progress                   check failed: throttled             unknown, lease cleared (pace slowed)
 *   in_progress                   check failed, worth another try     unknown, not before checkDelay × 2^n
 *   pending|unknown|in_progress   check failed for good (refused, or  unknown + held + needsCheck, lease cleared
 *                                   maxCheckFailures in a row)
 *   in_progress                   process restart (embedded database, unknown if needsCheck else pending,
 *                                   or lease expired on PostgreSQL)     calls in flight become `interrupted`
 *   in_progress                   refused with a job-wide code        failed (this call); the job stops sending
 *                                   (lifecycle-decisions: isJobWide)
 *   pending, no needsCheck;       job stopped sending                 not_sent (the job's reason), lease
 *     in_progress, no needsCheck,                                       cleared; items that owe a check go on
 *     no call in flight                                                 checking and stop when they would send
 *   the same                      operator: cancel the job            cancelled, the same way; the job ends
 *                                                                       cancelled once nothing blocks it
 *   failed, not_sent              operator: retry failed              pending + needsCheck; the job sends again
 *   cancelled, of an undo job     operator: retry failed (continue    pending + needsCheck; the cancel is lifted
 *                                   the undo)
 *   unknown + held                operator: retry failed              unknown (not held), needsCheck
 *   any                           operator: verify on target          presence recorded; succeeded and
 *                                                                       present → verified
 *
 * A job is running while any item is pending, in progress, or unknown and not held; then it is completed (or
 * cancelled, if an operator cancelled it).
 * A retry or a check that un-parks an item of a completed job makes it run again.
 */

import type { PlanItemDecision } from './plan-view';

export const ITEM_STATUSES = [
  'pending',
  'in_progress',
  'succeeded',
  'already_present',
  'failed',
  'not_sent',
  'unknown',
  'cancelled',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** `cancelled`: an operator cancelled it; it ended once the calls in flight were recorded. */
export const JOB_STATUSES = ['running', 'completed', 'cancelled'] as const;

/** What a job's calls do: roam the accounts to the target, or undo a roam job (delete its copies there). */
export const JOB_KINDS = ['roam', 'undo'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses a worker may claim (pending and unknown when due, in progress when the lease expired). */
export const CLAIMABLE_STATUSES = [
  'pending',
  'unknown',
  'in_progress',
] as const satisfies readonly ItemStatus[];

export type TargetPresence = 'present' | 'missing';

/** What the lifecycle needs to know of a stored item. */
export interface ItemState {
  status: ItemStatus;
  needsCheck: boolean;
  held: boolean;
  verified: boolean;
  requestId: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  /** New at every claim (see Holder). */
  leaseToken: string | null;
  notBefore: Date | null;
}

/**
 * Who reports on an item: the worker, and the token of the claim it works under. A token proves more than the
 * worker's ID: the same worker may have lost a lease and been given the item again under a new one.
 * Omitted fields are not checked (an operator, or a test).
 */
export interface Holder {
  workerId?: string | undefined;
  leaseToken?: string | undefined;
}

/** The item is not (or no longer) leased to this holder. */
export function leaseLost(item: ItemState, holder: Holder): boolean {
  if (holder.workerId === undefined && holder.leaseToken === undefined) return false;
  if (item.status !== 'in_progress') return true;
  if (holder.workerId !== undefined && item.leaseOwner !== holder.workerId) return true;
  return holder.leaseToken !== undefined && item.leaseToken !== holder.leaseToken;
}

export interface ErrorRecord {
  errorCode: string | null;
  errorMessage: string | null;
  errorRequestId: string | null;
}

const NO_ERROR: ErrorRecord = { errorCode: null, errorMessage: null, errorRequestId: null };

/**
 * How a transition changes the stored item; fields left out are kept. The store also stamps `updated_at`,
 * and sets `presence_checked_at` whenever `targetPresence` is given.
 */
export interface ItemChange {
  status?: ItemStatus;
  needsCheck?: boolean;
  held?: boolean;
  verified?: boolean;
  requestId?: string | null;
  error?: ErrorRecord;
  notBefore?: Date | null;
  /** Clear the lease (owner and expiry). */
  releaseLease?: true;
  targetPresence?: TargetPresence;
}

/** What the store does to the item's job after the change, in the same transaction. */
export type JobEffect = 'none' | 'complete-if-done' | 'reopen';

export interface Transition {
  change: ItemChange;
  job: JobEffect;
  /** Mark calls still recorded as in flight on this item `interrupted`: their sender no longer holds it. */
  interruptCallsInFlight?: true;
}

// ---------------------------------------------------------------------------------------------------------
// Predicates the store's SQL mirrors (its tests compare the two over every combination of states)

/** May a worker lease this item now? */
export function isClaimable(item: ItemState, now: Date): boolean {
  if (item.held) return false;
  if (item.status === 'pending' || item.status === 'unknown') {
    return item.notBefore === null || item.notBefore.getTime() <= now.getTime();
  }
  return (
    item.status === 'in_progress' &&
    item.leaseExpiresAt !== null &&
    item.leaseExpiresAt.getTime() < now.getTime()
  );
}

/** Does this item keep its job running? */
export function blocksJobCompletion(item: Pick<ItemState, 'status' | 'held'>): boolean {
  return (CLAIMABLE_STATUSES as readonly ItemStatus[]).includes(item.status) && !item.held;
}

/** Which count of a job an item adds to. Parked items count as unknown. */
export function countOf(
  status: ItemStatus,
): 'succeeded' | 'alreadyPresent' | 'failed' | 'notSent' | 'cancelled' | 'inProgress' | 'unknown' {
  if (status === 'pending' || status === 'in_progress') return 'inProgress';
  if (status === 'already_present') return 'alreadyPresent';
  if (status === 'not_sent') return 'notSent';
  return status;
}

/** Whether the error stored on an item may have been applied (it is then shown as "check the target"). */
export function storedErrorOutcome(
  item: Pick<ItemState, 'status' | 'needsCheck'>,
): 'not_applied' | 'unknown' {
  return item.status === 'unknown' || item.needsCheck ? 'unknown' : 'not_applied';
}

// ---------------------------------------------------------------------------------------------------------
// Transitions of the stored item, applied by the store under its locks

/** Leasing an item. The caller has checked `isClaimable`; the store sets the lease itself. */
export function claim(item: ItemState): Transition {
  return {
    // An expired in-progress lease may have sent its call.
    change: {
      status: 'in_progress',
      needsCheck: item.needsCheck || item.status === 'in_progress',
      notBefore: null,
    },
    job: 'none',
    interruptCallsInFlight: true,
  };
}

export type NotSendableReason = 'not-leased' | 'lease-expired' | 'needs-check' | 'job-stopped';

/**
 * Whether `holder` may record a new call and send it now (null) or why not. Recording it sets `needsCheck`
 * (see startCall): from then on the call may have been applied.
 */
export function whyNotSendable(
  item: ItemState,
  holder: Holder,
  now: Date,
  jobStopped = false,
): NotSendableReason | null {
  if (item.status !== 'in_progress' || leaseLost(item, holder)) return 'not-leased';
  if (item.leaseExpiresAt === null || item.leaseExpiresAt.getTime() <= now.getTime()) return 'lease-expired';
  if (item.needsCheck) return 'needs-check';
  if (jobStopped) return 'job-stopped';
  return null;
}

export function startCall(): Transition {
  return { change: { needsCheck: true }, job: 'none' };
}

/** How a recorded call ended, as the store is told it (see decideAfterCall). */
export interface CallOutcome {
  /** failed: the API answered an error, so the call was certainly not applied. */
  outcome: 'succeeded' | 'failed' | 'unknown';
  /** With `failed`: a transient refusal (throttling): the item goes back to pending instead of failing. */
  retryable?: boolean;
  /**
   * With `failed` + `retryable`: not to be claimed again before this instant. With `unknown`: a pause before
   * the target is checked. Ignored otherwise.
   */
  notBefore?: Date;
  /** With `unknown`: park the item (held) instead of checking it again, e.g. after too many unknown outcomes. */
  hold?: boolean;
  requestId?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  httpStatus?: number | null;
}

/**
 * A recorded call's outcome. Null when the item is left alone: the call was no longer in flight (its lease
 * was lost and it was marked interrupted) or the item is no longer in progress; its new holder checks the
 * target, and the outcome is kept on the attempt only.
 */
export function finishCall(item: ItemState, callWasInFlight: boolean, call: CallOutcome): Transition | null {
  if (!callWasInFlight || item.status !== 'in_progress') return null;
  const error: ErrorRecord = {
    errorCode: call.errorCode ?? null,
    errorMessage: call.errorMessage ?? null,
    errorRequestId: call.requestId ?? null,
  };
  if (call.outcome === 'succeeded') {
    return {
      change: {
        status: 'succeeded',
        needsCheck: false,
        requestId: call.requestId ?? null,
        error: NO_ERROR,
        notBefore: null,
        releaseLease: true,
      },
      job: 'complete-if-done',
    };
  }
  if (call.outcome === 'failed') {
    return {
      change: {
        status: call.retryable ? 'pending' : 'failed',
        needsCheck: false,
        error,
        notBefore: call.retryable ? (call.notBefore ?? null) : null,
        releaseLease: true,
      },
      job: call.retryable ? 'none' : 'complete-if-done',
    };
  }
  return {
    change: {
      status: 'unknown',
      needsCheck: true,
      held: call.hold === true,
      error,
      notBefore: call.hold ? null : (call.notBefore ?? null),
      releaseLease: true,
    },
    job: call.hold ? 'complete-if-done' : 'none',
  };
}

export interface CheckFacts {
  /** What listing the target found for the username; `error` when the listing failed. */
  outcome: 'present' | 'absent' | 'error';
  /** A roam call of this item is still recorded as in flight: it may land after the listing. */
  callInFlight: boolean;
  /** The reporting worker no longer holds the item (see leaseLost). */
  leaseLost: boolean;
  /** RequestId of this item's accepted roam call, if one was accepted. */
  acceptedCallRequestId: string | null;
  /** A roam call of this item may have been applied: its outcome is unknown, interrupted or still in flight. */
  uncertainCall: boolean;
}

/**
 * A check of the target, recorded as an attempt of kind `check`. Null: the item is left as it is. `kind` is
 * the job's: for a roam job the call's effect is the account present on the target, for an undo job the
 * account gone from it, so the two outcomes swap their meaning; `targetPresence` always records the truth.
 */
export function recordCheck(item: ItemState, facts: CheckFacts, kind: JobKind = 'roam'): Transition | null {
  // A worker that lost the item reports a listing that may be older than its new holder's call: the check is
  // kept as an attempt, and the item is left to the holder.
  if (facts.leaseLost || facts.outcome === 'error') return null;
  const truth: TargetPresence = facts.outcome === 'present' ? 'present' : 'missing';
  const effectThere = (facts.outcome === 'present') === (kind === 'roam');
  if (effectThere) {
    // Roamed by this job only if one of its calls was accepted or may have been applied; a RequestId is shown
    // only when it is that of the accepted call. Otherwise the account was on the target before.
    const roamedByThisJob = facts.acceptedCallRequestId !== null || facts.uncertainCall;
    return {
      change: {
        status: roamedByThisJob ? 'succeeded' : 'already_present',
        verified: roamedByThisJob,
        needsCheck: false,
        requestId: facts.acceptedCallRequestId,
        error: NO_ERROR,
        targetPresence: truth,
        releaseLease: true,
        held: false,
        notBefore: null,
      },
      job: 'complete-if-done',
    };
  }
  {
    // The effect missing proves "not applied" only for calls already answered: one in flight may still land.
    const cleared = !facts.callInFlight;
    // A listing answered, so a parked item is parked no longer: it is claimable again (and still to be
    // checked unless this check cleared it). It may have been its job's last blocker.
    return {
      change: {
        needsCheck: cleared ? false : item.needsCheck,
        status: cleared && item.status === 'unknown' ? 'pending' : item.status,
        held: false,
        notBefore: null,
        targetPresence: truth,
      },
      job: item.held ? 'reopen' : 'none',
    };
  }
}

/** Gives a leased item back without a final state (throttling, a check to try later). Null if not leased. */
export function release(
  item: ItemState,
  leaseLost: boolean,
  to: { status: 'pending' | 'unknown'; notBefore?: Date },
): Transition | null {
  if (item.status !== 'in_progress' || leaseLost) return null;
  return {
    change: { status: to.status, notBefore: to.notBefore ?? null, releaseLease: true },
    job: 'none',
    interruptCallsInFlight: true,
  };
}

/**
 * Parks an item whose outcome stays unknown because the target cannot be checked. Null when the reporting
 * worker lost the item, or it is final already.
 */
export function park(item: ItemState, leaseLost: boolean, error: ErrorRecord): Transition | null {
  if (leaseLost || !(CLAIMABLE_STATUSES as readonly ItemStatus[]).includes(item.status)) return null;
  return {
    change: {
      status: 'unknown',
      held: true,
      needsCheck: true,
      notBefore: null,
      error,
      releaseLease: true,
    },
    job: 'complete-if-done',
    interruptCallsInFlight: true,
  };
}

/**
 * Start-up recovery of an item found in progress whose worker is gone: calls in flight become interrupted,
 * and an item that may have been sent is checked before any resend.
 */
export function recover(item: ItemState): Transition | null {
  if (item.status !== 'in_progress') return null;
  return {
    change: { status: item.needsCheck ? 'unknown' : 'pending', releaseLease: true },
    job: 'none',
    interruptCallsInFlight: true,
  };
}

/**
 * Its job has stopped sending (an answer that holds for every remaining username): an item that certainly had
 * no call that may have been applied becomes not_sent with the job's reason. An item that owes a check goes on
 * (null): a check is a read, and it stops when it would send. `callInFlight`: a call of it is still unanswered.
 */
export function stopSending(
  item: ItemState,
  callInFlight: boolean,
  why: { stopped: ErrorRecord } | { cancelled: true },
): Transition | null {
  const untouched = item.status === 'pending' || (item.status === 'in_progress' && !callInFlight);
  if (!untouched || item.needsCheck || item.held) return null;
  return {
    change:
      'cancelled' in why
        ? { status: 'cancelled', error: NO_ERROR, notBefore: null, releaseLease: true }
        : { status: 'not_sent', error: why.stopped, notBefore: null, releaseLease: true },
    job: 'complete-if-done',
  };
}

/** A username's first state, from the plan's decision about it. */
export function plannedItem(decision: PlanItemDecision): {
  status: ItemStatus;
  targetPresence?: TargetPresence;
  errorCode?: string;
  errorMessage?: string;
} {
  if (decision === 'already-on-target') return { status: 'already_present', targetPresence: 'present' };
  if (decision === 'not-on-origin') return { status: 'not_sent', ...NOT_ON_ORIGIN };
  if (decision === 'over-quota') return { status: 'not_sent', ...OVER_QUOTA };
  return { status: 'pending' };
}

export const NOT_ON_ORIGIN = {
  errorCode: 'SagRoam.NotOnOrigin',
  errorMessage: 'The plan found no account with this username on the origin instance.',
} as const;

export const OVER_QUOTA = {
  errorCode: 'SagRoam.OverQuota',
  errorMessage: "The target instance's free accounts were fewer than the usernames to send.",
} as const;

/**
 * The operator's "retry failed": failed, not sent and parked items, each checked on the target first; for an
 * undo job (`continueUndo`) also its cancelled items, so that a cancelled or partly done undo can go on.
 */
export function retry(item: ItemState, continueUndo = false): Transition | null {
  const resumable =
    item.status === 'failed' || item.status === 'not_sent' || (continueUndo && item.status === 'cancelled');
  if (!resumable && !item.held) return null;
  return {
    change: {
      status: item.status === 'unknown' ? item.status : 'pending',
      needsCheck: true,
      held: false,
      notBefore: null,
    },
    job: 'reopen',
  };
}

/** The operator's "verify on target": presence is recorded; a succeeded item found present is verified. */
export function recordPresence(item: ItemState, present: boolean): Transition {
  return {
    change: {
      targetPresence: present ? 'present' : 'missing',
      verified: present ? item.verified || item.status === 'succeeded' : false,
    },
    job: 'none',
  };
}

// What an answer from the API means, for the worker to carry out: lifecycle-decisions.ts.
export * from './lifecycle-decisions';
