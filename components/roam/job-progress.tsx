'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, useTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { DataTable, rowClassName } from '@/components/ui/data-table';
import { ProgressBar } from '@/components/ui/progress-bar';
import { retryFailedItemsAction } from '@/lib/actions/roam/retry-failed-items';
import { verifyJobOnTargetAction } from '@/lib/actions/roam/verify-job-on-target';
import { ApiError, jobQuery } from '@/lib/query/options';
import type { JobItemView, JobView } from '@/lib/roam/view-models';

const statusLabels: Record<JobItemView['status'], string> = {
  pending: 'Waiting',
  in_progress: 'Sending',
  succeeded: 'Succeeded',
  failed: 'Failed',
  unknown: 'Unknown, checking',
};

const statusTone: Record<JobItemView['status'], string> = {
  pending: 'text-slate-700 dark:text-slate-300',
  in_progress: 'text-blue-800 dark:text-blue-300',
  succeeded: 'text-green-800 dark:text-green-400',
  failed: 'text-red-800 dark:text-red-400',
  unknown: 'text-amber-800 dark:text-amber-300',
};

export function summarise(job: JobView): string {
  const { counts } = job;
  const done = counts.succeeded + counts.failed;
  const parts = [`${counts.succeeded} succeeded`, `${counts.failed} failed`];
  if (counts.inProgress) parts.push(`${counts.inProgress} in progress`);
  if (counts.unknown) parts.push(`${counts.unknown} unknown`);
  return `${job.status === 'completed' ? 'Job finished' : 'Job running'}: ${done} of ${counts.total} done, ${parts.join(', ')}.`;
}

function ItemRow({ item }: { item: JobItemView }) {
  return (
    <tr className={rowClassName}>
      <td className="px-3 py-2 font-mono break-all">{item.username}</td>
      <td className={`px-3 py-2 whitespace-nowrap font-medium ${statusTone[item.status]}`}>
        {statusLabels[item.status]}
        {item.status === 'succeeded' && item.verified ? (
          <span className="block text-xs font-normal">verified on target</span>
        ) : null}
        {item.targetPresence ? (
          <span className="block text-xs font-normal">
            {item.targetPresence === 'present' ? 'present on target' : 'missing on target'}
          </span>
        ) : null}
      </td>
      <td className="px-3 py-2">
        {item.requestId ? (
          <span className="flex flex-wrap items-center gap-1">
            <span className="text-xs text-slate-600 dark:text-slate-400">RequestId</span>
            <code className="break-all text-xs">{item.requestId}</code>
            <CopyButton value={item.requestId} label={`Copy the RequestId of ${item.username}`} />
          </span>
        ) : null}
        {item.error ? (
          <div className="text-sm">
            <p className="font-medium text-red-800 dark:text-red-300">{item.error.title}</p>
            <p className="text-slate-700 dark:text-slate-300">{item.error.fix}</p>
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
              <code>{item.error.code}</code>
              {item.error.requestId ? (
                <>
                  {' · RequestId '}
                  <code className="break-all">{item.error.requestId}</code>{' '}
                  <CopyButton
                    value={item.error.requestId}
                    label={`Copy the RequestId of the error for ${item.username}`}
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
  const queryClient = useQueryClient();
  const query = useQuery({ ...jobQuery(jobId), initialData: initialJob ? { job: initialJob } : undefined });
  const [pending, startAction] = useTransition();
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  if (query.isPending) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">Loading the job…</p>;
  }
  if (query.isError) {
    return (
      <Alert tone="error" role="alert" title="This job cannot be shown">
        {query.error instanceof ApiError
          ? `${query.error.view.title}. ${query.error.view.fix}`
          : 'Reload the page.'}
      </Alert>
    );
  }

  const { job } = query.data;
  const done = job.counts.succeeded + job.counts.failed;
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
          Roam job{' '}
          <Link
            className="font-mono text-base text-blue-700 underline dark:text-blue-300"
            href={`/history/${job.id}`}
          >
            {job.id.slice(0, 8)}
          </Link>
        </h2>
        <p className="min-w-0 text-sm break-words text-slate-600 dark:text-slate-400">
          {job.originRegionId} <span className="font-mono">{job.originInstanceId}</span> →{' '}
          {job.targetRegionId} <span className="font-mono">{job.targetInstanceId}</span>
        </p>
      </div>
      <ProgressBar value={done} max={job.counts.total} label="Roam job progress" />
      <p role="status" aria-live="polite" className="text-sm">
        {summarise(job)}
      </p>
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        {(
          [
            ['Succeeded', job.counts.succeeded],
            ['Failed', job.counts.failed],
            ['In progress', job.counts.inProgress],
            ['Unknown', job.counts.unknown],
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
              Verify on target
            </Button>
            <Button
              variant="secondary"
              disabled={pending || job.counts.failed === 0}
              onClick={() => run(() => retryFailedItemsAction({ jobId }))}
            >
              Retry failed
            </Button>
          </>
        ) : null}
        <a
          className="inline-flex items-center rounded-md px-3 py-2 text-sm font-medium text-blue-700 underline hover:bg-blue-50 dark:text-blue-300 dark:hover:bg-slate-800"
          href={`/api/jobs/${job.id}/export`}
        >
          Export CSV
        </a>
      </div>
      {message ? (
        <Alert tone={message.tone} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </Alert>
      ) : null}
      <DataTable
        caption="Result per username"
        columns={['Username', 'Status', 'RequestId or error']}
        minWidth="40rem"
      >
        {job.items.map((item) => (
          <ItemRow key={item.username} item={item} />
        ))}
      </DataTable>
    </section>
  );
}
