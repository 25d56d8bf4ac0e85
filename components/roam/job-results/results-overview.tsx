'use client';

import { useI18n } from '@/components/i18n/i18n-provider';
import { Swatch } from '@/components/ui/badge';
import { ProgressBar } from '@/components/ui/progress-bar';
import { doneCount, RESULT_STATE_ORDER, RESULT_STATES, type ResultState } from '@/lib/roam/job-results';
import type { JobCountsView } from '@/lib/roam/view-models';

/** The states always shown in the counts, even at 0: "0 failed" is news too. */
const ALWAYS_SHOWN: readonly ResultState[] = ['succeeded', 'failed'];

/**
 * The job's progress, split by outcome in the bar, and the count of each state beside it: the counts, with
 * the same colour swatches, are the bar's legend.
 */
export function ResultsOverview({ counts }: { counts: JobCountsView }) {
  const { t, locale } = useI18n();
  const done = doneCount(counts);
  const shown = RESULT_STATE_ORDER.filter((state) => counts[state] > 0 || ALWAYS_SHOWN.includes(state));
  return (
    <div className="flex flex-col gap-3">
      <ProgressBar
        value={done}
        max={counts.total}
        label={t('job.progress')}
        valueText={t('job.progressText', { done, total: counts.total })}
        segments={RESULT_STATE_ORDER.filter((state) => state !== 'inProgress').map((state) => ({
          key: state,
          value: counts[state],
          tone: RESULT_STATES[state].tone,
        }))}
      />
      {/* As many cards a row as the job view's own width takes (half the page beside the form, all of it on a
          job page), each wide enough for its label on one or two lines. */}
      <dl className="grid grid-cols-[repeat(auto-fill,minmax(8.5rem,1fr))] gap-2 text-sm">
        {shown.map((state) => (
          <div key={state} className="rounded-md border border-slate-200 px-3 py-2 dark:border-slate-700">
            <dt className="flex items-center gap-2 text-slate-600 dark:text-slate-400">
              {/* In progress is the part of the bar not yet filled: its swatch is the empty track. */}
              <Swatch tone={state === 'inProgress' ? 'track' : RESULT_STATES[state].tone} />
              {t(RESULT_STATES[state].label)}
            </dt>
            <dd className="text-xl font-semibold tabular-nums">{counts[state].toLocaleString(locale)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
