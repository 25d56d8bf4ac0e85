import 'server-only';
import type { JobDetails, JobSummary, RoamItem } from '@/lib/db/jobs';
import type { JobChanges } from '@/lib/db/jobs/changes';
import type { Locale } from '@/lib/i18n/locales';
import { MESSAGES } from '@/lib/i18n/messages';
import { createTranslator } from '@/lib/i18n/translate';
import { adminMessage, type ErrorContext } from '@/lib/sag/error-messages';
import type { SagError } from '@/lib/sag/errors';
import { storedErrorOutcome } from './lifecycle';
import { planInReaderLanguage } from './plan-text';
import type { StoredPlan } from './plan-view';
import type { ErrorView, JobChangesView, JobHeaderView, JobItemView, JobView } from './view-models';

/** Turns stored jobs and SAG errors into what the browser shows: no internal fields, errors explained. */

export function errorView(error: SagError, locale: Locale): ErrorView {
  const admin = adminMessage(
    error.code,
    {
      action: error.action,
      outcome: error.outcome,
      signatureCheck: error.signatureCheck,
      httpStatus: error.httpStatus,
    },
    locale,
  );
  return {
    code: error.code,
    title: admin.title,
    fix: admin.fix,
    message: error.message,
    requestId: error.requestId ?? null,
  };
}

/** What a stored error of a job is explained from: the call its items make, and what its plan found. */
export type ErrorSource = Pick<JobSummary, 'kind' | 'plan' | 'originInstanceId' | 'targetInstanceId'>;

/**
 * Which of the job's two instances its plan found, in its region, to be an active SAG APP instance: looked up
 * and found (a status is read only then), neither hardware nor inactive. Undefined without a plan, or with one
 * about other instances: an error about "the origin or the target" then names both.
 */
export function foundByPlan(job: ErrorSource): ErrorContext['foundByPlan'] {
  const plan: StoredPlan | null = job.plan;
  if (
    !plan ||
    plan.origin.smartAGId !== job.originInstanceId ||
    plan.target.smartAGId !== job.targetInstanceId
  ) {
    return undefined;
  }
  const usable = (side: 'origin' | 'target') =>
    plan[side].status?.toLowerCase() === 'active' &&
    !plan.findings.some((finding) =>
      [`${side}-not-found`, `${side}-hardware`, `${side}-inactive`].includes(finding.code),
    );
  return { origin: usable('origin'), target: usable('target') };
}

/** What every stored error of one job is explained with: read from the job once, for all its items. */
type JobErrorContext = Pick<ErrorContext, 'action' | 'foundByPlan'>;

function errorContextOf(job: ErrorSource): JobErrorContext {
  return {
    // The call a job's items make: an undo deletes from the target, a roam roams.
    action: job.kind === 'undo' ? 'DeleteSmartAccessGatewayClientUser' : 'RoamClientUser',
    foundByPlan: foundByPlan(job),
  };
}

/** A stored error (of an item, or the one that stopped a job) as the admin reads it. */
function storedErrorView(
  stored: { code: string; message: string | null; requestId: string | null },
  outcome: 'not_applied' | 'unknown',
  context: JobErrorContext,
  locale: Locale,
): ErrorView {
  const admin = adminMessage(stored.code, { ...context, outcome }, locale);
  return {
    code: stored.code,
    title: admin.title,
    fix: admin.fix,
    message: stored.message ?? '',
    requestId: stored.requestId,
  };
}

function itemErrorView(item: RoamItem, context: JobErrorContext, locale: Locale): ErrorView | null {
  if (!item.errorCode || item.status === 'succeeded') return null;
  return storedErrorView(
    { code: item.errorCode, message: item.errorMessage, requestId: item.errorRequestId },
    storedErrorOutcome(item),
    context,
    locale,
  );
}

/** One item of a job as the browser shows it. */
function itemView(item: RoamItem, context: JobErrorContext, locale: Locale): JobItemView {
  return {
    username: item.username,
    status: item.status,
    requestId: item.requestId,
    verified: item.verified,
    held: item.held,
    targetPresence: item.targetPresence,
    attemptCount: item.attemptCount,
    error: itemErrorView(item, context, locale),
  };
}

export function jobView(job: JobDetails & { cursor: string }, locale: Locale): JobView {
  const context = errorContextOf(job);
  return {
    ...jobHeaderView(job, job.cursor, locale, context),
    // Its findings were written in the language of whoever created the job: said again in the reader's.
    plan: job.plan ? planInReaderLanguage(job.plan, createTranslator(locale, MESSAGES[locale])) : null,
    items: job.items.map((item) => itemView(item, context, locale)),
  };
}

/** What a poll of a job gets: its header and the items changed since the cursor it sent. */
export function jobChangesView(changes: JobChanges, locale: Locale): JobChangesView {
  const context = errorContextOf(changes.job);
  return {
    job: jobHeaderView(changes.job, changes.cursor, locale, context),
    items: changes.items.map((item) => itemView(item, context, locale)),
    complete: changes.complete,
  };
}

/** Why the job's sending stopped, explained like an item's error (the same answer stopped them all). */
function stoppedView(job: JobSummary, context: JobErrorContext, locale: Locale): ErrorView | null {
  if (!job.stoppedCode) return null;
  return storedErrorView(
    { code: job.stoppedCode, message: job.stoppedMessage, requestId: job.stoppedRequestId },
    'not_applied',
    context,
    locale,
  );
}

function jobHeaderView(
  job: JobSummary,
  cursor: string,
  locale: Locale,
  context: JobErrorContext,
): JobHeaderView {
  return {
    id: job.id,
    createdAt: job.createdAt.toISOString(),
    createdBy: job.createdBy,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    status: job.status,
    mode: job.mode,
    originRegionId: job.originRegionId,
    originInstanceId: job.originInstanceId,
    targetRegionId: job.targetRegionId,
    targetInstanceId: job.targetInstanceId,
    originInstanceName: job.originInstanceName,
    targetInstanceName: job.targetInstanceName,
    counts: job.counts,
    stopped: stoppedView(job, context, locale),
    kind: job.kind,
    undoesJobId: job.undoesJobId,
    undoneBy: job.undoneBy ?? null,
    cancelled:
      job.cancelledBy && job.cancelledAt ? { by: job.cancelledBy, at: job.cancelledAt.toISOString() } : null,
    cursor,
  };
}
