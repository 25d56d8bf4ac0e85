'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { Button } from '@/components/ui/button';
import { inputClassName } from '@/components/ui/field';
import { allClientUsersQuery, clientUsersQuery } from '@/lib/query/client-users';
import { ApiError } from '@/lib/query/options';

/**
 * Pick usernames from the origin instance's client accounts: search, page through them, tick some, or add
 * every account that matches the search to the list (straight away: "Add all … to the list" says so).
 */
export function ClientUserPicker({
  regionId,
  instanceId,
  chosen,
  onAdd,
}: {
  regionId: string;
  instanceId: string;
  chosen: ReadonlySet<string>;
  onAdd: (usernames: string[]) => void;
}) {
  const { t } = useI18n();
  const searchId = useId();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [addingAll, setAddingAll] = useState(false);
  const [allError, setAllError] = useState<string | null>(null);
  const users = useQuery(clientUsersQuery(regionId, instanceId, search, page));

  if (!regionId || !instanceId) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">{t('picker.chooseOrigin')}</p>;
  }

  const pageCount = users.data ? Math.max(1, Math.ceil(users.data.totalCount / users.data.pageSize)) : 1;

  const addAllMatching = async () => {
    setAddingAll(true);
    setAllError(null);
    try {
      const all = await queryClient.fetchQuery(allClientUsersQuery(regionId, instanceId, search));
      onAdd(all.users.map((user) => user.userName));
    } catch (error) {
      setAllError(
        error instanceof ApiError ? `${error.view.title} (${error.view.code})` : t('picker.loadFailed'),
      );
    } finally {
      setAddingAll(false);
    }
  };

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex min-w-48 flex-1 flex-col gap-1">
          <label htmlFor={searchId} className="text-sm font-medium">
            {t('picker.search', { instance: instanceId })}
          </label>
          <input
            id={searchId}
            type="search"
            className={inputClassName}
            value={search}
            placeholder={t('picker.searchPlaceholder')}
            onChange={(event) => {
              setSearch(event.target.value);
              setPage(1);
            }}
          />
        </div>
        <Button variant="secondary" onClick={addAllMatching} disabled={addingAll || !users.data?.totalCount}>
          {addingAll
            ? t('picker.adding')
            : users.data
              ? t('picker.addAllMatching', { count: users.data.totalCount })
              : t('picker.addAllMatchingPlain')}
        </Button>
      </div>
      {allError ? <p className="text-sm text-red-700 dark:text-red-400">{allError}</p> : null}
      {users.isPending ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('picker.loading')}</p>
      ) : users.isError ? (
        <p className="text-sm text-red-700 dark:text-red-400">
          {users.error instanceof ApiError
            ? `${users.error.view.title} (${users.error.view.code}). ${users.error.view.fix}`
            : t('picker.failed')}{' '}
          {t('picker.stillPaste')}
        </p>
      ) : users.data.users.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {search
            ? t('picker.noMatch', { instance: instanceId, search })
            : t('picker.noAccounts', { instance: instanceId })}
        </p>
      ) : (
        <fieldset>
          <legend className="sr-only">{t('picker.pageLegend', { page })}</legend>
          <ul className="max-h-64 divide-y divide-slate-200 overflow-auto rounded-md border border-slate-200 dark:divide-slate-700 dark:border-slate-700">
            {users.data.users.map((user) => {
              const already = chosen.has(user.userName);
              return (
                <li key={user.userName} className="flex items-center gap-3 px-3 py-2 text-sm">
                  <input
                    type="checkbox"
                    id={`${searchId}-${user.userName}`}
                    checked={already || ticked.has(user.userName)}
                    disabled={already}
                    onChange={(event) => {
                      const next = new Set(ticked);
                      if (event.target.checked) next.add(user.userName);
                      else next.delete(user.userName);
                      setTicked(next);
                    }}
                    className="size-4"
                  />
                  <label htmlFor={`${searchId}-${user.userName}`} className="min-w-0 flex-1">
                    <span className="block truncate font-mono">{user.userName}</span>
                    <span className="block truncate text-xs text-slate-600 dark:text-slate-400">
                      {[user.userMail, user.clientIp, user.state === 'disabled' ? t('picker.disabled') : '']
                        .filter(Boolean)
                        .join(' · ')}
                      {already ? ` · ${t('picker.alreadyListed')}` : ''}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
        </fieldset>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <nav aria-label={t('picker.pages')} className="flex items-center gap-2 text-sm">
          <Button variant="secondary" onClick={() => setPage((current) => current - 1)} disabled={page <= 1}>
            {t('picker.previous')}
          </Button>
          <span>{t('picker.pageOf', { page, pages: pageCount })}</span>
          <Button
            variant="secondary"
            onClick={() => setPage((current) => current + 1)}
            disabled={page >= pageCount}
          >
            {t('picker.next')}
          </Button>
        </nav>
        <Button
          onClick={() => {
            onAdd([...ticked]);
            setTicked(new Set());
          }}
          disabled={ticked.size === 0}
        >
          {ticked.size > 0 ? t('picker.addSelectedCount', { count: ticked.size }) : t('picker.addSelected')}
        </Button>
      </div>
    </div>
  );
}
