import type { Metadata } from 'next';
import Link from 'next/link';
import { InstanceLabel } from '@/components/roam/instance-label';
import { JobOutcomeBadge } from '@/components/roam/job-results/outcome-badge';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { buttonClassName } from '@/components/ui/button';
import { DataTable, stackedCellClassName, stackedRowClassName } from '@/components/ui/data-table';
import { Field, fieldControlProps, inputClassName } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { linkClassName, mutedTextClassName, panelClassName } from '@/components/ui/styles';
import { requirePageUser } from '@/lib/auth/guard';
import { type JobSummary, listJobs } from '@/lib/db/jobs';
import type { Locale } from '@/lib/i18n/locales';
import { getI18n } from '@/lib/i18n/server';
import { formatDateTime, type Translate } from '@/lib/i18n/translate';
import { type HistoryFilter, historyQueryString, parseHistoryFilter } from '@/lib/roam/history-filter';
import { ITEM_STATUSES } from '@/lib/roam/lifecycle';
import { getRuntime } from '@/lib/runtime';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('history.title') };
}
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 20;

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
  const ignoredFields = Object.keys(filter.fieldProblems).filter((field) => field !== 'page');

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t('history.title')} />
      <FilterForm filter={filter} t={t} filtered={filtered} filterQuery={filterQuery} />

      {filter.problems.length > 0 ? (
        <Alert tone="warning" role="alert" title={t('history.ignored')}>
          {filter.fieldProblems.page ? <p>{filter.fieldProblems.page}</p> : null}
          {ignoredFields.length > 0 ? <p>{t('history.ignoredHint')}</p> : null}
        </Alert>
      ) : null}

      {jobs.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 px-4 py-8 text-center text-slate-700 dark:border-slate-700 dark:text-slate-300">
          {filtered ? (
            <>
              {t('history.noMatch')}{' '}
              <Link href="/history" className={linkClassName}>
                {t('history.clearThem')}
              </Link>{' '}
              {t('history.toSeeAll')}
            </>
          ) : (
            <>
              {t('history.empty')}{' '}
              <Link href="/" className={linkClassName}>
                {t('history.startOne')}
              </Link>{' '}
              {t('history.willBeListed')}
            </>
          )}
        </p>
      ) : (
        // On a phone each job is a block, its cells one under the other, so no column is cut off; from 640 px a
        // table, most telling columns first, that scrolls in its own frame when the screen is narrower than it.
        <DataTable
          caption={t('history.caption')}
          columns={[
            { label: t('history.columnStarted'), className: 'whitespace-nowrap' },
            { label: t('history.columnStatus'), className: 'whitespace-nowrap' },
            { label: t('history.columnRoute') },
            { label: t('history.columnResults') },
            { label: t('history.columnBy') },
          ]}
          minWidthClass="min-w-[52rem]"
          stacked
        >
          {jobs.map((job) => (
            <HistoryRow key={job.id} job={job} t={t} locale={locale} />
          ))}
        </DataTable>
      )}

      {pageCount > 1 ? (
        <nav aria-label={t('history.pages')} className="flex flex-wrap items-center gap-3 text-sm">
          {filter.page > 1 ? (
            <Link
              href={`/history?${historyQueryString(filter.values, { page: String(filter.page - 1) })}`}
              className={linkClassName}
            >
              {t('history.newer')}
            </Link>
          ) : null}
          <span>{t('history.pageOf', { page: filter.page, pages: pageCount, total })}</span>
          {filter.page < pageCount ? (
            <Link
              href={`/history?${historyQueryString(filter.values, { page: String(filter.page + 1) })}`}
              className={linkClassName}
            >
              {t('history.older')}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

/**
 * The filters, each showing what was asked for: an ignored value stays in its field (a date that is not one
 * in a text field, as a date field would drop it), with the reason under it; a choice that a list cannot show
 * is named in its reason.
 */
function FilterForm({
  filter,
  t,
  filtered,
  filterQuery,
}: {
  filter: HistoryFilter;
  t: Translate;
  filtered: boolean;
  filterQuery: string;
}) {
  const { entered, fieldProblems } = filter;
  const ignoredChoice = (field: 'status' | 'item' | 'failures') => {
    const reason = fieldProblems[field];
    return reason ? t('history.ignoredValue', { value: entered[field], reason }) : undefined;
  };
  const statusError = ignoredChoice('status');
  const itemError = ignoredChoice('item');
  const failuresError = ignoredChoice('failures');
  return (
    <form
      method="get"
      aria-label={t('history.filters')}
      className={`grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-4 ${panelClassName}`}
    >
      <Field id="filter-username" label={t('history.username')} error={fieldProblems.username}>
        <input
          {...fieldControlProps('filter-username', fieldProblems.username)}
          name="username"
          className={inputClassName}
          defaultValue={entered.username}
        />
      </Field>
      <Field
        id="filter-instance"
        label={t('history.instance')}
        hint={t('history.instanceHint')}
        error={fieldProblems.instance}
      >
        <input
          {...fieldControlProps('filter-instance', fieldProblems.instance, true)}
          name="instance"
          className={inputClassName}
          defaultValue={entered.instance}
        />
      </Field>
      <Field id="filter-status" label={t('history.status')} error={statusError}>
        <select
          {...fieldControlProps('filter-status', statusError)}
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
      <Field id="filter-item" label={t('history.item')} error={itemError}>
        <select
          {...fieldControlProps('filter-item', itemError)}
          name="item"
          className={inputClassName}
          defaultValue={filter.values.item}
        >
          <option value="">{t('history.itemAny')}</option>
          {ITEM_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`job.status.${status}`)}
            </option>
          ))}
        </select>
      </Field>
      {(['from', 'to'] as const).map((bound) => {
        const error = fieldProblems[bound];
        return (
          <Field key={bound} id={`filter-${bound}`} label={t(`history.${bound}`)} error={error}>
            <input
              {...fieldControlProps(`filter-${bound}`, error)}
              name={bound}
              type={error ? 'text' : 'date'}
              placeholder={error ? 'YYYY-MM-DD' : undefined}
              className={inputClassName}
              defaultValue={entered[bound]}
            />
          </Field>
        );
      })}
      <div className="flex min-w-0 flex-col gap-1 sm:col-span-2 lg:self-end">
        <label
          htmlFor="filter-failures"
          className="flex items-center gap-2 text-sm font-medium text-slate-800 dark:text-slate-200"
        >
          <input
            {...fieldControlProps('filter-failures', failuresError, true)}
            type="checkbox"
            name="failures"
            value="1"
            defaultChecked={filter.failures}
            className="size-4 accent-blue-700 dark:accent-blue-400"
          />
          {t('history.failures')}
        </label>
        {failuresError ? (
          <p id="filter-failures-error" className="text-sm font-medium text-red-700 dark:text-red-400">
            {failuresError}
          </p>
        ) : (
          <p id="filter-failures-hint" className={`text-xs ${mutedTextClassName}`}>
            {t('history.failuresHint')}
          </p>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-4">
        <button type="submit" className={buttonClassName('primary')}>
          {t('history.filter')}
        </button>
        {filtered ? (
          <Link href="/history" className={`text-sm ${linkClassName}`}>
            {t('history.clear')}
          </Link>
        ) : null}
        <a
          href={`/api/jobs/export${filtered ? `?${filterQuery}` : ''}`}
          className={`ml-auto text-sm ${linkClassName}`}
        >
          {filtered ? t('history.exportFiltered') : t('history.exportAll')}
        </a>
      </div>
    </form>
  );
}

function HistoryRow({ job, t, locale }: { job: JobSummary; t: Translate; locale: Locale }) {
  const { counts } = job;
  const parts = [t('job.partSucceeded', { count: counts.succeeded })];
  if (counts.alreadyPresent) parts.push(t('job.partAlreadyPresent', { count: counts.alreadyPresent }));
  if (counts.cancelled) parts.push(t('job.partCancelled', { count: counts.cancelled }));
  if (counts.inProgress) parts.push(t('job.partInProgress', { count: counts.inProgress }));
  // What went wrong is marked, in words and colour, not left in the running text.
  const failures = [
    { count: counts.failed, label: t('job.partFailed', { count: counts.failed }), tone: 'danger' as const },
    {
      count: counts.notSent,
      label: t('job.partNotSent', { count: counts.notSent }),
      tone: 'danger' as const,
    },
    {
      count: counts.unknown,
      label: t('job.partUnknown', { count: counts.unknown }),
      tone: 'warning' as const,
    },
  ].filter((failure) => failure.count > 0);
  return (
    <tr className={stackedRowClassName}>
      <td className={`${stackedCellClassName} whitespace-nowrap`}>
        <Link href={`/history/${job.id}`} className={`font-medium ${linkClassName}`}>
          {formatDateTime(locale, job.createdAt)}
        </Link>
      </td>
      <td className={stackedCellClassName}>
        {/* How the job went, not only whether it ended: a job with failures never reads as a success. */}
        <span className="inline-block whitespace-nowrap">
          <JobOutcomeBadge job={job} t={t} />
        </span>
      </td>
      <td className={`${stackedCellClassName} min-w-0`}>
        {job.kind === 'undo' && job.undoesJobId ? (
          <span className="block font-medium">
            {t('history.undoOf')}{' '}
            <Link href={`/history/${job.undoesJobId}`} className={`font-mono ${linkClassName}`}>
              {job.undoesJobId.slice(0, 8)}
            </Link>
          </span>
        ) : null}
        <span className="block">
          <InstanceLabel
            instanceId={job.originInstanceId}
            name={job.originInstanceName}
            regionId={job.originRegionId}
            t={t}
          />
        </span>
        <span className="flex items-baseline gap-1.5">
          <span className={mutedTextClassName}>→</span>{' '}
          <InstanceLabel
            instanceId={job.targetInstanceId}
            name={job.targetInstanceName}
            regionId={job.targetRegionId}
            t={t}
          />
        </span>
      </td>
      <td className={stackedCellClassName}>
        <span className="block font-medium whitespace-nowrap">
          {t('history.usernameCount', { count: counts.total })}
        </span>
        <span className={`block ${mutedTextClassName}`}>{parts.join(t('job.partSeparator'))}</span>
        {failures.length > 0 ? (
          <span className="mt-1 flex flex-wrap gap-1">
            {failures.map((failure) => (
              <Badge key={failure.label} tone={failure.tone} size="sm">
                {failure.label}
              </Badge>
            ))}
          </span>
        ) : null}
      </td>
      {/* An e-mail stays whole while the table has room (it scrolls in its frame), and breaks only on a phone. */}
      <td className={`${stackedCellClassName} break-words`}>
        <span className="max-sm:hidden">{job.createdBy}</span>
        <span className={`sm:hidden ${mutedTextClassName}`}>
          {t('history.byOnPhone', { email: job.createdBy })}
        </span>
      </td>
    </tr>
  );
}
