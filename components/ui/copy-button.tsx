'use client';

import { useState } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';

/** Copies a value (a RequestId) to the clipboard and says so to screen readers. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      // The name holds the visible word too ("Copied" for a moment), as screen-reader and voice users expect.
      aria-label={copied ? `${t('job.copied')}: ${label}` : label}
      title={label}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        } catch {
          setCopied(false);
        }
      }}
      className="rounded px-1.5 py-0.5 text-xs text-blue-700 hover:bg-blue-50 focus-visible:outline-2 focus-visible:outline-blue-600 dark:text-blue-300 dark:hover:bg-slate-800"
    >
      {copied ? t('job.copied') : t('job.copy')}
      <span className="sr-only" aria-live="polite">
        {copied ? t('job.copiedAnnouncement') : ''}
      </span>
    </button>
  );
}
