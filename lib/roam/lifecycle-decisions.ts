/**
 * The item lifecycle's decisions (see lifecycle.ts, which re-exports this module): what an answer from the
 * API, or a failure to get one, means for an item, for the worker to carry out. Pure, like the rest of it.
 */
import type { CallOutcome } from './lifecycle';

/** The facts of an API error the decisions read; lib/sag's SagError has them all. */
export interface ApiErrorFacts {
  code: string;
  message: string;
  /** not_applied: certainly not applied; unknown: sent, and no trustworthy answer came back. */
  outcome: 'not_applied' | 'unknown';
  /** The same request may succeed later without anyone changing anything. */
  retryable: boolean;
  retryAfterMs?: number | undefined;
  requestId?: string | undefined;
  httpStatus?: number | undefined;
}

export interface LifecyclePolicy {
  /** Roam calls per item after which an item whose outcome stays unknown is parked. */
  maxAttemptsPerItem: number;
  /** Failed checks of one item in a row after which it is parked. */
  maxCheckFailures: number;
  /** Pause before checking the target after an unknown outcome, giving the API time to settle. */
  checkDelayMs: number;
}

export const DEFAULT_POLICY: LifecyclePolicy = {
  maxAttemptsPerItem: 6,
  maxCheckFailures: 3,
  checkDelayMs: 1_000,
};

export const INTERNAL_CALL_ERROR = {
  errorCode: 'SagRoam.InternalError',
  errorMessage: 'sag-roam failed while sending this call; see the server log.',
} as const;

export const INTERNAL_CHECK_ERROR = {
  errorCode: 'SagRoam.CheckFailed',
  errorMessage: 'The check of the target failed unexpectedly.',
} as const;

const THROTTLING = /^Throttling/;

/**
 * The longest pause an answer may ask for. An answer's retry-after is the server's word: whatever it says
 * (a huge number, Infinity, a negative one), the date recorded from it stays a valid date at most a minute away.
 */
export const MAX_PAUSE_MS = 60_000;

export function boundedPause(ms: number | undefined): number {
  return ms !== undefined && Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_PAUSE_MS) : 0;
}

/** The server's hint for the rate limiter, bounded; undefined when it gave none. */
function serverPause(error: ApiErrorFacts): number | undefined {
  return error.retryAfterMs === undefined ? undefined : boundedPause(error.retryAfterMs);
}

export function isThrottling(error: Pick<ApiErrorFacts, 'code'>): boolean {
  return THROTTLING.test(error.code);
}

/** What came of one RoamClientUser call. */
export type CallResult =
  | { kind: 'accepted'; requestId: string }
  | { kind: 'refused'; error: ApiErrorFacts }
  /** Not an answer from the API: sag-roam itself failed after recording the call; whether it left is unknown. */
  | { kind: 'broken' };

/**
 * Answers that hold for every remaining username of the job, whoever it is: the instances, the target's quota,
 * the AccessKey or its permissions. After one, sending the rest would only collect the same refusal.
 */
const JOB_WIDE =
  /^(SAG\.CidrOverlap|SAG\.CidrEmpty|ClientUser\.NotSupportAction|SAG\.InstanceNoFound|ClientUser\.UserOverLimit|Forbidden(\..*)?|NoPermission|InvalidAccessKeyId(\..*)?|SignatureDoesNotMatch|IncompleteSignature|InvalidSecurityToken(\..*)?|MissingSecurityToken)$/;

export function isJobWide(code: string): boolean {
  return JOB_WIDE.test(code);
}

export interface CallDecision {
  /** What the store records (finishRoamAttempt). */
  record: CallOutcome;
  /** Set when the answer holds for the whole job: the job stops sending (stopJobSending), with this reason. */
  stopJob?: { errorCode: string; errorMessage: string; errorRequestId: string | null };
  /** Feed the rate limiter: an accepted call, or throttling with the server's hint. */
  pace: { accepted: true } | { throttled: true; retryAfterMs: number | undefined } | null;
  /** Set when the item is parked, for the log. */
  parkedBecause?: string;
}

/**
 * The refusal that says the call's effect may be there already: for a roam, ClientUser.UserExist after a call
 * whose outcome was unknown (its own earlier call may have landed); for a delete, ClientUser.NotExist (gone,
 * by an earlier call of its own or by someone else). Either way the target is checked, never assumed.
 */
function effectMayBeThere(kind: 'roam' | 'delete', code: string, hadUncertainAttempt: boolean): boolean {
  return kind === 'roam'
    ? code === 'ClientUser.UserExist' && hadUncertainAttempt
    : code === 'ClientUser.NotExist';
}

export function decideAfterCall(
  item: { attemptCount: number; hadUncertainAttempt: boolean },
  result: CallResult,
  policy: LifecyclePolicy,
  now: number,
  call: 'roam' | 'delete' = 'roam',
): CallDecision {
  if (result.kind === 'accepted') {
    return { record: { outcome: 'succeeded', requestId: result.requestId }, pace: { accepted: true } };
  }
  const later = (ms: number) => new Date(now + ms);
  if (result.kind === 'broken') {
    return {
      record: { outcome: 'unknown', ...INTERNAL_CALL_ERROR, notBefore: later(policy.checkDelayMs) },
      pace: null,
    };
  }
  const { error } = result;
  const recorded = {
    requestId: error.requestId ?? null,
    errorCode: error.code,
    errorMessage: error.message,
    httpStatus: error.httpStatus ?? null,
  };
  if (isThrottling(error) && error.outcome === 'not_applied') {
    return {
      record: {
        outcome: 'failed',
        retryable: true,
        notBefore: later(boundedPause(error.retryAfterMs)),
        ...recorded,
      },
      pace: { throttled: true, retryAfterMs: serverPause(error) },
    };
  }
  if (error.outcome === 'unknown' || effectMayBeThere(call, error.code, item.hadUncertainAttempt)) {
    // After too many unknown outcomes the item waits for an operator (verify on target, retry failed).
    const attempts = item.attemptCount + 1;
    const hold = attempts >= policy.maxAttemptsPerItem;
    return {
      record: { outcome: 'unknown', hold, notBefore: later(policy.checkDelayMs), ...recorded },
      pace: null,
      ...(hold ? { parkedBecause: `outcome still unknown after ${attempts} attempts (${error.code})` } : {}),
    };
  }
  const refusal: CallDecision = { record: { outcome: 'failed', ...recorded }, pace: null };
  if (error.outcome === 'not_applied' && isJobWide(error.code)) {
    refusal.stopJob = {
      errorCode: error.code,
      errorMessage: error.message,
      errorRequestId: recorded.requestId,
    };
  }
  return refusal;
}

/** What came of listing the target for one username. */
export type CheckResult =
  | { kind: 'listed'; present: boolean; requestId: string | undefined }
  /** `error` is undefined when the failure was not an answer from the API. */
  | { kind: 'failed'; error: ApiErrorFacts | undefined };

export type CheckDecision =
  | {
      kind: 'listed';
      outcome: 'present' | 'absent';
      requestId: string | undefined;
      /** Failed checks in a row of this item, from now on. */
      failures: 0;
    }
  | {
      kind: 'failed';
      /** The check attempt to record, with its error. */
      record: {
        requestId: string | null;
        errorCode: string;
        errorMessage: string;
        httpStatus: number | null;
      };
      /** Next: give the item back to be checked later, or park it. */
      next:
        | { release: { notBefore?: Date } }
        | {
            park: { errorCode: string; errorMessage: string; errorRequestId: string | null; reason: string };
          };
      pace: { throttled: true; retryAfterMs: number | undefined } | null;
      failures: number;
    };

export function decideAfterCheck(
  result: CheckResult,
  failuresBefore: number,
  policy: LifecyclePolicy,
  now: number,
): CheckDecision {
  if (result.kind === 'listed') {
    return {
      kind: 'listed',
      outcome: result.present ? 'present' : 'absent',
      requestId: result.requestId,
      failures: 0,
    };
  }
  const { error } = result;
  const record = {
    requestId: error?.requestId ?? null,
    errorCode: error?.code ?? INTERNAL_CHECK_ERROR.errorCode,
    errorMessage: error?.message ?? INTERNAL_CHECK_ERROR.errorMessage,
    httpStatus: error?.httpStatus ?? null,
  };
  if (error && isThrottling(error)) {
    return {
      kind: 'failed',
      record,
      next: { release: {} },
      pace: { throttled: true, retryAfterMs: serverPause(error) },
      failures: failuresBefore,
    };
  }
  const failures = failuresBefore + 1;
  // A check is a read: a lost or unreadable answer is worth another try; a refusal (no permission, a bad
  // AccessKey) is not, and parks the item at once.
  const worthRetrying = error !== undefined && (error.retryable || error.outcome === 'unknown');
  if (!worthRetrying || failures >= policy.maxCheckFailures) {
    return {
      kind: 'failed',
      record,
      next: {
        park: {
          errorCode: record.errorCode,
          errorMessage: record.errorMessage,
          errorRequestId: record.requestId,
          reason: `the target could not be checked (${record.errorCode})`,
        },
      },
      pace: null,
      failures: 0,
    };
  }
  return {
    kind: 'failed',
    record,
    next: { release: { notBefore: new Date(now + policy.checkDelayMs * 2 ** failures) } },
    pace: null,
    failures,
  };
}
