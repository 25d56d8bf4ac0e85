'use client';

import { useId, useState } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { Button } from '@/components/ui/button';
import type { Translate } from '@/lib/i18n/translate';
import { areaName } from '@/lib/roam/areas';
import { findingText } from '@/lib/roam/plan-text';
import type {
  PlanFinding,
  PlanFindingSeverity,
  PlanInstanceView,
  PlanView,
  StoredPlan,
} from '@/lib/roam/plan-view';
import { planSummary } from './plan-panel';

/**
 * The plan in full, apart from the panel's heading and summary line (./plan-panel): both instances, the quota,
 * the findings and the decision, and the compact plan a job page shows. Loaded after the page's first load.
 */

const severityTone: Record<PlanFindingSeverity, { badge: string; border: string }> = {
  blocking: {
    badge: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
    border: 'border-red-400 dark:border-red-700',
  },
  warning: {
    badge: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
    border: 'border-amber-400 dark:border-amber-700',
  },
  unknown: {
    badge: 'bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100',
    border: 'border-slate-400 dark:border-slate-500',
  },
};

/** Name and ID, or the ID alone when the instance could not be read. */
export function instanceLabel(instance: PlanInstanceView, t: Translate): string {
  return instance.name
    ? t('planPanel.instance', { name: instance.name, id: instance.smartAGId })
    : instance.smartAGId;
}

function instanceFacts(instance: PlanInstanceView, t: Translate): string {
  let cidr = t('planPanel.notRead');
  if (instance.cidrBlocks.length > 0) cidr = t('planPanel.cidr', { blocks: instance.cidrBlocks.join(', ') });
  else if (instance.name) cidr = t('planPanel.noCidr');
  // The area from the region, not the stored name: that is in the language the plan was made in.
  return t('planPanel.instanceFacts', {
    region: instance.regionId,
    area: areaName(instance.regionId, t),
    cidr,
  });
}

/**
 * Each finding with its severity in words and colour, what was found and (unless compact) what to do, in the
 * reader's language whichever language the plan was made in.
 */
export function FindingList({ findings, compact = false }: { findings: PlanFinding[]; compact?: boolean }) {
  const { t } = useI18n();
  return (
    <ul className="flex flex-col gap-2">
      {findings.map((finding) => (
        // Several `not-checked` findings may stand at once: their (stored) texts tell them apart.
        <Finding key={`${finding.code}:${finding.title}`} finding={finding} compact={compact} t={t} />
      ))}
    </ul>
  );
}

function Finding({ finding, compact, t }: { finding: PlanFinding; compact: boolean; t: Translate }) {
  const { title, fix } = findingText(finding, t);
  return (
    <li
      className={`rounded-md border-l-4 bg-white py-2 pr-3 pl-3 text-sm dark:bg-slate-900 ${severityTone[finding.severity].border}`}
    >
      <p className="break-words">
        <span
          className={`mr-2 inline-block rounded px-1.5 py-0.5 text-xs font-semibold ${severityTone[finding.severity].badge}`}
        >
          {t(`planPanel.severity.${finding.severity}`)}
        </span>
        <span className="font-medium">{title}</span>
      </p>
      {compact ? null : <p className="mt-1 break-words text-slate-700 dark:text-slate-300">{fix}</p>}
      {finding.apiError && !compact ? (
        <p className="mt-1 text-xs break-all text-slate-600 dark:text-slate-400">
          {t('planPanel.apiError', { code: finding.apiError.code })}
          {finding.apiError.requestId ? (
            <>
              {' · '}
              {t('job.requestId')} <code>{finding.apiError.requestId}</code>
            </>
          ) : null}
        </p>
      ) : null}
    </li>
  );
}

/** Both instances of the plan: name and ID, region, area and client CIDR blocks. */
export function PlanInstances({ plan }: { plan: StoredPlan }) {
  const { t } = useI18n();
  return (
    <dl className="grid gap-3 text-sm sm:grid-cols-2">
      {(
        [
          [t('planPanel.origin'), plan.origin],
          [t('planPanel.target'), plan.target],
        ] as const
      ).map(([label, instance]) => (
        <div key={label} className="min-w-0">
          <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
          <dd className="font-medium break-words">{instanceLabel(instance, t)}</dd>
          <dd className="text-xs break-words text-slate-600 dark:text-slate-400">
            {instanceFacts(instance, t)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The plan after its summary: the quota, the findings, when it was computed, and the decision. */
export function PlanDetails({
  plan,
  decide,
  sending,
  onSend,
  onBack,
  onCheckAgain,
}: {
  plan: PlanView;
  decide: boolean;
  sending: boolean;
  onSend: (options: { sendWithoutChecks: boolean }) => void;
  onBack: () => void;
  onCheckAgain: () => void;
}) {
  const { t, formatDateTime } = useI18n();
  return (
    <>
      {plan.quota ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {t('planPanel.quota', { used: plan.quota.used, quota: plan.quota.quota, free: plan.quota.free })}
        </p>
      ) : null}
      <div className="flex flex-col gap-2">
        <h3 className="text-base font-semibold">{t('planPanel.findings')}</h3>
        {plan.findings.length > 0 ? (
          <FindingList findings={plan.findings} />
        ) : (
          <p className="text-sm text-slate-700 dark:text-slate-300">{t('planPanel.noFindings')}</p>
        )}
      </div>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        {t('planPanel.computed', { at: formatDateTime(plan.computedAt), count: plan.describeCalls })}
      </p>
      {decide ? (
        <PlanDecision
          // A new plan asks again: the "send anyway" tick belongs to the plan it was given for.
          key={plan.computedAt}
          plan={plan}
          sending={sending}
          onSend={onSend}
          onBack={onBack}
          onCheckAgain={onCheckAgain}
        />
      ) : null}
    </>
  );
}

function PlanDecision({
  plan,
  sending,
  onSend,
  onBack,
  onCheckAgain,
}: {
  plan: PlanView;
  sending: boolean;
  onSend: (options: { sendWithoutChecks: boolean }) => void;
  onBack: () => void;
  onCheckAgain: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [withoutChecks, setWithoutChecks] = useState(false);
  const reasonId = `${id}-reason`;
  const hintId = `${id}-hint`;

  if (plan.blocked) {
    const hasBlocking = plan.findings.some((finding) => finding.severity === 'blocking');
    return (
      <div className="flex flex-col gap-3">
        <p id={reasonId} className="text-sm font-medium text-red-800 dark:text-red-300">
          {hasBlocking ? t('planPanel.blocked') : t('planPanel.nothingToSend')}
        </p>
        <div className="flex flex-wrap gap-2">
          <Button disabled aria-describedby={reasonId} className="px-5 py-2.5 text-base">
            {t('roam.submit')}
          </Button>
          <Button variant="secondary" onClick={onCheckAgain}>
            {t('planPanel.checkAgain')}
          </Button>
          <Button variant="ghost" onClick={onBack}>
            {t('planPanel.back')}
          </Button>
        </div>
      </div>
    );
  }

  const needsTick = plan.needsConfirmationOfUnknowns;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-base font-semibold break-words">
        {t('planPanel.question', {
          count: plan.counts.send,
          origin: plan.origin.name || plan.origin.smartAGId,
          originRegion: plan.origin.regionId,
          target: plan.target.name || plan.target.smartAGId,
          targetRegion: plan.target.regionId,
        })}
      </p>
      {needsTick ? (
        <div className="flex flex-col gap-1">
          <label className="flex items-start gap-2 text-sm font-medium">
            <input
              type="checkbox"
              className="mt-0.5 size-4 accent-blue-700"
              checked={withoutChecks}
              onChange={(event) => setWithoutChecks(event.target.checked)}
              aria-describedby={hintId}
            />
            {t('planPanel.sendWithoutChecks')}
          </label>
          <p id={hintId} className="text-xs text-slate-600 dark:text-slate-400">
            {t('planPanel.sendWithoutChecksHint')}
          </p>
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button
          disabled={sending || (needsTick && !withoutChecks)}
          onClick={() => onSend({ sendWithoutChecks: needsTick && withoutChecks })}
          className="px-5 py-2.5 text-base"
        >
          {sending ? t('roam.submitting') : t('roam.submit')}
        </Button>
        <Button variant="secondary" disabled={sending} onClick={onBack}>
          {t('planPanel.back')}
        </Button>
        {plan.findings.length > 0 ? (
          <Button variant="ghost" disabled={sending} onClick={onCheckAgain}>
            {t('planPanel.checkAgain')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

/** The plan a job was created from, compact: route, counts and findings (the fixes were for before sending). */
export function StoredPlanBlock({ plan }: { plan: StoredPlan }) {
  const { t, formatDateTime } = useI18n();
  const headingId = useId();
  return (
    <section
      aria-labelledby={headingId}
      className="flex flex-col gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm dark:border-slate-700"
    >
      <h3 id={headingId} className="font-semibold">
        {t('job.planTitle')}
      </h3>
      <p className="break-words text-slate-700 dark:text-slate-300">
        {t('job.planRoute', { origin: instanceLabel(plan.origin, t), target: instanceLabel(plan.target, t) })}
      </p>
      <p className="font-medium break-words">{planSummary(plan.counts, t)}</p>
      {plan.findings.length > 0 ? <FindingList findings={plan.findings} compact /> : null}
      <p className="text-xs text-slate-600 dark:text-slate-400">
        {t('planPanel.computed', { at: formatDateTime(plan.computedAt), count: plan.describeCalls })}
      </p>
    </section>
  );
}
