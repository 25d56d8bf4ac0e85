'use client';

import { type Ref, useEffect, useId, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useI18n } from '@/components/i18n/i18n-provider';
import { onDemand } from '@/components/on-demand';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { inputClassName } from '@/components/ui/field';
import { focusRingClassName } from '@/components/ui/styles';
import { usernameProblem } from '@/lib/roam/username-rules';
import { listWithMore, mergeUsernames, parseUsernames, usernamesFromFile } from '@/lib/roam/usernames';

// Loaded when the admin opens "Pick from origin".
const ClientUserPicker = onDemand(() => import('./client-user-picker')).component(
  (module) => module.ClientUserPicker,
);

type Source = 'paste' | 'pick' | 'file';

/** What the form does with the list besides its value (see roam-form.tsx). */
export interface UsernameInputHandle {
  /** Adds what is typed in the paste box to the list (as "Add to list" would, with its notice) and clears the box;
   *  returns the resulting list, or null when the box was empty (list unchanged). */
  addPending(): string[] | null;
  /** Moves focus to the first invalid or repeated entry of the list (scrolling it into view; if it is not rendered
   *  because of paging, make it rendered first); returns false when there is none (then the caller focuses the list). */
  focusFirstProblem(): boolean;
  /** Focus the list itself (its summary/count line), for list-level errors such as "at least one" or "too many". */
  focus(): void;
}

/**
 * How many entries are rendered at first and added by each "Show more". A list of thousands stays smooth by
 * rendering a bounded number of rows (paging rather than virtualising: rows differ in height, names wrap, and
 * find-in-page still works on what is shown). Problems stay findable: "Show only the problems" lists the invalid
 * and repeated entries alone, the count line says how many there are, and focusing the first problem renders it.
 */
const ROWS_PER_STEP = 200;
/** At most this many column names are quoted when a file is refused. */
const COLUMNS_QUOTED = 8;
/** Names held for the next jobs outlive a reload of the tab (never another tab or the server). */
const HELD_STORAGE_KEY = 'sag-roam.held-usernames';

interface Entry {
  username: string;
  /** Its place in the list, which a removal and a focus use (a name may be in the list more than once). */
  index: number;
  /** Counts earlier entries of the same name: 0 for the first. */
  occurrence: number;
  problem: string | null;
}

function readHeld(): string[] {
  try {
    const stored: unknown = JSON.parse(window.sessionStorage.getItem(HELD_STORAGE_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((name): name is string => typeof name === 'string') : [];
  } catch {
    return [];
  }
}

function storeHeld(held: readonly string[]) {
  try {
    if (held.length === 0) window.sessionStorage.removeItem(HELD_STORAGE_KEY);
    else window.sessionStorage.setItem(HELD_STORAGE_KEY, JSON.stringify(held));
  } catch {
    // Storage refused (private mode, full): the names stay held for as long as the page is open.
  }
}

/**
 * Usernames from three sources that combine: pasted text, accounts picked from the origin instance, and a
 * CSV or text file. The list below shows the count, drops duplicates, and marks each invalid name with the
 * rule it breaks. A list over the limit of one job says so at once, with a way to keep the first part or to
 * split it into jobs: the names past the limit are then held here and loaded as the next list when wanted.
 */
export function UsernameInput({
  ref,
  id,
  value,
  onChange,
  error,
  maxUsernames,
  originRegionId,
  originInstanceId,
}: {
  ref?: Ref<UsernameInputHandle>;
  /** The paste box's id; `${id}-error` is the id of the field's error, which the form renders. */
  id: string;
  value: string[];
  onChange: (usernames: string[]) => void;
  error?: string;
  maxUsernames: number;
  originRegionId: string;
  originInstanceId: string;
}) {
  const { t } = useI18n();
  const fileId = useId();
  const [source, setSource] = useState<Source>('paste');
  const [pasted, setPasted] = useState('');
  const [notice, setNotice] = useState<{ text: string; tone: 'info' | 'error' }>({ text: '', tone: 'info' });
  const [heldNames, setHeldState] = useState<string[]>([]);
  const [rowsShown, setRowsShown] = useState(ROWS_PER_STEP);
  const [problemsOnlyChosen, setProblemsOnly] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);

  // Read after the first render: the server has no session storage, and the first render must match its HTML.
  useEffect(() => {
    const stored = readHeld();
    if (stored.length > 0) setHeldState(stored);
  }, []);
  const setHeld = (names: string[]) => {
    setHeldState(names);
    storeHeld(names);
  };

  const entries = useMemo<Entry[]>(() => {
    const seen = new Map<string, number>();
    return value.map((username, index) => {
      const occurrence = seen.get(username) ?? 0;
      seen.set(username, occurrence + 1);
      const problem = occurrence > 0 ? t('usernames.repeatedEntry') : usernameProblem(username, t);
      return { username, index, occurrence, problem };
    });
  }, [value, t]);
  const problems = useMemo(() => entries.filter((entry) => entry.problem), [entries]);
  const chosen = useMemo(() => new Set(value), [value]);
  const overLimit = value.length > maxUsernames;
  const problemsOnly = problemsOnlyChosen && problems.length > 0;
  const rows = problemsOnly ? problems : entries;
  const visibleRows = rows.slice(0, rowsShown);

  const say = (parts: (string | null | false)[], tone: 'info' | 'error' = 'info') =>
    setNotice({ text: parts.filter(Boolean).join(' '), tone });

  const add = (incoming: string[], from: string, invisibleRemoved = 0): string[] => {
    const merged = mergeUsernames(value, incoming);
    const added = merged.length - value.length;
    const skipped = incoming.length - added;
    onChange(merged);
    say([
      t('usernames.added', { count: added, source: from }),
      skipped > 0 && t('usernames.skipped', { count: skipped }),
      invisibleRemoved > 0 && t('usernames.invisibleRemoved', { count: invisibleRemoved }),
      merged.length > maxUsernames && t('usernames.overLimitNotice', { max: maxUsernames }),
    ]);
    return merged;
  };

  const addPasted = (): string[] | null => {
    if (pasted.trim() === '') return null;
    const parsed = parseUsernames(pasted);
    setPasted('');
    return add(parsed.usernames, t('usernames.fromPasted'), parsed.invisibleRemoved);
  };

  const focusEntry = (index: number) => {
    const element = listRef.current?.querySelector<HTMLElement>(`[data-entry-index="${index}"]`);
    if (!element) return false;
    element.scrollIntoView({ block: 'nearest' });
    element.focus({ preventScroll: true });
    return true;
  };

  useImperativeHandle(ref, () => ({
    addPending: addPasted,
    focusFirstProblem: () => {
      // Over the limit, the schema's message is about the list's size, so focus belongs to the list.
      const first = problems[0];
      if (!first || overLimit) return false;
      const position = problemsOnly ? 0 : first.index;
      if (position >= rowsShown) {
        flushSync(() => setRowsShown(Math.ceil((position + 1) / ROWS_PER_STEP) * ROWS_PER_STEP));
      }
      return focusEntry(first.index);
    },
    focus: () => summaryRef.current?.focus(),
  }));

  const keepFirst = () => {
    onChange(value.slice(0, maxUsernames));
    say([t('usernames.dropped', { count: value.length - maxUsernames, max: maxUsernames })]);
  };

  const split = () => {
    const rest = value.slice(maxUsernames);
    onChange(value.slice(0, maxUsernames));
    // Names past the limit come before names held from an earlier split: they were next in this list.
    setHeld(mergeUsernames(rest, heldNames));
    say([t('usernames.splitDone', { count: rest.length, max: maxUsernames })]);
  };

  const loadNext = () => {
    const next = heldNames.slice(0, maxUsernames);
    const rest = heldNames.slice(maxUsernames);
    onChange(next);
    setHeld(rest);
    setRowsShown(ROWS_PER_STEP);
    say([
      t('usernames.loadedNext', { count: next.length }),
      rest.length > 0 && t('usernames.held', { count: rest.length }),
    ]);
  };

  const tabs: { key: Source; label: string }[] = [
    { key: 'paste', label: t('usernames.paste') },
    { key: 'pick', label: t('usernames.pick') },
    { key: 'file', label: t('usernames.file') },
  ];

  const errorId = error ? `${id}-error` : undefined;
  const overLimitId = `${id}-over-limit`;

  return (
    <div className="flex flex-col gap-3">
      <fieldset className="flex flex-wrap gap-1">
        <legend className="sr-only">{t('usernames.ways')}</legend>
        {tabs.map((tab) => (
          <Button
            key={tab.key}
            variant={source === tab.key ? 'primary' : 'secondary'}
            aria-pressed={source === tab.key}
            onClick={() => setSource(tab.key)}
          >
            {tab.label}
          </Button>
        ))}
      </fieldset>

      {source === 'paste' ? (
        <div className="flex flex-col gap-2">
          <label htmlFor={id} className="text-sm font-medium">
            {t('usernames.pasteLabel')}
          </label>
          {/* Never marked invalid: the field's errors are about the list below, which carries them. */}
          <textarea
            id={id}
            aria-describedby={`${id}-paste-hint`}
            rows={4}
            className={`${inputClassName} font-mono`}
            value={pasted}
            onChange={(event) => setPasted(event.target.value)}
            placeholder={'alice.chen@example.com\nbob_wang01, carol.li'}
          />
          <p id={`${id}-paste-hint`} className="text-xs text-slate-600 dark:text-slate-400">
            {t('usernames.pasteHint')}
          </p>
          <div>
            <Button variant="secondary" disabled={pasted.trim() === ''} onClick={addPasted}>
              {t('usernames.addToList')}
            </Button>
          </div>
        </div>
      ) : null}

      {source === 'pick' ? (
        <ClientUserPicker
          regionId={originRegionId}
          instanceId={originInstanceId}
          chosen={chosen}
          onAdd={(usernames) => add(usernames, t('usernames.fromOrigin'))}
        />
      ) : null}

      {source === 'file' ? (
        <div className="flex flex-col gap-1">
          <label htmlFor={fileId} className="text-sm font-medium">
            {t('usernames.fileLabel')}
          </label>
          <input
            id={fileId}
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            className="text-sm"
            onChange={async (event) => {
              const input = event.target;
              const file = input.files?.[0];
              // Cleared at once, so that choosing the same file again (after fixing it) is a change too.
              input.value = '';
              if (!file) return;
              if (file.size > 2 * 1024 * 1024) {
                say([t('usernames.fileTooLarge', { file: file.name })], 'error');
                return;
              }
              const result = usernamesFromFile(await file.text());
              if (result.kind === 'no-username-column') {
                say(
                  [
                    t('usernames.noUsernameColumn', {
                      count: result.columns.length,
                      columns: listWithMore(result.columns, COLUMNS_QUOTED, t),
                    }),
                  ],
                  'error',
                );
                return;
              }
              add(result.usernames, file.name, result.invisibleRemoved);
            }}
          />
          <p className="text-xs text-slate-600 dark:text-slate-400">{t('usernames.fileHint')}</p>
        </div>
      ) : null}

      <p
        role="status"
        aria-live="polite"
        className={`text-sm ${notice.tone === 'error' ? 'font-medium text-red-700 dark:text-red-400' : 'text-slate-700 dark:text-slate-300'}`}
      >
        {notice.text}
      </p>

      {overLimit ? (
        <Alert
          id={overLimitId}
          tone="warning"
          actions={
            <>
              <Button variant="secondary" size="sm" onClick={keepFirst}>
                {t('usernames.keepFirst', { max: maxUsernames })}
              </Button>
              <Button variant="secondary" size="sm" onClick={split}>
                {t('usernames.splitJobs', { max: maxUsernames })}
              </Button>
            </>
          }
        >
          {t('usernames.overLimit', { count: value.length, max: maxUsernames })}
        </Alert>
      ) : null}

      {heldNames.length > 0 ? (
        <Alert
          tone="info"
          title={t('usernames.held', { count: heldNames.length })}
          actions={
            <>
              <Button variant="secondary" size="sm" onClick={loadNext}>
                {t('usernames.loadNext', { count: Math.min(heldNames.length, maxUsernames) })}
              </Button>
              <Button
                variant="ghost"
                size="sm"
                onClick={() => {
                  setHeld([]);
                  say([t('usernames.heldCleared')]);
                }}
              >
                {t('usernames.clearHeld')}
              </Button>
            </>
          }
        >
          {t('usernames.heldHint')}
        </Alert>
      ) : null}

      <div
        className={`rounded-md border ${error ? 'border-red-600 dark:border-red-500' : 'border-slate-200 dark:border-slate-700'}`}
      >
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-3 py-2 text-sm dark:border-slate-700">
          {/* The list's summary: where focus goes for an error about the whole list, which it points to. */}
          <p
            id={`${id}-count`}
            ref={summaryRef}
            tabIndex={-1}
            aria-describedby={
              [errorId, overLimit ? overLimitId : undefined].filter(Boolean).join(' ') || undefined
            }
            className={`rounded-sm ${focusRingClassName}`}
          >
            <strong>{t('usernames.count', { count: value.length })}</strong>
            {/* The space before the limit is in the message: Chinese puts none before its full-width brackets. */}
            {problems.length > 0 ? t('usernames.invalidCount', { count: problems.length }) : ''}
            {t('usernames.atMost', { max: maxUsernames })}
          </p>
          <span className="flex flex-wrap gap-1">
            {problems.length > 0 ? (
              <Button
                variant="ghost"
                aria-pressed={problemsOnly}
                onClick={() => {
                  setProblemsOnly(!problemsOnly);
                  setRowsShown(ROWS_PER_STEP);
                }}
              >
                {t('usernames.invalidOnly', { count: problems.length })}
              </Button>
            ) : null}
            {problems.length > 0 ? (
              <Button
                variant="ghost"
                onClick={() =>
                  onChange(entries.filter((entry) => !entry.problem).map((entry) => entry.username))
                }
              >
                {t('usernames.removeInvalid', { count: problems.length })}
              </Button>
            ) : null}
            {value.length > 0 ? (
              <Button variant="ghost" onClick={() => onChange([])}>
                {t('usernames.clearAll')}
              </Button>
            ) : null}
          </span>
        </div>
        {value.length === 0 ? (
          <p className="px-3 py-4 text-sm text-slate-600 dark:text-slate-400">{t('usernames.empty')}</p>
        ) : (
          <>
            <ul
              ref={listRef}
              aria-label={t('usernames.listLabel')}
              className="max-h-72 overflow-auto text-sm"
            >
              {visibleRows.map((entry) => (
                <li
                  key={`${entry.username}\u0000${entry.occurrence}`}
                  data-entry-index={entry.index}
                  tabIndex={entry.problem ? -1 : undefined}
                  className={`flex items-start justify-between gap-2 border-b border-slate-100 px-3 py-1.5 last:border-b-0 focus:outline-2 focus:-outline-offset-2 focus:outline-blue-600 dark:border-slate-800 dark:focus:outline-blue-400`}
                >
                  <span className="min-w-0">
                    <span className="block break-all font-mono">{entry.username}</span>
                    {entry.problem ? (
                      <span className="block text-xs text-red-700 dark:text-red-400">
                        {t('usernames.invalid', { problem: entry.problem })}
                      </span>
                    ) : null}
                  </span>
                  <button
                    type="button"
                    aria-label={t('usernames.remove', { username: entry.username })}
                    className="shrink-0 rounded px-1.5 text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:text-slate-300 dark:hover:bg-slate-800"
                    onClick={() => onChange(value.filter((_, index) => index !== entry.index))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
            {rows.length > visibleRows.length ? (
              <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 px-3 py-2 text-sm dark:border-slate-700">
                <span>{t('usernames.showing', { shown: visibleRows.length, total: rows.length })}</span>
                <Button
                  variant="ghost"
                  size="sm"
                  onClick={() => setRowsShown((shown) => shown + ROWS_PER_STEP)}
                >
                  {t('usernames.showMore', {
                    count: Math.min(ROWS_PER_STEP, rows.length - visibleRows.length),
                  })}
                </Button>
              </div>
            ) : null}
          </>
        )}
      </div>
    </div>
  );
}
