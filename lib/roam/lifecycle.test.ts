import { describe, expect, it } from 'vitest';
import {
  type ApiErrorFacts,
  blocksJobCompletion,
  claim,
  countOf,
  DEFAULT_POLICY,
  decideAfterCall,
  decideAfterCheck,
  finishCall,
  INTERNAL_CALL_ERROR,
  INTERNAL_CHECK_ERROR,
  ITEM_STATUSES,
  type ItemState,
  isClaimable,
  isJobWide,
  leaseLost,
  MAX_PAUSE_MS,
  park,
  plannedItem,
  recordCheck,
  recordPresence,
  recover,
  release,
  retry,
  startCall,
  stopSending,
  storedErrorOutcome,
  whyNotSendable,
} from './lifecycle';

// Every transition and decision of the item lifecycle, without a database. The job store's suites check
// that the stored rows follow the same rules (lib/db/jobs/jobs.suite.ts).

const NOW = new Date('2026-12-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

function item(overrides: Partial<ItemState> = {}): ItemState {
  return {
    status: 'pending',
    needsCheck: false,
    held: false,
    verified: false,
    requestId: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    leaseToken: null,
    notBefore: null,
    ...overrides,
  };
}

const leased = (overrides: Partial<ItemState> = {}) =>
  item({
    status: 'in_progress',
    leaseOwner: 'worker-a',
    leaseExpiresAt: at(60_000),
    leaseToken: 'token-1',
    ...overrides,
  });

function apiError(overrides: Partial<ApiErrorFacts> = {}): ApiErrorFacts {
  return {
    code: 'ClientUser.UserExist',
    message: 'The user already exists.',
    outcome: 'not_applied',
    retryable: false,
    requestId: 'REQ-ERROR',
    httpStatus: 400,
    ...overrides,
  };
}

describe('which items a worker may claim, and which keep a job running', () => {
  it('claims pending and unknown items once due, and in-progress ones only after their lease expired', () => {
    expect(isClaimable(item(), NOW)).toBe(true);
    expect(isClaimable(item({ status: 'unknown', needsCheck: true }), NOW)).toBe(true);
    expect(isClaimable(item({ notBefore: at(1) }), NOW)).toBe(false);
    expect(isClaimable(item({ notBefore: at(0) }), NOW)).toBe(true);
    expect(isClaimable(item({ status: 'unknown', needsCheck: true, notBefore: at(-1) }), NOW)).toBe(true);
    expect(isClaimable(leased(), NOW)).toBe(false);
    expect(isClaimable(leased({ leaseExpiresAt: at(0) }), NOW)).toBe(false);
    expect(isClaimable(leased({ leaseExpiresAt: at(-1) }), NOW)).toBe(true);
  });

  it('never claims a parked item nor a final one', () => {
    expect(isClaimable(item({ status: 'unknown', held: true, needsCheck: true }), NOW)).toBe(false);
    expect(isClaimable(item({ status: 'succeeded' }), NOW)).toBe(false);
    expect(isClaimable(item({ status: 'failed' }), NOW)).toBe(false);
  });

  it('keeps the job running while an item is pending, in progress or unknown and not parked', () => {
    const blocking = ITEM_STATUSES.filter((status) => blocksJobCompletion({ status, held: false }));
    expect(blocking).toEqual(['pending', 'in_progress', 'unknown']);
    expect(blocksJobCompletion({ status: 'unknown', held: true })).toBe(false);
  });

  it('counts pending and in-progress items as in progress, parked ones as unknown', () => {
    expect(ITEM_STATUSES.map(countOf)).toEqual([
      'inProgress',
      'inProgress',
      'succeeded',
      'alreadyPresent',
      'failed',
      'notSent',
      'unknown',
      'cancelled',
    ]);
  });

  it('shows a stored error as possibly applied while the item is unknown or still to be checked', () => {
    expect(storedErrorOutcome({ status: 'failed', needsCheck: false })).toBe('not_applied');
    expect(storedErrorOutcome({ status: 'unknown', needsCheck: true })).toBe('unknown');
    expect(storedErrorOutcome({ status: 'pending', needsCheck: true })).toBe('unknown');
  });
});

describe('claiming and sending', () => {
  it('leases a due item without asking for a check', () => {
    expect(claim(item())).toEqual({
      change: { status: 'in_progress', needsCheck: false, notBefore: null },
      job: 'none',
      interruptCallsInFlight: true,
    });
  });

  it('asks for a check before any resend when it takes over an expired lease', () => {
    expect(claim(leased({ leaseExpiresAt: at(-1) })).change.needsCheck).toBe(true);
    expect(claim(item({ status: 'unknown', needsCheck: true })).change.needsCheck).toBe(true);
  });

  it('lets only the live lease holder send, and never while a check is owed', () => {
    expect(whyNotSendable(leased(), { workerId: 'worker-a', leaseToken: 'token-1' }, NOW)).toBeNull();
    expect(whyNotSendable(leased(), {}, NOW)).toBeNull();
    expect(whyNotSendable(item(), { workerId: 'worker-a' }, NOW)).toBe('not-leased');
    expect(whyNotSendable(leased(), { workerId: 'worker-b' }, NOW)).toBe('not-leased');
    expect(whyNotSendable(leased({ leaseExpiresAt: at(0) }), { workerId: 'worker-a' }, NOW)).toBe(
      'lease-expired',
    );
    expect(whyNotSendable(leased({ needsCheck: true }), { workerId: 'worker-a' }, NOW)).toBe('needs-check');
  });

  it('tells a claim from a later claim of the same worker by its token', () => {
    // The same worker lost the lease and was given the item again: the old task's token no longer holds it.
    const reclaimed = leased({ leaseToken: 'token-2' });
    expect(leaseLost(reclaimed, { workerId: 'worker-a' })).toBe(false);
    expect(leaseLost(reclaimed, { workerId: 'worker-a', leaseToken: 'token-1' })).toBe(true);
    expect(whyNotSendable(reclaimed, { workerId: 'worker-a', leaseToken: 'token-1' }, NOW)).toBe(
      'not-leased',
    );
    expect(leaseLost(item({ status: 'succeeded' }), { leaseToken: 'token-1' })).toBe(true);
    expect(leaseLost(item({ status: 'succeeded' }), {})).toBe(false);
  });

  it('owes a check from the moment a call is recorded, before it is sent', () => {
    expect(startCall()).toEqual({ change: { needsCheck: true }, job: 'none' });
  });
});

describe('finishing a call', () => {
  const sent = leased({ needsCheck: true });

  it('succeeds with the RequestId of the accepted call, clearing error, pause and lease', () => {
    expect(finishCall(sent, true, { outcome: 'succeeded', requestId: 'REQ-1' })).toEqual({
      change: {
        status: 'succeeded',
        needsCheck: false,
        requestId: 'REQ-1',
        error: { errorCode: null, errorMessage: null, errorRequestId: null },
        notBefore: null,
        releaseLease: true,
      },
      job: 'complete-if-done',
    });
  });

  it('fails for good on a refusal, keeping the error and ignoring a pause', () => {
    const transition = finishCall(sent, true, {
      outcome: 'failed',
      errorCode: 'SAG.CidrEmpty',
      errorMessage: 'no cidr',
      requestId: 'REQ-2',
      notBefore: at(5_000),
    });
    expect(transition).toEqual({
      change: {
        status: 'failed',
        needsCheck: false,
        error: { errorCode: 'SAG.CidrEmpty', errorMessage: 'no cidr', errorRequestId: 'REQ-2' },
        notBefore: null,
        releaseLease: true,
      },
      job: 'complete-if-done',
    });
  });

  it('goes back to pending, not before the given instant, on a retryable refusal', () => {
    const transition = finishCall(sent, true, {
      outcome: 'failed',
      retryable: true,
      notBefore: at(2_000),
      errorCode: 'Throttling.User',
    });
    expect(transition?.change).toMatchObject({ status: 'pending', needsCheck: false, notBefore: at(2_000) });
    expect(transition?.job).toBe('none');
  });

  it('becomes unknown and owes a check on an unknown outcome, or is parked', () => {
    const unknown = finishCall(sent, true, { outcome: 'unknown', notBefore: at(1_000), errorCode: 'X' });
    expect(unknown?.change).toMatchObject({
      status: 'unknown',
      needsCheck: true,
      held: false,
      notBefore: at(1_000),
    });
    expect(unknown?.job).toBe('none');
    const parked = finishCall(sent, true, { outcome: 'unknown', hold: true, notBefore: at(1_000) });
    expect(parked?.change).toMatchObject({
      status: 'unknown',
      needsCheck: true,
      held: true,
      notBefore: null,
    });
    expect(parked?.job).toBe('complete-if-done');
  });

  it('leaves the item to its new holder when the call was no longer in flight', () => {
    expect(finishCall(sent, false, { outcome: 'succeeded', requestId: 'REQ-LATE' })).toBeNull();
    expect(finishCall(item({ status: 'unknown', needsCheck: true }), true, { outcome: 'failed' })).toBeNull();
  });
});

describe('checks of the target', () => {
  const facts = { callInFlight: false, leaseLost: false, acceptedCallRequestId: null, uncertainCall: false };

  it('settles an item found present after an accepted call as succeeded and verified, with that RequestId', () => {
    const transition = recordCheck(leased({ needsCheck: true, held: false }), {
      ...facts,
      outcome: 'present',
      acceptedCallRequestId: 'REQ-CALL',
    });
    expect(transition).toEqual({
      change: {
        status: 'succeeded',
        verified: true,
        needsCheck: false,
        requestId: 'REQ-CALL',
        error: { errorCode: null, errorMessage: null, errorRequestId: null },
        targetPresence: 'present',
        releaseLease: true,
        held: false,
        notBefore: null,
      },
      job: 'complete-if-done',
    });
  });

  it('settles an item found present after a call whose answer was lost as succeeded, with no RequestId', () => {
    const transition = recordCheck(item({ status: 'unknown', needsCheck: true, requestId: 'REQ-OLD' }), {
      ...facts,
      outcome: 'present',
      uncertainCall: true,
    });
    expect(transition?.change).toMatchObject({ status: 'succeeded', verified: true, requestId: null });
  });

  it('records an account found present that no call of this item roamed as already present, with no RequestId', () => {
    // E.g. the call was refused with ClientUser.UserExist, then "Retry failed" checked the target.
    const transition = recordCheck(item({ status: 'pending', needsCheck: true }), {
      ...facts,
      outcome: 'present',
    });
    expect(transition).toEqual({
      change: {
        status: 'already_present',
        verified: false,
        needsCheck: false,
        requestId: null,
        error: { errorCode: null, errorMessage: null, errorRequestId: null },
        targetPresence: 'present',
        releaseLease: true,
        held: false,
        notBefore: null,
      },
      job: 'complete-if-done',
    });
  });

  it('clears the owed check when the user is absent, nothing is in flight and the lease is still held', () => {
    expect(recordCheck(leased({ needsCheck: true }), { ...facts, outcome: 'absent' })?.change).toEqual({
      needsCheck: false,
      status: 'in_progress',
      held: false,
      notBefore: null,
      targetPresence: 'missing',
    });
    expect(
      recordCheck(item({ status: 'unknown', needsCheck: true }), { ...facts, outcome: 'absent' })?.change,
    ).toMatchObject({ status: 'pending', needsCheck: false });
  });

  it('keeps the owed check while a call is still in flight, and leaves a lost item to its holder', () => {
    const inFlight = recordCheck(leased({ needsCheck: true }), {
      ...facts,
      outcome: 'absent',
      callInFlight: true,
    });
    expect(inFlight?.change).toMatchObject({ needsCheck: true, status: 'in_progress' });
    // A stale listing of a worker that lost the item changes nothing on it, present or absent.
    for (const outcome of ['absent', 'present'] as const) {
      expect(recordCheck(leased({ needsCheck: true }), { ...facts, outcome, leaseLost: true })).toBeNull();
    }
  });

  it('un-parks a held item found absent and reopens its job', () => {
    const transition = recordCheck(item({ status: 'unknown', needsCheck: true, held: true }), {
      ...facts,
      outcome: 'absent',
    });
    expect(transition?.change).toMatchObject({ held: false, status: 'pending', needsCheck: false });
    expect(transition?.job).toBe('reopen');
  });

  it('changes nothing on the item when the listing failed', () => {
    expect(recordCheck(leased({ needsCheck: true }), { ...facts, outcome: 'error' })).toBeNull();
  });
});

describe('checks of the target for an undo job (the effect is the account gone)', () => {
  const facts = { callInFlight: false, leaseLost: false, acceptedCallRequestId: null, uncertainCall: false };

  it('settles an item found absent after an accepted or lost delete as removed, recording the truth', () => {
    const accepted = recordCheck(
      leased({ needsCheck: true }),
      { ...facts, outcome: 'absent', acceptedCallRequestId: 'DEL-1' },
      'undo',
    );
    expect(accepted?.change).toMatchObject({
      status: 'succeeded',
      verified: true,
      requestId: 'DEL-1',
      targetPresence: 'missing',
    });
    const lost = recordCheck(
      item({ status: 'unknown', needsCheck: true }),
      { ...facts, outcome: 'absent', uncertainCall: true },
      'undo',
    );
    expect(lost?.change).toMatchObject({ status: 'succeeded', verified: true, requestId: null });
  });

  it('records an account gone before any delete of this item as already gone, not removed by it', () => {
    expect(
      recordCheck(item({ status: 'pending', needsCheck: true }), { ...facts, outcome: 'absent' }, 'undo')
        ?.change,
    ).toMatchObject({
      status: 'already_present',
      verified: false,
      requestId: null,
    });
  });

  it('frees an item found still present for a resend, unless a delete is in flight', () => {
    expect(
      recordCheck(item({ status: 'unknown', needsCheck: true }), { ...facts, outcome: 'present' }, 'undo')
        ?.change,
    ).toEqual({
      needsCheck: false,
      status: 'pending',
      held: false,
      notBefore: null,
      targetPresence: 'present',
    });
    expect(
      recordCheck(
        item({ status: 'unknown', needsCheck: true }),
        { ...facts, outcome: 'present', callInFlight: true },
        'undo',
      )?.change,
    ).toMatchObject({ needsCheck: true, status: 'unknown' });
  });
});

describe('giving items back, parking and recovery', () => {
  it('releases an item only while it is leased to the caller', () => {
    expect(release(leased(), false, { status: 'unknown', notBefore: at(4_000) })).toEqual({
      change: { status: 'unknown', notBefore: at(4_000), releaseLease: true },
      job: 'none',
      interruptCallsInFlight: true,
    });
    expect(release(leased(), false, { status: 'pending' })?.change.notBefore).toBeNull();
    expect(release(leased(), true, { status: 'pending' })).toBeNull();
    expect(release(item(), false, { status: 'pending' })).toBeNull();
  });

  it('parks an open item with its reason, and completes the job if it was the last blocker', () => {
    const error = { errorCode: 'Forbidden.RAM', errorMessage: 'denied', errorRequestId: 'REQ-3' };
    for (const status of ['pending', 'unknown', 'in_progress'] as const) {
      expect(park(item({ status }), false, error)).toEqual({
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
      });
    }
    expect(park(leased(), true, error)).toBeNull();
    expect(park(item({ status: 'succeeded' }), false, error)).toBeNull();
    expect(park(item({ status: 'failed' }), false, error)).toBeNull();
  });

  it('after a restart, checks first what may have been sent and resends nothing blindly', () => {
    expect(recover(leased({ needsCheck: true }))?.change).toEqual({ status: 'unknown', releaseLease: true });
    expect(recover(leased())?.change).toEqual({ status: 'pending', releaseLease: true });
    expect(recover(leased())?.interruptCallsInFlight).toBe(true);
    expect(recover(item())).toBeNull();
  });
});

describe("an operator's requests", () => {
  it('retries failed items and un-parks held ones, each to be checked first, reopening the job', () => {
    expect(retry(item({ status: 'failed', notBefore: at(1) }))).toEqual({
      change: { status: 'pending', needsCheck: true, held: false, notBefore: null },
      job: 'reopen',
    });
    expect(retry(item({ status: 'unknown', needsCheck: true, held: true }))?.change).toMatchObject({
      status: 'unknown',
      held: false,
      needsCheck: true,
    });
    expect(retry(item({ status: 'succeeded' }))).toBeNull();
    expect(retry(item({ status: 'unknown', needsCheck: true }))).toBeNull();
  });

  it('records presence on the target and verifies only succeeded items found there', () => {
    expect(recordPresence(item({ status: 'succeeded' }), true).change).toEqual({
      targetPresence: 'present',
      verified: true,
    });
    expect(recordPresence(item({ status: 'failed' }), true).change.verified).toBe(false);
    expect(recordPresence(item({ status: 'succeeded', verified: true }), false).change).toEqual({
      targetPresence: 'missing',
      verified: false,
    });
  });
});

describe('continuing an undo', () => {
  it('puts back the cancelled items of an undo job, to be checked first, and leaves those of a roam job', () => {
    expect(retry(item({ status: 'cancelled' }), true)).toEqual({
      change: { status: 'pending', needsCheck: true, held: false, notBefore: null },
      job: 'reopen',
    });
    expect(retry(item({ status: 'cancelled' }))).toBeNull();
    expect(retry(item({ status: 'succeeded' }), true)).toBeNull();
  });
});

describe('what a call result means', () => {
  const first = { attemptCount: 0, hadUncertainAttempt: false };

  it('records an accepted call as succeeded and paces on', () => {
    expect(
      decideAfterCall(first, { kind: 'accepted', requestId: 'REQ-1' }, DEFAULT_POLICY, NOW.getTime()),
    ).toEqual({ record: { outcome: 'succeeded', requestId: 'REQ-1' }, pace: { accepted: true } });
  });

  it('checks the target after ClientUser.NotExist on a delete (gone already), and fails it on a roam', () => {
    const notExist = { kind: 'refused', error: apiError({ code: 'ClientUser.NotExist' }) } as const;
    expect(decideAfterCall(first, notExist, DEFAULT_POLICY, NOW.getTime(), 'delete').record.outcome).toBe(
      'unknown',
    );
    expect(decideAfterCall(first, notExist, DEFAULT_POLICY, NOW.getTime(), 'roam').record.outcome).toBe(
      'failed',
    );
    const inUse = { kind: 'refused', error: apiError({ code: 'ClientUser.UserInUsing' }) } as const;
    const kept = decideAfterCall(first, inUse, DEFAULT_POLICY, NOW.getTime(), 'delete');
    expect(kept.record.outcome).toBe('failed');
    expect(kept.stopJob).toBeUndefined();
  });

  it('retries throttling later without failing, slowing the pace by the server hint', () => {
    const decision = decideAfterCall(
      first,
      { kind: 'refused', error: apiError({ code: 'Throttling.User', retryable: true, retryAfterMs: 1_500 }) },
      DEFAULT_POLICY,
      NOW.getTime(),
    );
    expect(decision.record).toMatchObject({ outcome: 'failed', retryable: true, notBefore: at(1_500) });
    expect(decision.pace).toEqual({ throttled: true, retryAfterMs: 1_500 });
  });

  it('bounds a pause the server asks for, so that a recorded date never depends on the answer alone', () => {
    for (const [retryAfterMs, pause] of [
      [Number.POSITIVE_INFINITY, 0],
      [Number.NaN, 0],
      [-5_000, 0],
      [3_600_000, MAX_PAUSE_MS],
      [1e308 * 10, 0],
      [2_500, 2_500],
    ] as const) {
      const decision = decideAfterCall(
        first,
        { kind: 'refused', error: apiError({ code: 'Throttling.User', retryable: true, retryAfterMs }) },
        DEFAULT_POLICY,
        NOW.getTime(),
      );
      expect(decision.record.notBefore, String(retryAfterMs)).toEqual(at(pause));
      expect(decision.pace).toEqual({ throttled: true, retryAfterMs: pause });
    }
    const check = decideAfterCheck(
      { kind: 'failed', error: apiError({ code: 'Throttling', retryable: true, retryAfterMs: 3_600_000 }) },
      0,
      DEFAULT_POLICY,
      0,
    );
    expect(check.kind === 'failed' && check.pace).toEqual({ throttled: true, retryAfterMs: MAX_PAUSE_MS });
  });

  it('fails a refusal for good, with its code, message and RequestId', () => {
    const decision = decideAfterCall(
      first,
      { kind: 'refused', error: apiError() },
      DEFAULT_POLICY,
      NOW.getTime(),
    );
    expect(decision).toEqual({
      record: {
        outcome: 'failed',
        requestId: 'REQ-ERROR',
        errorCode: 'ClientUser.UserExist',
        errorMessage: 'The user already exists.',
        httpStatus: 400,
      },
      pace: null,
    });
  });

  it('checks the target after an unknown outcome, and after UserExist that follows one', () => {
    const unknown = apiError({ code: 'SagClient.Timeout', outcome: 'unknown' });
    const decision = decideAfterCall(
      first,
      { kind: 'refused', error: unknown },
      DEFAULT_POLICY,
      NOW.getTime(),
    );
    expect(decision.record).toMatchObject({ outcome: 'unknown', hold: false, notBefore: at(1_000) });
    const exists = decideAfterCall(
      { attemptCount: 1, hadUncertainAttempt: true },
      { kind: 'refused', error: apiError() },
      DEFAULT_POLICY,
      NOW.getTime(),
    );
    expect(exists.record).toMatchObject({ outcome: 'unknown', errorCode: 'ClientUser.UserExist' });
  });

  it('parks an item whose outcome stays unknown after the last allowed attempt', () => {
    const unknown = apiError({ code: 'SagClient.Timeout', outcome: 'unknown' });
    const policy = { ...DEFAULT_POLICY, maxAttemptsPerItem: 3 };
    const before = decideAfterCall(
      { attemptCount: 1, hadUncertainAttempt: true },
      { kind: 'refused', error: unknown },
      policy,
      0,
    );
    expect(before.record.hold).toBe(false);
    const last = decideAfterCall(
      { attemptCount: 2, hadUncertainAttempt: true },
      { kind: 'refused', error: unknown },
      policy,
      0,
    );
    expect(last.record.hold).toBe(true);
    expect(last.parkedBecause).toMatch(/after 3 attempts \(SagClient\.Timeout\)/);
  });

  it('treats a failure of our own after recording the call as unknown: it may have left', () => {
    expect(decideAfterCall(first, { kind: 'broken' }, DEFAULT_POLICY, NOW.getTime())).toEqual({
      record: { outcome: 'unknown', ...INTERNAL_CALL_ERROR, notBefore: at(1_000) },
      pace: null,
    });
  });
});

describe('what a check result means', () => {
  const policy = { ...DEFAULT_POLICY, checkDelayMs: 100, maxCheckFailures: 3 };

  it('records a listing, present or absent, and resets the failures', () => {
    expect(decideAfterCheck({ kind: 'listed', present: true, requestId: 'R' }, 2, policy, 0)).toEqual({
      kind: 'listed',
      outcome: 'present',
      requestId: 'R',
      failures: 0,
    });
    expect(decideAfterCheck({ kind: 'listed', present: false, requestId: 'R' }, 0, policy, 0)).toMatchObject({
      outcome: 'absent',
    });
  });

  it('gives a throttled check back at once without counting it, slowing the pace', () => {
    const decision = decideAfterCheck(
      { kind: 'failed', error: apiError({ code: 'Throttling', retryable: true, retryAfterMs: 700 }) },
      1,
      policy,
      0,
    );
    expect(decision).toMatchObject({
      kind: 'failed',
      next: { release: {} },
      pace: { throttled: true, retryAfterMs: 700 },
      failures: 1,
    });
  });

  it('tries a lost or unreadable listing again with a growing pause, then parks', () => {
    const lost = {
      kind: 'failed' as const,
      error: apiError({ code: 'SagClient.Timeout', outcome: 'unknown' }),
    };
    expect(decideAfterCheck(lost, 0, policy, 0)).toMatchObject({
      next: { release: { notBefore: new Date(200) } },
      failures: 1,
    });
    expect(decideAfterCheck(lost, 1, policy, 0)).toMatchObject({
      next: { release: { notBefore: new Date(400) } },
      failures: 2,
    });
    expect(decideAfterCheck(lost, 2, policy, 0)).toMatchObject({
      next: { park: { errorCode: 'SagClient.Timeout', errorRequestId: 'REQ-ERROR' } },
      failures: 0,
    });
  });

  it('parks at once on a refusal (no permission) and on a failure of our own', () => {
    const refused = decideAfterCheck(
      { kind: 'failed', error: apiError({ code: 'Forbidden.RAM' }) },
      0,
      policy,
      0,
    );
    expect(refused).toMatchObject({
      record: { errorCode: 'Forbidden.RAM', requestId: 'REQ-ERROR' },
      next: {
        park: { errorCode: 'Forbidden.RAM', reason: 'the target could not be checked (Forbidden.RAM)' },
      },
    });
    const ours = decideAfterCheck({ kind: 'failed', error: undefined }, 0, policy, 0);
    expect(ours).toMatchObject({
      record: { ...INTERNAL_CHECK_ERROR, requestId: null, httpStatus: null },
      next: { park: INTERNAL_CHECK_ERROR },
    });
  });
});

describe('a job that stops sending, and a job planned before sending', () => {
  const reason = { errorCode: 'ClientUser.UserOverLimit', errorMessage: 'full', errorRequestId: 'REQ-FULL' };

  it('stops the job at an answer that holds for every remaining username, and only then', () => {
    for (const code of [
      'SAG.CidrOverlap',
      'SAG.CidrEmpty',
      'ClientUser.NotSupportAction',
      'SAG.InstanceNoFound',
      'ClientUser.UserOverLimit',
      'Forbidden.RAM',
      'NoPermission',
      'InvalidAccessKeyId.NotFound',
      'SignatureDoesNotMatch',
    ]) {
      expect(isJobWide(code), code).toBe(true);
      const decision = decideAfterCall(
        { attemptCount: 0, hadUncertainAttempt: false },
        { kind: 'refused', error: apiError({ code }) },
        DEFAULT_POLICY,
        0,
      );
      expect(decision.record.outcome, code).toBe('failed');
      expect(decision.stopJob, code).toEqual({
        errorCode: code,
        errorMessage: 'The user already exists.',
        errorRequestId: 'REQ-ERROR',
      });
    }
    for (const code of [
      'ClientUser.UserExist',
      'ClientUser.BandwidthInvalid',
      'ClientUser.InvalidClientIp',
      'Throttling.User',
    ]) {
      expect(isJobWide(code), code).toBe(false);
    }
    // An unknown outcome never stops a job: the call may have been applied.
    const lost = decideAfterCall(
      { attemptCount: 0, hadUncertainAttempt: false },
      { kind: 'refused', error: apiError({ code: 'SAG.CidrEmpty', outcome: 'unknown' }) },
      DEFAULT_POLICY,
      0,
    );
    expect(lost.stopJob).toBeUndefined();
  });

  it('gives up, with the reason, only the items that certainly had no call that may have been applied', () => {
    expect(stopSending(item(), false, { stopped: reason })).toEqual({
      change: { status: 'not_sent', error: reason, notBefore: null, releaseLease: true },
      job: 'complete-if-done',
    });
    expect(stopSending(leased(), false, { stopped: reason })?.change.status).toBe('not_sent');
    expect(stopSending(leased(), true, { stopped: reason })).toBeNull();
    expect(stopSending(item({ needsCheck: true }), false, { stopped: reason })).toBeNull();
    expect(stopSending(item({ status: 'unknown', needsCheck: true }), false, { stopped: reason })).toBeNull();
    expect(stopSending(item({ status: 'succeeded' }), false, { stopped: reason })).toBeNull();
    // A cancel gives up the same items, as cancelled and without an error.
    const stop = { cancelled: true } as const;
    expect(stopSending(leased(), false, stop)).toEqual({
      change: {
        status: 'cancelled',
        error: { errorCode: null, errorMessage: null, errorRequestId: null },
        notBefore: null,
        releaseLease: true,
      },
      job: 'complete-if-done',
    });
    expect(stopSending(leased(), true, stop)).toBeNull();
    expect(stopSending(item({ status: 'unknown', needsCheck: true }), false, stop)).toBeNull();
  });

  it('refuses to start a call once the job has stopped, after any owed check', () => {
    expect(whyNotSendable(leased(), {}, NOW, true)).toBe('job-stopped');
    expect(whyNotSendable(leased({ needsCheck: true }), {}, NOW, true)).toBe('needs-check');
  });

  it('resumes not-sent items with "retry failed", each checked first', () => {
    expect(retry(item({ status: 'not_sent' }))?.change).toEqual({
      status: 'pending',
      needsCheck: true,
      held: false,
      notBefore: null,
    });
  });

  it('starts each username in the state the plan decided', () => {
    expect(plannedItem('send')).toEqual({ status: 'pending' });
    expect(plannedItem('already-on-target')).toEqual({
      status: 'already_present',
      targetPresence: 'present',
    });
    expect(plannedItem('not-on-origin')).toMatchObject({
      status: 'not_sent',
      errorCode: 'SagRoam.NotOnOrigin',
    });
    expect(plannedItem('over-quota')).toMatchObject({ status: 'not_sent', errorCode: 'SagRoam.OverQuota' });
    expect(blocksJobCompletion({ status: 'not_sent', held: false })).toBe(false);
  });
});
