'use client';

import { useId, useState } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import { type FailureGroup, RESULT_STATES } from '@/lib/roam/job-results';

/**
 * The job's failures by cause: each error once, with what it means and what to do, how many usernames it hit,
 * and those usernames on request (with one button to copy them all, e.g. for a retry elsewhere).
 */
export function FailureGroups({
  groups,
  headingLevel = 3,
}: {
  groups: readonly FailureGroup[];
  /** One below the job's title: 2 on the job page (its title is the h1), 3 under the roam form. */
  headingLevel?: 2 | 3;
}) {
  const { t } = useI18n();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const titleId = useId();
  if (groups.length === 0) return null;
  return (
    <section aria-labelledby={titleId} className="flex flex-col gap-2">
      <Heading id={titleId} className="text-base font-semibold">
        {t('jobResults.groupsTitle')}
      </Heading>
      <ul className="flex flex-col gap-2">
        {groups.map((group) => (
          <li key={group.key}>
            <FailureGroupCard group={group} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function FailureGroupCard({ group }: { group: FailureGroup }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const count = group.usernames.length;
  return (
    <div className="rounded-md border border-red-200 bg-white px-3 py-2 text-sm dark:border-red-900 dark:bg-slate-900">
      <p className="font-medium break-words text-red-800 dark:text-red-300">
        <span className="tabular-nums">{t('jobResults.groupCount', { count })}</span> {group.title}
      </p>
      {group.fix ? <p className="mt-0.5 text-slate-700 dark:text-slate-300">{group.fix}</p> : null}
      <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
        <code className="break-all">{group.code}</code>
        {group.states.map((state) => (
          <Badge key={state} tone={RESULT_STATES[state].tone}>
            {t(RESULT_STATES[state].label)}
          </Badge>
        ))}
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-1">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={open ? listId : undefined}
          onClick={() => setOpen(!open)}
          className="rounded px-1.5 py-0.5 text-xs font-medium text-blue-700 hover:bg-blue-50 focus-visible:outline-2 focus-visible:outline-blue-600 dark:text-blue-300 dark:hover:bg-slate-800"
        >
          {open ? t('jobResults.hideUsernames') : t('jobResults.showUsernames', { count })}
        </button>
        <CopyButton
          value={group.usernames.join('\n')}
          label={t('jobResults.copyUsernames', { count, code: group.code })}
        />
      </div>
      {open ? (
        // One read-only text box rather than a list: a group of 2,000 is one element, scrolls and selects
        // by keyboard, and copies as one username per line.
        <textarea
          id={listId}
          readOnly
          aria-label={t('jobResults.usernamesOf', { code: group.code })}
          rows={Math.min(8, count)}
          value={group.usernames.join('\n')}
          className="mt-1 w-full resize-y rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-slate-600 dark:bg-slate-950 dark:text-slate-100"
        />
      ) : null}
    </div>
  );
}
