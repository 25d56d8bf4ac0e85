'use client';

import { useState } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { UiIcon } from './icons';
import { focusRingClassName } from './styles';

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
      className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium text-blue-700 hover:bg-blue-50 dark:text-blue-300 dark:hover:bg-slate-800 ${focusRingClassName}`}
    >
      <UiIcon name={copied ? 'check' : 'copy'} className="size-3.5" />
      {copied ? t('job.copied') : t('job.copy')}
      <span className="sr-only" aria-live="polite">
        {copied ? t('job.copiedAnnouncement') : ''}
      </span>
    </button>
  );
}
