import type { Metadata } from 'next';
import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import { DataTable, rowClassName } from '@/components/ui/data-table';
import { inputClassName } from '@/components/ui/field';
import { requirePageUser } from '@/lib/auth/guard';
import { listJobs } from '@/lib/db/jobs-repository';
import { historyQueryString, parseHistoryFilter } from '@/lib/roam/history-filter';
import { getRuntime } from '@/lib/runtime';

export const metadata: Metadata = { title: 'History' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 20;

function formatTime(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}

export default async function HistoryPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = await searchParams;
  await requirePageUser('/history');
  const filter = parseHistoryFilter(query);
  const { db } = await getRuntime();
  const { jobs, total } = await listJobs(db, { ...filter, pageSize: PAGE_SIZE });
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const filterQuery = historyQueryString(filter.values);
  const filtered = filterQuery !== '';

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">History</h1>
      <form
        method="get"
        aria-label="Filter jobs"
        className="grid gap-3 rounded-lg border border-slate-200 p-4 sm:grid-cols-2 lg:grid-cols-6 dark:border-slate-700"
      >
        <div className="flex flex-col gap-1 lg:col-span-2">
          <label htmlFor="filter-username" className="text-sm font-medium">
            Username contains
          </label>
          <input
            id="filter-username"
            name="username"
            className={inputClassName}
            defaultValue={filter.values.username}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="filter-instance" className="text-sm font-medium">
            Instance ID
          </label>
          <input
            id="filter-instance"
            name="instanceId"
            className={`${inputClassName} font-mono`}
            defaultValue={filter.values.instanceId}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="filter-status" className="text-sm font-medium">
            Status
          </label>
          <select
            id="filter-status"
            name="status"
            className={inputClassName}
            defaultValue={filter.values.status}
          >
            <option value="">Any</option>
            <option value="running">Running</option>
            <option value="completed">Completed</option>
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="filter-from" className="text-sm font-medium">
            From
          </label>
          <input
            id="filter-from"
            name="from"
            type="date"
            className={inputClassName}
            defaultValue={filter.values.from}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="filter-to" className="text-sm font-medium">
            To
          </label>
          <input
            id="filter-to"
            name="to"
            type="date"
            className={inputClassName}
            defaultValue={filter.values.to}
          />
        </div>
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-6">
          <button
            type="submit"
            className="rounded-md bg-blue-700 px-3 py-2 text-sm font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600"
          >
            Filter
          </button>
          {filtered ? (
            <Link href="/history" className="text-sm text-blue-700 underline dark:text-blue-300">
              Clear filters
            </Link>
          ) : null}
          <a
            href={`/api/jobs/export${filterQuery ? `?${filterQuery}` : ''}`}
            className="ml-auto text-sm text-blue-700 underline dark:text-blue-300"
          >
            Export {filtered ? 'these jobs' : 'all jobs'} as CSV
          </a>
        </div>
      </form>

      {filter.problems.length > 0 ? (
        <Alert tone="warning" role="alert" title="Some filters were ignored">
          {filter.problems.join('. ')}.
        </Alert>
      ) : null}

      {jobs.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 px-4 py-8 text-center text-slate-700 dark:border-slate-700 dark:text-slate-300">
          {filtered ? (
            <>
              No job matches these filters.{' '}
              <Link href="/history" className="text-blue-700 underline dark:text-blue-300">
                Clear them
              </Link>{' '}
              to see every job.
            </>
          ) : (
            <>
              No roam job yet.{' '}
              <Link href="/" className="text-blue-700 underline dark:text-blue-300">
                Start one
              </Link>{' '}
              and it will be listed here.
            </>
          )}
        </p>
      ) : (
        <DataTable
          caption="Roam jobs, newest first"
          columns={['Started (UTC)', 'By', 'From → to', 'Status', 'Results']}
          minWidth="48rem"
        >
          {jobs.map((job) => (
            <tr key={job.id} className={rowClassName}>
              <td className="px-3 py-2 whitespace-nowrap">
                <Link href={`/history/${job.id}`} className="text-blue-700 underline dark:text-blue-300">
                  {formatTime(job.createdAt)}
                </Link>
              </td>
              <td className="px-3 py-2 break-all">{job.createdBy}</td>
              <td className="px-3 py-2">
                <span className="block">
                  {job.originRegionId} <span className="font-mono break-all">{job.originInstanceId}</span>
                </span>
                <span className="block">
                  → {job.targetRegionId} <span className="font-mono break-all">{job.targetInstanceId}</span>
                </span>
              </td>
              <td className="px-3 py-2">{job.status === 'completed' ? 'Completed' : 'Running'}</td>
              <td className="px-3 py-2 whitespace-nowrap">
                {job.counts.succeeded} succeeded, {job.counts.failed} failed
                {job.counts.unknown ? `, ${job.counts.unknown} unknown` : ''}
                {job.counts.inProgress ? `, ${job.counts.inProgress} in progress` : ''} of {job.counts.total}
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      {pageCount > 1 ? (
        <nav aria-label="History pages" className="flex items-center gap-3 text-sm">
          {filter.page > 1 ? (
            <Link
              href={`/history?${historyQueryString(filter.values, { page: String(filter.page - 1) })}`}
              className="text-blue-700 underline dark:text-blue-300"
            >
              Newer
            </Link>
          ) : null}
          <span>
            Page {filter.page} of {pageCount} ({total} jobs)
          </span>
          {filter.page < pageCount ? (
            <Link
              href={`/history?${historyQueryString(filter.values, { page: String(filter.page + 1) })}`}
              className="text-blue-700 underline dark:text-blue-300"
            >
              Older
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
