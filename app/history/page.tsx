import type { Metadata } from 'next';
import Link from 'next/link';
import { JobOutcomeBadge } from '@/components/roam/job-results/outcome-badge';
import { Alert } from '@/components/ui/alert';
import { DataTable, rowClassName } from '@/components/ui/data-table';
import { Field, inputClassName } from '@/components/ui/field';
import { requirePageUser } from '@/lib/auth/guard';
import { listJobs } from '@/lib/db/jobs';
import { getI18n } from '@/lib/i18n/server';
import { formatDateTime } from '@/lib/i18n/translate';
import { historyQueryString, parseHistoryFilter } from '@/lib/roam/history-filter';
import { ITEM_STATUSES } from '@/lib/roam/lifecycle';
import { getRuntime } from '@/lib/runtime';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('history.title') };
}
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 20;
const linkClass = 'text-blue-700 underline dark:text-blue-300';

export default async function HistoryPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = await searchParams;
  const user = await requirePageUser('/history');
  const { locale, t } = await getI18n(user);
  const filter = parseHistoryFilter(query, t);
  const { db } = await getRuntime();
  const { jobs, total } = await listJobs(db, { ...filter, pageSize: PAGE_SIZE });
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const filterQuery = historyQueryString(filter.values);
  const filtered = filterQuery !== '';

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">{t('history.title')}</h1>
      <form
        method="get"
        aria-label={t('history.filters')}
        className="grid gap-3 rounded-lg border border-slate-200 p-4 sm:grid-cols-2 lg:grid-cols-7 dark:border-slate-700"
      >
        <div className="lg:col-span-2">
          <Field id="filter-username" label={t('history.username')}>
            <input
              id="filter-username"
              name="username"
              className={inputClassName}
              defaultValue={filter.values.username}
            />
          </Field>
        </div>
        <Field id="filter-instance" label={t('history.instance')}>
          <input
            id="filter-instance"
            name="instanceId"
            className={`${inputClassName} font-mono`}
            defaultValue={filter.values.instanceId}
          />
        </Field>
        <Field id="filter-status" label={t('history.status')}>
          <select
            id="filter-status"
            name="status"
            className={inputClassName}
            defaultValue={filter.values.status}
          >
            <option value="">{t('history.statusAny')}</option>
            <option value="running">{t('history.statusRunning')}</option>
            <option value="completed">{t('history.statusCompleted')}</option>
            <option value="cancelled">{t('history.statusCancelled')}</option>
          </select>
        </Field>
        <Field id="filter-item" label={t('history.item')}>
          <select id="filter-item" name="item" className={inputClassName} defaultValue={filter.values.item}>
            <option value="">{t('history.itemAny')}</option>
            {ITEM_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`job.status.${status}`)}
              </option>
            ))}
          </select>
        </Field>
        {(['from', 'to'] as const).map((bound) => (
          <Field key={bound} id={`filter-${bound}`} label={t(`history.${bound}`)}>
            <input
              id={`filter-${bound}`}
              name={bound}
              type="date"
              className={inputClassName}
              defaultValue={filter.values[bound]}
            />
          </Field>
        ))}
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-7">
          <button
            type="submit"
            className="rounded-md bg-blue-700 px-3 py-2 text-sm font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600"
          >
            {t('history.filter')}
          </button>
          {filtered ? (
            <Link href="/history" className={`text-sm ${linkClass}`}>
              {t('history.clear')}
            </Link>
          ) : null}
          <a
            href={`/api/jobs/export${filtered ? `?${filterQuery}` : ''}`}
            className={`ml-auto text-sm ${linkClass}`}
          >
            {filtered ? t('history.exportFiltered') : t('history.exportAll')}
          </a>
        </div>
      </form>

      {filter.problems.length > 0 ? (
        <Alert tone="warning" role="alert" title={t('history.ignored')}>
          {filter.problems.join(' · ')}
        </Alert>
      ) : null}

      {jobs.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 px-4 py-8 text-center text-slate-700 dark:border-slate-700 dark:text-slate-300">
          {filtered ? (
            <>
              {t('history.noMatch')}{' '}
              <Link href="/history" className={linkClass}>
                {t('history.clearThem')}
              </Link>{' '}
              {t('history.toSeeAll')}
            </>
          ) : (
            <>
              {t('history.empty')}{' '}
              <Link href="/" className={linkClass}>
                {t('history.startOne')}
              </Link>{' '}
              {t('history.willBeListed')}
            </>
          )}
        </p>
      ) : (
        <DataTable
          caption={t('history.caption')}
          columns={[
            t('history.columnStarted'),
            t('history.columnBy'),
            t('history.columnRoute'),
            t('history.columnStatus'),
            t('history.columnResults'),
          ]}
          minWidthClass="min-w-[44rem]"
        >
          {jobs.map((job) => (
            <tr key={job.id} className={rowClassName}>
              <td className="px-3 py-2 whitespace-nowrap">
                <Link href={`/history/${job.id}`} className={linkClass}>
                  {formatDateTime(locale, job.createdAt)}
                </Link>
              </td>
              <td className="px-3 py-2 break-all">{job.createdBy}</td>
              <td className="px-3 py-2">
                {job.kind === 'undo' && job.undoesJobId ? (
                  <span className="block font-medium">
                    {t('history.undoOf')}{' '}
                    <Link href={`/history/${job.undoesJobId}`} className={`font-mono ${linkClass}`}>
                      {job.undoesJobId.slice(0, 8)}
                    </Link>
                  </span>
                ) : null}
                <span className="block">
                  {job.originRegionId} <span className="font-mono break-all">{job.originInstanceId}</span>
                </span>
                <span className="block">
                  → {job.targetRegionId} <span className="font-mono break-all">{job.targetInstanceId}</span>
                </span>
              </td>
              <td className="px-3 py-2">
                {/* How the job went, not only whether it ended: a job with failures never reads as a success. */}
                <JobOutcomeBadge job={job} t={t} />
              </td>
              <td className="px-3 py-2">
                {job.counts.unknown || job.counts.inProgress
                  ? t('history.resultsMore', { ...job.counts })
                  : t('history.results', { ...job.counts })}
                {job.counts.notSent
                  ? ` · ${t('jobResults.historyNotSent', { count: job.counts.notSent })}`
                  : null}
                {job.counts.cancelled
                  ? ` · ${t('job.partCancelled', { count: job.counts.cancelled })}`
                  : null}
                {job.counts.alreadyPresent
                  ? ` · ${t('history.resultsAlreadyPresent', { count: job.counts.alreadyPresent })}`
                  : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      {pageCount > 1 ? (
        <nav aria-label={t('history.pages')} className="flex items-center gap-3 text-sm">
          {filter.page > 1 ? (
            <Link
              href={`/history?${historyQueryString(filter.values, { page: String(filter.page - 1) })}`}
              className={linkClass}
            >
              {t('history.newer')}
            </Link>
          ) : null}
          <span>{t('history.pageOf', { page: filter.page, pages: pageCount, total })}</span>
          {filter.page < pageCount ? (
            <Link
              href={`/history?${historyQueryString(filter.values, { page: String(filter.page + 1) })}`}
              className={linkClass}
            >
              {t('history.older')}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
