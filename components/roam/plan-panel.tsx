'use client';

import { useEffect, useId, useRef } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { onDemand } from '@/components/on-demand';
import type { Translate } from '@/lib/i18n/translate';
import type { PlanView } from '@/lib/roam/plan-view';

/** What the plan area of the roam form shows. */
export type PlanPanelState =
  | { kind: 'idle' }
  | { kind: 'checking' }
  /** The form changed after a plan: it no longer holds, the admin checks again. */
  | { kind: 'discarded' }
  /** `decide`: the admin confirms (or cannot send); false when a lone username goes straight on. */
  | { kind: 'ready'; plan: PlanView; decide: boolean };

/**
 * What the panel shows of a plan besides its heading and summary loads with the first plan (the form preloads
 * it while the browser is idle, so that a plan shows in full at once).
 */
export const planDetails = onDemand(() => import('./plan-details'));
const PlanInstances = planDetails.component((module) => module.PlanInstances);
const PlanDetails = planDetails.component((module) => module.PlanDetails);

/** "298 will be sent · 2 already on the target (…) · 1 not on the origin (skipped)": the parts that apply. */
export function planSummary(counts: PlanView['counts'], t: Translate): string {
  const parts = [t('planPanel.summarySend', { count: counts.send })];
  if (counts.alreadyOnTarget) {
    parts.push(t('planPanel.summaryAlreadyOnTarget', { count: counts.alreadyOnTarget }));
  }
  if (counts.notOnOrigin) parts.push(t('planPanel.summaryNotOnOrigin', { count: counts.notOnOrigin }));
  if (counts.overQuota) parts.push(t('planPanel.summaryOverQuota', { count: counts.overQuota }));
  return parts.join(t('planPanel.summarySeparator'));
}

/**
 * The plan of the job the form would create, shown before anything is sent: both instances, what happens to
 * the usernames, the findings, and the decision (confirm, send anyway without the checks that could not be
 * made, or nothing to send). The summary line is a polite live region that stays in the page, so that a
 * screen reader announces each new plan (and "checking…") without the admin looking for it.
 */
export function PlanPanel({
  state,
  sending,
  onSend,
  onBack,
  onCheckAgain,
}: {
  state: PlanPanelState;
  sending: boolean;
  onSend: (options: { sendWithoutChecks: boolean }) => void;
  onBack: () => void;
  onCheckAgain: () => void;
}) {
  const { t } = useI18n();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const plan = state.kind === 'ready' ? state.plan : null;
  const decide = state.kind === 'ready' && state.decide;

  // On desktop and phone alike the plan is the next thing to read: bring it into view and start there (not
  // when it goes straight on: the job it starts is what comes next).
  useEffect(() => {
    if (!plan || !decide || !heading.current) return;
    heading.current.scrollIntoView({ block: 'start' });
    heading.current.focus({ preventScroll: true });
  }, [plan, decide]);

  let announcement = '';
  if (plan) announcement = planSummary(plan.counts, t);
  else if (state.kind === 'checking') announcement = t('planPanel.checking');
  else if (state.kind === 'discarded') announcement = t('planPanel.discarded');

  return (
    <section
      aria-labelledby={plan ? headingId : undefined}
      className={
        plan
          ? 'flex scroll-mt-4 flex-col gap-4 rounded-lg border border-slate-300 bg-slate-50 p-4 dark:border-slate-600 dark:bg-slate-800/60'
          : 'flex flex-col'
      }
    >
      {plan ? (
        <h2
          id={headingId}
          ref={heading}
          tabIndex={-1}
          className="scroll-mt-4 text-lg font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600"
        >
          {t('planPanel.title')}
        </h2>
      ) : null}
      {plan ? <PlanInstances plan={plan} /> : null}
      {/* Kept in the page in every state: a live region announces changes, not its own arrival. */}
      <p
        role="status"
        aria-live="polite"
        className={
          plan ? 'text-base font-semibold break-words' : 'text-sm text-slate-700 dark:text-slate-300'
        }
      >
        {announcement}
      </p>
      {plan ? (
        <PlanDetails
          plan={plan}
          decide={decide}
          sending={sending}
          onSend={onSend}
          onBack={onBack}
          onCheckAgain={onCheckAgain}
        />
      ) : null}
    </section>
  );
}
