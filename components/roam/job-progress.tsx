'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState, useTransition } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { retryFailedItemsAction } from '@/lib/actions/roam/retry-failed-items';
import { verifyJobOnTargetAction } from '@/lib/actions/roam/verify-job-on-target';
import type { Translate } from '@/lib/i18n/translate';
import { jobQuery } from '@/lib/query/job';
import { ApiError } from '@/lib/query/options';
import { failureGroups } from '@/lib/roam/job-results';
import type { ErrorView, JobView } from '@/lib/roam/view-models';
import { JobControls } from './job-controls';
import { FailureGroups } from './job-results/failure-groups';
import { ItemsTable } from './job-results/items-table';
import { JobOutcomeBadge } from './job-results/outcome-badge';
import { doneCount, ResultsOverview } from './job-results/results-overview';
import { StoredPlanBlock } from './plan-details';

export function summarise(job: JobView, t: Translate): string {
  const { counts } = job;
  const parts = [t('job.partSucceeded', { count: counts.succeeded })];
  if (counts.alreadyPresent) parts.push(t('job.partAlreadyPresent', { count: counts.alreadyPresent }));
  parts.push(t('job.partFailed', { count: counts.failed }));
  if (counts.notSent) parts.push(t('job.partNotSent', { count: counts.notSent }));
  if (counts.cancelled) parts.push(t('job.partCancelled', { count: counts.cancelled }));
  if (counts.inProgress) parts.push(t('job.partInProgress', { count: counts.inProgress }));
  if (counts.unknown) parts.push(t('job.partUnknown', { count: counts.unknown }));
  const summary = {
    running: 'job.summaryRunning',
    completed: 'job.summaryFinished',
    cancelled: 'job.summaryCancelled',
  } as const;
  return t(summary[job.status], {
    done: doneCount(counts),
    total: counts.total,
    parts: parts.join(t('job.partSeparator')),
  });
}

/** Why the job stopped sending, once for all its items, and how it goes on. */
function StoppedBanner({ stopped }: { stopped: ErrorView }) {
  const { t } = useI18n();
  return (
    <Alert tone="error" title={t('job.stoppedTitle', { title: stopped.title })}>
      <p>{stopped.fix}</p>
      <p className="mt-1 text-xs">
        {t('job.stoppedCode')} <code className="break-all">{stopped.code}</code>
        {stopped.requestId ? (
          <>
            {' · '}
            {t('job.requestId')} <code className="break-all">{stopped.requestId}</code>{' '}
            <CopyButton value={stopped.requestId} label={t('job.copyStoppedRequestId')} />
          </>
        ) : null}
      </p>
      <p className="mt-2">{t('job.stoppedResume')}</p>
    </Alert>
  );
}

/**
 * Live progress and results of one roam job, polled (changes only) until it ends; the same view after a reload
 * or elsewhere. Results read at a glance: how the job went (a badge in the header), the bar and counts by
 * outcome, the failures grouped by cause, then every username a page at a time.
 */
export function JobProgress({
  jobId,
  initialJob,
  canOperate,
  refreshWhenEnded = false,
}: {
  jobId: string;
  initialJob: JobView | null;
  /** Verify and retry are for operators and admins; viewers see the results only. */
  canOperate: boolean;
  /**
   * Renders the page again on the server once the job ends: the job page's attempts are read there, and
   * would otherwise go on listing only the attempts made before the page was opened.
   */
  refreshWhenEnded?: boolean;
}) {
  const { t } = useI18n();
  const router = useRouter();
  const query = useQuery({ ...jobQuery(jobId), initialData: initialJob ? { job: initialJob } : undefined });
  const job = query.data?.job;
  const seenStatus = useRef(job?.status);
  useEffect(() => {
    if (refreshWhenEnded && seenStatus.current === 'running' && job && job.status !== 'running')
      router.refresh();
    seenStatus.current = job?.status;
  }, [refreshWhenEnded, job, router]);
  const items = job?.items;
  // Grouped again only when an item changed: a poll with no change keeps the same items array.
  const groups = useMemo(() => (items ? failureGroups(items) : []), [items]);

  if (query.isPending) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">{t('job.loading')}</p>;
  }
  if (query.isError || !job) {
    return (
      <Alert tone="error" role="alert" title={t('job.cannotShow')}>
        {query.error instanceof ApiError
          ? `${query.error.view.title} ${query.error.view.fix}`
          : t('job.reload')}
      </Alert>
    );
  }

  return (
    <section aria-labelledby={`job-${job.id}-title`} className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`job-${job.id}-title`} className="flex flex-wrap items-center gap-2 text-lg font-semibold">
          <span>
            {t(job.kind === 'undo' ? 'job.titleUndo' : 'job.title')}{' '}
            <Link
              className="font-mono text-base text-blue-700 underline dark:text-blue-300"
              href={`/history/${job.id}`}
            >
              {job.id.slice(0, 8)}
            </Link>
          </span>
          <JobOutcomeBadge job={job} t={t} />
        </h2>
        <p className="min-w-0 text-sm break-words text-slate-600 dark:text-slate-400">
          {job.originRegionId} <span className="font-mono break-all">{job.originInstanceId}</span> →{' '}
          {job.targetRegionId} <span className="font-mono break-all">{job.targetInstanceId}</span>
        </p>
      </div>
      {job.stopped ? <StoppedBanner stopped={job.stopped} /> : null}
      <ResultsOverview counts={job.counts} />
      <p role="status" aria-live="polite" className="text-sm">
        {summarise(job, t)}
      </p>
      <JobActions job={job} canOperate={canOperate} />
      <FailureGroups groups={groups} />
      <ItemsTable job={job} />
      {job.plan ? <StoredPlanBlock plan={job.plan} /> : null}
    </section>
  );
}

/**
 * What can be done with the job, in one block: verify, retry, export, and the answer to the last of them.
 * Operators and admins only, apart from the export.
 */
function JobActions({ job, canOperate }: { job: JobView; canOperate: boolean }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [pending, startAction] = useTransition();
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const jobId = job.id;
  const run = (
    action: () => Promise<{ ok: true; data: { message: string } } | { ok: false; formError: string }>,
  ) =>
    startAction(async () => {
      const result = await action();
      setMessage(
        result.ok
          ? { tone: 'success', text: result.data.message }
          : { tone: 'error', text: result.formError },
      );
      await queryClient.invalidateQueries({ queryKey: jobQuery(jobId).queryKey });
    });

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        {canOperate ? (
          <>
            <Button
              variant="secondary"
              disabled={pending}
              onClick={() => run(() => verifyJobOnTargetAction({ jobId }))}
            >
              {t('job.verify')}
            </Button>
            <Button
              variant="secondary"
              disabled={
                pending ||
                // A cancelled roam job is not sent again; a cancelled undo goes on with its cancelled deletes.
                (job.cancelled !== null && job.kind === 'roam') ||
                job.counts.failed +
                  job.counts.unknown +
                  job.counts.notSent +
                  (job.kind === 'undo' ? job.counts.cancelled : 0) ===
                  0
              }
              onClick={() => run(() => retryFailedItemsAction({ jobId }))}
            >
              {t('job.retry')}
            </Button>
          </>
        ) : null}
        <a
          className="inline-flex items-center rounded-md px-3 py-2 text-sm font-medium text-blue-700 underline hover:bg-blue-50 dark:text-blue-300 dark:hover:bg-slate-800"
          href={`/api/jobs/${job.id}/export`}
        >
          {t('job.export')}
        </a>
      </div>
      {message ? (
        <Alert tone={message.tone} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </Alert>
      ) : null}
      <JobControls job={job} canOperate={canOperate} />
    </div>
  );
}
