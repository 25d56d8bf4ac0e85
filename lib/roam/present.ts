import 'server-only';
import type { JobDetails, JobSummary, RoamItem } from '@/lib/db/jobs-repository';
import { adminMessage } from '@/lib/sag/error-messages';
import type { SagError } from '@/lib/sag/errors';
import type { ErrorView, JobItemView, JobView } from './view-models';

/** Turns stored jobs and SAG errors into what the browser shows: no internal fields, errors explained. */

export function errorView(error: SagError): ErrorView {
  return {
    code: error.code,
    title: error.admin.title,
    fix: error.admin.fix,
    message: error.message,
    requestId: error.requestId ?? null,
  };
}

function itemErrorView(item: RoamItem): ErrorView | null {
  if (!item.errorCode || item.status === 'succeeded') return null;
  const admin = adminMessage(item.errorCode, {
    action: 'RoamClientUser',
    outcome: item.status === 'unknown' || item.needsCheck ? 'unknown' : 'not_applied',
  });
  return {
    code: item.errorCode,
    title: admin.title,
    fix: admin.fix,
    message: item.errorMessage ?? '',
    requestId: item.errorRequestId,
  };
}

export function itemView(item: RoamItem): JobItemView {
  return {
    username: item.username,
    status: item.status,
    requestId: item.requestId,
    verified: item.verified,
    targetPresence: item.targetPresence,
    attemptCount: item.attemptCount,
    error: itemErrorView(item),
  };
}

export function jobView(job: JobDetails): JobView {
  return {
    ...jobSummaryView(job),
    items: job.items.map(itemView),
  };
}

export function jobSummaryView(job: JobSummary): Omit<JobView, 'items'> {
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
    counts: job.counts,
  };
}
