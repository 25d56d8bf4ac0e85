import Link from 'next/link';
import { ProgressBar } from '@/components/ui/progress-bar';
import type { Locale } from '@/lib/i18n/locales';
import { formatDateTime, type Translate } from '@/lib/i18n/translate';
import type { JobCountsView } from '@/lib/roam/view-models';

export interface RunningJobSummary {
  id: string;
  createdAt: Date;
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
  counts: JobCountsView;
}

/**
 * The signed-in person's running jobs, on the roam page: coming back to it (a reload, another tab, the next
 * morning) shows at once that a job of theirs is still going, and opens it in one click. Rendered on the
 * server when the page loads; each job's own page is the live view.
 */
export function RunningJobs({
  jobs,
  limit,
  more,
  locale,
  t,
}: {
  jobs: readonly RunningJobSummary[];
  /** How many the list shows at most. */
  limit: number;
  /** More are running than shown: history has them all. */
  more: boolean;
  locale: Locale;
  t: Translate;
}) {
  if (jobs.length === 0) return null;
  return (
    <section
      aria-labelledby="running-jobs-title"
      className="flex flex-col gap-3 rounded-lg border border-blue-200 bg-blue-50/60 p-4 dark:border-blue-900 dark:bg-blue-950/40"
    >
      <h2 id="running-jobs-title" className="text-base font-semibold">
        {t('roamPage.runningTitle')}
      </h2>
      <ul className="flex flex-col gap-3">
        {jobs.map((job) => {
          // Finished items (what the job view counts as done): all but those still to send or to settle.
          const done = job.counts.total - job.counts.inProgress - job.counts.unknown;
          return (
            <li key={job.id} className="flex flex-col gap-1.5 text-sm">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                <Link
                  href={`/history/${job.id}`}
                  className="font-medium text-blue-700 underline dark:text-blue-300"
                  aria-label={t('roamPage.runningOpen', { id: job.id.slice(0, 8) })}
                >
                  <span className="font-mono">{job.id.slice(0, 8)}</span>
                </Link>
                <span className="text-xs text-slate-600 dark:text-slate-400">
                  {formatDateTime(locale, job.createdAt)}
                </span>
              </div>
              <p className="min-w-0 break-words text-xs text-slate-700 dark:text-slate-300">
                {job.originRegionId} <span className="font-mono break-all">{job.originInstanceId}</span> →{' '}
                {job.targetRegionId} <span className="font-mono break-all">{job.targetInstanceId}</span>
              </p>
              <ProgressBar
                value={done}
                max={job.counts.total}
                label={t('roamPage.runningOpen', { id: job.id.slice(0, 8) })}
                valueText={t('roamPage.runningRow', { done, total: job.counts.total })}
              />
              <p className="text-xs text-slate-700 dark:text-slate-300">
                {t('roamPage.runningRow', { done, total: job.counts.total })}
              </p>
            </li>
          );
        })}
      </ul>
      {more ? (
        <p className="text-xs text-slate-700 dark:text-slate-300">
          {t('roamPage.runningMore', { count: limit })}{' '}
          <Link href="/history?status=running" className="text-blue-700 underline dark:text-blue-300">
            {t('roamPage.runningHistory')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
