'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, useTransition } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { DataTable, stackedCellClassName, stackedRowClassName } from '@/components/ui/data-table';
import { ProgressBar } from '@/components/ui/progress-bar';
import { retryFailedItemsAction } from '@/lib/actions/roam/retry-failed-items';
import { verifyJobOnTargetAction } from '@/lib/actions/roam/verify-job-on-target';
import type { Translate } from '@/lib/i18n/translate';
import { ApiError, jobQuery } from '@/lib/query/options';
import type { ErrorView, JobItemView, JobView } from '@/lib/roam/view-models';
import { StoredPlanBlock } from './plan-panel';

const statusTone: Record<JobItemView['status'], string> = {
  pending: 'text-slate-700 dark:text-slate-300',
  in_progress: 'text-blue-800 dark:text-blue-300',
  succeeded: 'text-green-800 dark:text-green-400',
  already_present: 'text-sky-800 dark:text-sky-300',
  failed: 'text-red-800 dark:text-red-400',
  not_sent: 'text-slate-700 dark:text-slate-300',
  unknown: 'text-amber-800 dark:text-amber-300',
};

export function summarise(job: JobView, t: Translate): string {
  const { counts } = job;
  const parts = [t('job.partSucceeded', { count: counts.succeeded })];
  if (counts.alreadyPresent) parts.push(t('job.partAlreadyPresent', { count: counts.alreadyPresent }));
  parts.push(t('job.partFailed', { count: counts.failed }));
  if (counts.notSent) parts.push(t('job.partNotSent', { count: counts.notSent }));
  if (counts.inProgress) parts.push(t('job.partInProgress', { count: counts.inProgress }));
  if (counts.unknown) parts.push(t('job.partUnknown', { count: counts.unknown }));
  return t(job.status === 'completed' ? 'job.summaryFinished' : 'job.summaryRunning', {
    done: doneCount(job),
    total: counts.total,
    parts: parts.join(t('job.partSeparator')),
  });
}

/** Items with a final outcome: roamed, found on the target before, or refused. */
function doneCount({ counts }: JobView): number {
  return counts.succeeded + counts.alreadyPresent + counts.failed + counts.notSent;
}

function ItemRow({ item }: { item: JobItemView }) {
  const { t } = useI18n();
  return (
    <tr className={stackedRowClassName}>
      <td className={`${stackedCellClassName} font-mono font-medium break-all`}>{item.username}</td>
      <td className={`${stackedCellClassName} font-medium ${statusTone[item.status]}`}>
        {item.held ? t('job.status.held') : t(`job.status.${item.status}`)}
        {item.status === 'succeeded' && item.verified ? (
          <span className="block text-xs font-normal">{t('job.verified')}</span>
        ) : null}
        {item.status === 'already_present' ? (
          <span className="block text-xs font-normal">{t('job.notRoamedByThisJob')}</span>
        ) : null}
        {item.targetPresence ? (
          <span className="block text-xs font-normal">
            {item.targetPresence === 'present' ? t('job.present') : t('job.missing')}
          </span>
        ) : null}
      </td>
      <td className={stackedCellClassName}>
        {item.requestId ? (
          <span className="flex flex-wrap items-center gap-1">
            <span className="text-xs text-slate-600 dark:text-slate-400">{t('job.requestId')}</span>
            <code className="break-all text-xs">{item.requestId}</code>
            <CopyButton value={item.requestId} label={t('job.copyRequestId', { username: item.username })} />
          </span>
        ) : null}
        {item.error ? (
          <div className="text-sm">
            <p className="font-medium text-red-800 dark:text-red-300">{item.error.title}</p>
            <p className="text-slate-700 dark:text-slate-300">{item.error.fix}</p>
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
              <code className="break-all">{item.error.code}</code>
              {item.error.requestId ? (
                <>
                  {' · '}
                  {t('job.requestId')} <code className="break-all">{item.error.requestId}</code>{' '}
                  <CopyButton
                    value={item.error.requestId}
                    label={t('job.copyErrorRequestId', { username: item.username })}
                  />
                </>
              ) : null}
            </p>
          </div>
        ) : null}
      </td>
    </tr>
  );
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

/** Live progress of one roam job, polled until it completes; the same view after a reload or elsewhere. */
export function JobProgress({
  jobId,
  initialJob,
  canOperate,
}: {
  jobId: string;
  initialJob: JobView | null;
  /** Verify and retry are for operators and admins; viewers see the results only. */
  canOperate: boolean;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const query = useQuery({ ...jobQuery(jobId), initialData: initialJob ? { job: initialJob } : undefined });
  const [pending, startAction] = useTransition();
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  if (query.isPending) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">{t('job.loading')}</p>;
  }
  if (query.isError) {
    return (
      <Alert tone="error" role="alert" title={t('job.cannotShow')}>
        {query.error instanceof ApiError
          ? `${query.error.view.title} ${query.error.view.fix}`
          : t('job.reload')}
      </Alert>
    );
  }

  const { job } = query.data;
  const done = doneCount(job);
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
    <section aria-labelledby={`job-${job.id}-title`} className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`job-${job.id}-title`} className="text-lg font-semibold">
          {t('job.title')}{' '}
          <Link
            className="font-mono text-base text-blue-700 underline dark:text-blue-300"
            href={`/history/${job.id}`}
          >
            {job.id.slice(0, 8)}
          </Link>
        </h2>
        <p className="min-w-0 text-sm break-words text-slate-600 dark:text-slate-400">
          {job.originRegionId} <span className="font-mono break-all">{job.originInstanceId}</span> →{' '}
          {job.targetRegionId} <span className="font-mono break-all">{job.targetInstanceId}</span>
        </p>
      </div>
      {job.stopped ? <StoppedBanner stopped={job.stopped} /> : null}
      <ProgressBar
        value={done}
        max={job.counts.total}
        label={t('job.progress')}
        valueText={t('job.progressText', { done, total: job.counts.total })}
      />
      <p role="status" aria-live="polite" className="text-sm">
        {summarise(job, t)}
      </p>
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        {(
          [
            [t('job.countSucceeded'), job.counts.succeeded],
            [t('job.countAlreadyPresent'), job.counts.alreadyPresent],
            [t('job.countFailed'), job.counts.failed],
            [t('job.countNotSent'), job.counts.notSent],
            [t('job.countInProgress'), job.counts.inProgress],
            [t('job.countUnknown'), job.counts.unknown],
          ] as const
        ).map(([label, count]) => (
          <div key={label} className="rounded-md border border-slate-200 px-3 py-2 dark:border-slate-700">
            <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
            <dd className="text-xl font-semibold">{count}</dd>
          </div>
        ))}
      </dl>
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
              disabled={pending || job.counts.failed + job.counts.unknown + job.counts.notSent === 0}
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
      {job.plan ? <StoredPlanBlock plan={job.plan} /> : null}
      <DataTable
        caption={t('job.tableCaption')}
        columns={[t('job.columnUsername'), t('job.columnStatus'), t('job.columnResult')]}
        minWidthClass="sm:min-w-[36rem]"
        stacked
      >
        {job.items.map((item) => (
          <ItemRow key={item.username} item={item} />
        ))}
      </DataTable>
    </section>
  );
}
