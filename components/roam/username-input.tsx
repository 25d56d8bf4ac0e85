'use client';

import { useId, useMemo, useState } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { onDemand } from '@/components/on-demand';
import { Button } from '@/components/ui/button';
import { inputClassName } from '@/components/ui/field';
import { checkUsernames, mergeUsernames, splitUsernames, usernamesFromFile } from '@/lib/roam/usernames';

// Loaded when the admin opens "Pick from origin".
const ClientUserPicker = onDemand(() => import('./client-user-picker')).component(
  (module) => module.ClientUserPicker,
);

type Source = 'paste' | 'pick' | 'file';

/**
 * Usernames from three sources that combine: pasted text, accounts picked from the origin instance, and a
 * CSV or text file. The list below shows the count, drops duplicates, and marks each invalid name with the
 * rule it breaks.
 */
export function UsernameInput({
  id,
  value,
  onChange,
  error,
  maxUsernames,
  originRegionId,
  originInstanceId,
}: {
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
  const [notice, setNotice] = useState('');
  const checked = useMemo(() => checkUsernames(value, t), [value, t]);
  const invalidCount = checked.filter((entry) => entry.problem).length;
  const chosen = useMemo(() => new Set(value), [value]);

  const add = (incoming: string[], from: string) => {
    const merged = mergeUsernames(value, incoming);
    const added = merged.length - value.length;
    const skipped = incoming.length - added;
    onChange(merged);
    const addedText = t('usernames.added', { count: added, source: from });
    setNotice(skipped > 0 ? `${addedText} ${t('usernames.skipped', { count: skipped })}` : addedText);
  };

  const tabs: { key: Source; label: string }[] = [
    { key: 'paste', label: t('usernames.paste') },
    { key: 'pick', label: t('usernames.pick') },
    { key: 'file', label: t('usernames.file') },
  ];

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
          <textarea
            id={id}
            aria-describedby={`${id}-paste-hint${error ? ` ${id}-error` : ''}`}
            aria-invalid={error ? true : undefined}
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
            <Button
              variant="secondary"
              disabled={pasted.trim() === ''}
              onClick={() => {
                add(splitUsernames(pasted), t('usernames.fromPasted'));
                setPasted('');
              }}
            >
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
              const file = event.target.files?.[0];
              if (!file) return;
              if (file.size > 2 * 1024 * 1024) {
                setNotice(t('usernames.fileTooLarge', { file: file.name }));
                return;
              }
              add(usernamesFromFile(await file.text()), file.name);
              event.target.value = '';
            }}
          />
          <p className="text-xs text-slate-600 dark:text-slate-400">{t('usernames.fileHint')}</p>
        </div>
      ) : null}

      <p role="status" aria-live="polite" className="text-sm text-slate-700 dark:text-slate-300">
        {notice}
      </p>

      <div className="rounded-md border border-slate-200 dark:border-slate-700">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-3 py-2 text-sm dark:border-slate-700">
          <span id={`${id}-count`}>
            <strong>{t('usernames.count', { count: value.length })}</strong>
            {invalidCount > 0 ? t('usernames.invalidCount', { count: invalidCount }) : ''}{' '}
            {t('usernames.atMost', { max: maxUsernames })}
          </span>
          <span className="flex gap-1">
            {invalidCount > 0 ? (
              <Button
                variant="ghost"
                onClick={() =>
                  onChange(checked.filter((entry) => !entry.problem).map((entry) => entry.username))
                }
              >
                {t('usernames.removeInvalid', { count: invalidCount })}
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
          <ul aria-label={t('usernames.listLabel')} className="max-h-72 overflow-auto text-sm">
            {checked.map((entry) => (
              <li
                key={entry.username}
                className="flex items-start justify-between gap-2 border-b border-slate-100 px-3 py-1.5 last:border-b-0 dark:border-slate-800"
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
                  onClick={() => onChange(value.filter((username) => username !== entry.username))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
