import type { ReactNode } from 'react';
import { type IconName, UiIcon } from './icons';

/** What a badge or a bar segment stands for; each has its colour and its own symbol. */
export type Tone = 'success' | 'info' | 'danger' | 'warning' | 'neutral' | 'progress';

const badgeClasses: Record<Tone, string> = {
  success:
    'border-green-200 bg-green-50 text-green-800 dark:border-green-800/70 dark:bg-green-950 dark:text-green-300',
  info: 'border-sky-200 bg-sky-50 text-sky-800 dark:border-sky-800/70 dark:bg-sky-950 dark:text-sky-300',
  danger: 'border-red-200 bg-red-50 text-red-800 dark:border-red-800/70 dark:bg-red-950 dark:text-red-300',
  warning:
    'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700/70 dark:bg-amber-950 dark:text-amber-200',
  neutral:
    'border-slate-200 bg-slate-100 text-slate-700 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300',
  progress:
    'border-blue-200 bg-blue-50 text-blue-800 dark:border-blue-800/70 dark:bg-blue-950 dark:text-blue-300',
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

/** The tone's text colour alone, for a figure or a word that carries a tone outside a badge. */
export const toneTextClasses: Record<Tone, string> = {
  success: 'text-green-700 dark:text-green-400',
  info: 'text-sky-700 dark:text-sky-400',
  danger: 'text-red-700 dark:text-red-400',
  warning: 'text-amber-700 dark:text-amber-400',
  neutral: 'text-slate-600 dark:text-slate-400',
  progress: 'text-blue-700 dark:text-blue-400',
};

/**
 * A second cue besides colour, for readers who cannot tell the colours apart; an icon with no text, so
 * screen readers (and `textContent`) read the badge's words alone.
 */
const symbols: Record<Tone, IconName> = {
  success: 'check',
  info: 'info',
  danger: 'cross',
  warning: 'alert',
  neutral: 'dash',
  progress: 'clock',
};

/**
 * A status in words, coloured by its tone; the colour is never the only signal. Words are never broken inside
 * (失败 stays one piece in a narrow column), lines break between words. `size="sm"` fits a dense table row;
 * `title` explains a terse status on hover.
 */
export function Badge({
  tone,
  children,
  size = 'md',
  title,
}: {
  tone: Tone;
  children: ReactNode;
  size?: 'sm' | 'md';
  title?: string;
}) {
  return (
    <span
      title={title}
      className={`inline-flex max-w-full items-center gap-1 rounded-full border font-medium break-keep ${
        size === 'sm' ? 'px-1.5 py-px text-[11px] leading-4' : 'px-2 py-0.5 text-xs'
      } ${badgeClasses[tone]}`}
    >
      <UiIcon name={symbols[tone]} className={size === 'sm' ? 'size-3' : 'size-3.5'} />
      <span className="min-w-0">{children}</span>
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
