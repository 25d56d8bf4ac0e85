import { type Tone, toneFillClasses } from './badge';

export interface ProgressSegment {
  key: string;
  value: number;
  tone: Tone;
}

/**
 * A progress bar. With `segments`, the filled part is split by outcome (succeeded, failed, unknown...), each in
 * its tone's colour, in the order given; the rest of the track is what is still to do. Screen readers get
 * `valueText`, and the colours are explained in words beside the bar by its caller.
 */
export function ProgressBar({
  value,
  max,
  label,
  valueText,
  segments,
}: {
  value: number;
  max: number;
  label: string;
  valueText: string;
  segments?: readonly ProgressSegment[];
}) {
  const percent = (part: number) => (max === 0 ? 0 : (part / max) * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={valueText}
      className="flex h-3 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
    >
      {segments ? (
        segments
          .filter((segment) => segment.value > 0)
          .map((segment) => (
            <div
              key={segment.key}
              className={`h-full transition-[width] ${toneFillClasses[segment.tone]}`}
              style={{ width: `${percent(segment.value)}%` }}
            />
          ))
      ) : (
        <div
          className="h-full rounded-full bg-blue-700 transition-[width] dark:bg-blue-400"
          style={{ width: `${Math.round(percent(value))}%` }}
        />
      )}
    </div>
  );
}
