import type { ReactNode } from 'react';
import { type IconName, UiIcon } from './icons';

export type AlertTone = 'info' | 'success' | 'warning' | 'error';

const tones: Record<AlertTone, { box: string; icon: string }> = {
  info: {
    box: 'border-blue-200 border-l-blue-600 bg-blue-50 text-blue-950 dark:border-blue-900 dark:border-l-blue-400 dark:bg-blue-950/60 dark:text-blue-50',
    icon: 'text-blue-700 dark:text-blue-300',
  },
  success: {
    box: 'border-green-200 border-l-green-600 bg-green-50 text-green-950 dark:border-green-900 dark:border-l-green-400 dark:bg-green-950/60 dark:text-green-50',
    icon: 'text-green-700 dark:text-green-300',
  },
  warning: {
    box: 'border-amber-200 border-l-amber-500 bg-amber-50 text-amber-950 dark:border-amber-900 dark:border-l-amber-400 dark:bg-amber-950/60 dark:text-amber-50',
    icon: 'text-amber-700 dark:text-amber-300',
  },
  error: {
    box: 'border-red-200 border-l-red-600 bg-red-50 text-red-950 dark:border-red-900 dark:border-l-red-400 dark:bg-red-950/60 dark:text-red-50',
    icon: 'text-red-700 dark:text-red-300',
  },
};

/** A symbol per tone beside the colour, for readers who cannot tell the colours apart; the text says it all. */
const icons: Record<AlertTone, IconName> = {
  info: 'info',
  success: 'check',
  warning: 'alert',
  error: 'cross',
};

/**
 * A message box in one of four tones: `info` (a fact to know), `success` (it worked), `warning` (it worked only
 * partly or needs a look, e.g. "3 missing on target") and `error` (it did not work). `actions` go under the text
 * (buttons or links: the next step).
 */
export function Alert({
  tone = 'info',
  title,
  children,
  role,
  actions,
  id,
  className = '',
}: {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  role?: 'alert' | 'status';
  /** The next step: buttons or links shown under the text. */
  actions?: ReactNode;
  id?: string;
  className?: string;
}) {
  const style = tones[tone];
  return (
    <div
      id={id}
      role={role}
      className={`flex gap-3 rounded-md border border-l-4 px-3.5 py-3 text-sm ${style.box} ${className}`}
    >
      <UiIcon name={icons[tone]} className={`mt-0.5 size-4 ${style.icon}`} />
      <div className="min-w-0 flex-1 break-words">
        {title ? <p className="font-semibold">{title}</p> : null}
        {children ? <div className={title ? 'mt-1' : undefined}>{children}</div> : null}
        {actions ? <div className="mt-3 flex flex-wrap items-center gap-2">{actions}</div> : null}
      </div>
    </div>
  );
}
