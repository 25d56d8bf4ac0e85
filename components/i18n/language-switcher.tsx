'use client';

import { useRouter } from 'next/navigation';
import { useId, useTransition } from 'react';
import { setLocaleAction } from '@/lib/actions/preferences/set-locale';
import { isLocale, LOCALE_NAMES, LOCALES } from '@/lib/i18n/locales';
import { useI18n } from './i18n-provider';

export function LanguageSwitcher() {
  const id = useId();
  const router = useRouter();
  const { locale, t } = useI18n();
  const [pending, start] = useTransition();
  return (
    <span className="flex items-center gap-1">
      <label htmlFor={id} className="sr-only">
        {t('layout.language')}
      </label>
      <select
        id={id}
        value={locale}
        disabled={pending}
        onChange={(event) => {
          const next = event.target.value;
          if (!isLocale(next)) return;
          start(async () => {
            await setLocaleAction(next);
            router.refresh();
          });
        }}
        className="h-8 cursor-pointer rounded-md border border-slate-300 bg-white px-2 text-xs text-slate-800 shadow-xs hover:border-slate-400 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:cursor-wait dark:border-slate-600 dark:bg-slate-900 dark:text-slate-200 dark:focus-visible:outline-blue-400"
      >
        {LOCALES.map((option) => (
          <option key={option} value={option} lang={option}>
            {LOCALE_NAMES[option]}
          </option>
        ))}
      </select>
    </span>
  );
}
