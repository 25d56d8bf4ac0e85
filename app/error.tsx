'use client';

import { useI18n } from '@/components/i18n/i18n-provider';
import { Button } from '@/components/ui/button';

/** A page that failed to render: what happened, and what to try (the reference points to the server log). */
export default function PageError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const { t } = useI18n();
  return (
    <div role="alert" className="flex max-w-2xl flex-col gap-3 py-4">
      <h1 className="text-xl font-semibold tracking-tight text-slate-950 sm:text-2xl dark:text-white">
        {t('pageError.title')}
      </h1>
      <p className="text-sm text-slate-700 dark:text-slate-300">{t('pageError.body')}</p>
      {error.digest ? (
        <p className="font-mono text-xs text-slate-600 dark:text-slate-400">
          {t('pageError.reference', { reference: error.digest })}
        </p>
      ) : null}
      <div className="mt-2">
        <Button onClick={reset}>{t('pageError.retry')}</Button>
      </div>
    </div>
  );
}
