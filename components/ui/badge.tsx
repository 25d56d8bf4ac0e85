import type { ReactNode } from 'react';

/** What a badge or a bar segment stands for; each has its colour and its own symbol. */
export type Tone = 'success' | 'info' | 'danger' | 'warning' | 'neutral' | 'progress';

const badgeClasses: Record<Tone, string> = {
  success:
    'border-green-300 bg-green-50 text-green-800 dark:border-green-800 dark:bg-green-950 dark:text-green-300',
  info: 'border-sky-300 bg-sky-50 text-sky-800 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-300',
  danger: 'border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-300',
  warning:
    'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200',
  neutral:
    'border-slate-300 bg-slate-50 text-slate-700 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200',
  progress:
    'border-blue-300 bg-blue-50 text-blue-800 dark:border-blue-800 dark:bg-blue-950 dark:text-blue-300',
};

/** Fills of the same tones, for bar segments and the swatches that explain them. */
export const toneFillClasses: Record<Tone, string> = {
  success: 'bg-green-600 dark:bg-green-500',
  info: 'bg-sky-500 dark:bg-sky-400',
  danger: 'bg-red-600 dark:bg-red-500',
  warning: 'bg-amber-500 dark:bg-amber-400',
  neutral: 'bg-slate-500 dark:bg-slate-400',
  progress: 'bg-blue-600 dark:bg-blue-400',
};

/**
 * A second cue besides colour, for readers who cannot tell the colours apart; hidden from screen readers,
 * which read the badge's text.
 */
const symbols: Record<Tone, string> = {
  success: '✓',
  info: 'i',
  danger: '✕',
  warning: '!',
  neutral: '–',
  progress: '…',
};

/** A status in words, coloured by its tone; the colour is never the only signal. */
export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return (
    <span
      className={`inline-flex max-w-full items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${badgeClasses[tone]}`}
    >
      <span aria-hidden="true" className="font-bold">
        {symbols[tone]}
      </span>
      <span className="min-w-0 break-words">{children}</span>
    </span>
  );
}

/** A small square of a tone's fill (or of a bar's empty track), beside the text it belongs to. */
export function Swatch({ tone }: { tone: Tone | 'track' }) {
  const fill =
    tone === 'track'
      ? 'border border-slate-400 bg-slate-200 dark:border-slate-500 dark:bg-slate-700'
      : toneFillClasses[tone];
  return <span aria-hidden="true" className={`inline-block size-3 shrink-0 rounded-sm ${fill}`} />;
}
