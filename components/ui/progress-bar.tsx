import { Swatch, type Tone, toneFillClasses } from './badge';

export interface ProgressSegment {
  key: string;
  value: number;
  tone: Tone;
  /** The segment's words ("Succeeded", "Failed", "Unknown"), for the legend. */
  label?: string;
}

/**
 * A progress bar. With `segments`, the filled part is split by outcome (succeeded, failed, unknown...), each in
 * its tone's colour, in the order given, with a thin gap between neighbours; the rest of the track is what is
 * still to do. Screen readers get `valueText`. The colours are explained in words: by the caller beside the bar,
 * or by the bar itself with `legend` (each labelled segment's swatch, label and count, also at 0, then
 * `remainingLabel` with the track's swatch when something is still to do).
 */
export function ProgressBar({
  value,
  max,
  label,
  valueText,
  segments,
  legend = false,
  remainingLabel,
  locale,
  size = 'md',
}: {
  value: number;
  max: number;
  label: string;
  valueText: string;
  segments?: readonly ProgressSegment[];
  /** Show the legend under the bar (segments need a `label`). */
  legend?: boolean;
  /** The legend's words for the unfilled track ("In progress", "Not started"). */
  remainingLabel?: string;
  /** Formats the legend's counts; pass the page's locale so server and browser agree. */
  locale?: string;
  /** `sm` is a thin bar for a table row or a card. */
  size?: 'sm' | 'md';
}) {
  const percent = (part: number) => (max === 0 ? 0 : Math.min(100, (part / max) * 100));
  const filledTotal = segments
    ? segments.reduce((sum, segment) => sum + Math.max(0, segment.value), 0)
    : value;
  const remaining = Math.max(0, max - filledTotal);
  const bar = (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={valueText}
      className={`flex w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700 ${size === 'sm' ? 'h-1.5' : 'h-2.5'}`}
    >
      {segments ? (
        segments
          .filter((segment) => segment.value > 0)
          .map((segment) => (
            <div
              key={segment.key}
              className={`h-full border-white transition-[width] not-first:border-l-2 dark:border-slate-900 ${toneFillClasses[segment.tone]}`}
              style={{ width: `${percent(segment.value)}%` }}
            />
          ))
      ) : (
        <div
          className="h-full rounded-full bg-blue-600 transition-[width] dark:bg-blue-400"
          style={{ width: `${Math.round(percent(value))}%` }}
        />
      )}
    </div>
  );
  if (!legend || !segments) return bar;
  const labelled = segments.filter((segment) => segment.label);
  return (
    <div className="flex flex-col gap-2">
      {bar}
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700 dark:text-slate-300">
        {labelled.map((segment) => (
          <li key={segment.key} className="flex items-center gap-1.5">
            <Swatch tone={segment.tone} />
            <span>{segment.label}</span>
            <span className="font-semibold text-slate-900 tabular-nums dark:text-slate-100">
              {segment.value.toLocaleString(locale)}
            </span>
          </li>
        ))}
        {remainingLabel && remaining > 0 ? (
          <li className="flex items-center gap-1.5">
            <Swatch tone="track" />
            <span>{remainingLabel}</span>
            <span className="font-semibold text-slate-900 tabular-nums dark:text-slate-100">
              {remaining.toLocaleString(locale)}
            </span>
          </li>
        ) : null}
      </ul>
    </div>
  );
}
