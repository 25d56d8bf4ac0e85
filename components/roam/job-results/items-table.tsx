'use client';

import { useDeferredValue, useId, useMemo, useState } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { DataTable, stackedCellClassName, stackedRowClassName } from '@/components/ui/data-table';
import { inputClassName } from '@/components/ui/field';
import {
  countByState,
  filterItems,
  type ItemFilter,
  PAGE_SIZES,
  type PageSize,
  pageOf,
  RESULT_STATE_ORDER,
  RESULT_STATES,
  statusLabel,
  statusNotes,
  statusTone,
} from '@/lib/roam/job-results';
import type { JobItemView, JobView } from '@/lib/roam/view-models';

/**
 * Every username's result, a page at a time (a 2,000-item job renders one page of rows, not 2,000), filtered by
 * state and searched by a part of the username. Filter, search and page are the reader's and survive polls;
 * a page beyond the end after the list shrank shows the last one.
 */
export function ItemsTable({
  job,
  headingLevel = 3,
}: {
  job: JobView;
  /** One below the job's title: 2 on the job page (its title is the h1), 3 under the roam form. */
  headingLevel?: 2 | 3;
}) {
  const { t, locale } = useI18n();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const ids = useId();
  const [filter, setFilter] = useState<ItemFilter>({ state: 'all', search: '' });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState<PageSize>(PAGE_SIZES[0]);
  // Typing stays quick on a big job: the list follows the search box a moment later.
  const search = useDeferredValue(filter.search);
  const counts = useMemo(() => countByState(job.items), [job.items]);
  const matching = useMemo(
    () => filterItems(job.items, { state: filter.state, search }),
    [job.items, filter.state, search],
  );
  const shown = pageOf(matching, page, pageSize);
  const filtered = filter.state !== 'all' || search.trim() !== '';
  const change = (next: Partial<ItemFilter>) => {
    setFilter({ ...filter, ...next });
    setPage(1);
  };
  const number = (value: number) => value.toLocaleString(locale);

  return (
    <section aria-labelledby={`${ids}-title`} className="flex flex-col gap-3">
      <Heading id={`${ids}-title`} className="text-base font-semibold">
        {t('jobResults.itemsTitle')}
      </Heading>
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${ids}-state`} className="text-sm font-medium">
            {t('jobResults.filterState')}
          </label>
          <select
            id={`${ids}-state`}
            className={inputClassName}
            value={filter.state}
            onChange={(event) => change({ state: event.target.value as ItemFilter['state'] })}
          >
            <option value="all">{t('jobResults.filterAll', { count: number(job.items.length) })}</option>
            {RESULT_STATE_ORDER.filter((state) => counts[state] > 0 || state === filter.state).map(
              (state) => (
                <option key={state} value={state}>
                  {t('jobResults.filterOption', {
                    state: t(RESULT_STATES[state].label),
                    count: number(counts[state]),
                  })}
                </option>
              ),
            )}
          </select>
        </div>
        <div className="flex min-w-48 flex-1 flex-col gap-1">
          <label htmlFor={`${ids}-search`} className="text-sm font-medium">
            {t('jobResults.search')}
          </label>
          <input
            id={`${ids}-search`}
            type="search"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClassName} font-mono`}
            value={filter.search}
            onChange={(event) => change({ search: event.target.value })}
          />
        </div>
        {job.items.length > PAGE_SIZES[0] ? (
          <div className="flex flex-col gap-1">
            <label htmlFor={`${ids}-size`} className="text-sm font-medium">
              {t('jobResults.pageSize')}
            </label>
            <select
              id={`${ids}-size`}
              className={inputClassName}
              value={pageSize}
              onChange={(event) => {
                setPageSize(Number(event.target.value) as PageSize);
                setPage(1);
              }}
            >
              {PAGE_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
        <p role="status" aria-live="polite">
          {shown.total === 0
            ? t('jobResults.noMatch')
            : t(filtered ? 'jobResults.showingFiltered' : 'jobResults.showing', {
                from: number(shown.from),
                to: number(shown.to),
                count: shown.total,
                total: number(job.items.length),
              })}
        </p>
        {filtered ? (
          <button
            type="button"
            onClick={() => change({ state: 'all', search: '' })}
            className="rounded px-1 font-medium text-blue-700 underline hover:bg-blue-50 focus-visible:outline-2 focus-visible:outline-blue-600 dark:text-blue-300 dark:hover:bg-slate-800"
          >
            {t('jobResults.showAll')}
          </button>
        ) : null}
      </div>
      {shown.items.length > 0 ? (
        <DataTable
          caption={t('job.tableCaption')}
          columns={[
            t('job.columnUsername'),
            // Never narrower than its widest badge: a status word (失败, 状态) is never broken.
            { label: t('job.columnStatus'), className: 'whitespace-nowrap' },
            t('job.columnResult'),
          ]}
          minWidthClass="sm:min-w-[36rem]"
          stacked
        >
          {shown.items.map((item) => (
            <ItemRow key={item.username} job={job} item={item} />
          ))}
        </DataTable>
      ) : null}
      {shown.pageCount > 1 ? (
        <nav aria-label={t('jobResults.pages')} className="flex flex-wrap items-center gap-3 text-sm">
          <Button variant="secondary" disabled={shown.page <= 1} onClick={() => setPage(shown.page - 1)}>
            {t('jobResults.previous')}
          </Button>
          <span>{t('jobResults.pageOf', { page: shown.page, pages: shown.pageCount })}</span>
          <Button
            variant="secondary"
            disabled={shown.page >= shown.pageCount}
            onClick={() => setPage(shown.page + 1)}
          >
            {t('jobResults.next')}
          </Button>
        </nav>
      ) : null}
    </section>
  );
}

function ItemRow({ job, item }: { job: JobView; item: JobItemView }) {
  const { t } = useI18n();
  return (
    <tr className={stackedRowClassName}>
      {/* An e-mail-like username stays whole while the column has room, and breaks only when longer than it. */}
      <td className={`${stackedCellClassName} font-mono font-medium break-words`}>{item.username}</td>
      <td className={stackedCellClassName}>
        <span className="inline-block whitespace-nowrap">
          <Badge tone={statusTone(item)} size="sm">
            {statusLabel(t, job, item)}
          </Badge>
        </span>
        {statusNotes(t, job, item).map((note) => (
          <span key={note} className="mt-0.5 block min-w-32 text-xs text-slate-600 dark:text-slate-400">
            {note}
          </span>
        ))}
      </td>
      <td className={stackedCellClassName}>
        {item.requestId ? (
          <span className="flex flex-wrap items-center gap-1">
            <span className="text-xs text-slate-600 dark:text-slate-400">{t('job.requestId')}</span>
            <code className="text-xs [overflow-wrap:anywhere]">{item.requestId}</code>
            <CopyButton value={item.requestId} label={t('job.copyRequestId', { username: item.username })} />
          </span>
        ) : null}
        {item.error ? (
          // The fix is shown once for all the items of this error, in the groups above.
          <div className="text-sm">
            <p className="font-medium text-red-800 dark:text-red-300">{item.error.title}</p>
            <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
              <code className="break-words">{item.error.code}</code>
              {item.error.requestId ? (
                <>
                  {' · '}
                  {t('job.requestId')}{' '}
                  <code className="[overflow-wrap:anywhere]">{item.error.requestId}</code>{' '}
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
