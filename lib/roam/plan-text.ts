import type { Translate, Values } from '@/lib/i18n/translate';
import { areaName } from './areas';
import type { PlanFinding, PlanFindingText, PlanFindingValue, StoredPlan } from './plan-view';

/**
 * A plan's texts in the reader's language: a finding is kept as its catalogue key and the facts it is said
 * from (lib/roam/plan.ts), so a plan made, or a job created, in one language reads in another after a switch.
 * Pure, no directive: the server (a job's view) and the browser (the plan panel, a job's plan) both say them.
 */

/** An instance as a finding names it: "name (ID)", or the ID alone when its name is not known. */
export function planInstanceLabel(instance: { name: string; id: string }, t: Translate): string {
  return instance.name ? t('plan.instance', { name: instance.name, id: instance.id }) : instance.id;
}

function valueText(value: PlanFindingValue, t: Translate): string | number {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if ('instance' in value) return planInstanceLabel(value.instance, t);
  return areaName(value.areaOf, t);
}

/** Both texts of a finding from its key and values. */
export function renderFindingText(text: PlanFindingText, t: Translate): { title: string; fix: string } {
  const values: Values = {};
  for (const [name, value] of Object.entries(text.values)) values[name] = valueText(value, t);
  return { title: t(`${text.key}.title`, values), fix: t(`${text.key}.fix`, values) };
}

/**
 * What a finding says, in the reader's language. A finding stored before its key was kept, or with a key the
 * catalogue no longer has (the translator answers a missing text with its key), says what it said then.
 */
export function findingText(finding: PlanFinding, t: Translate): { title: string; fix: string } {
  if (!finding.text) return { title: finding.title, fix: finding.fix };
  const rendered = renderFindingText(finding.text, t);
  if (rendered.title === `${finding.text.key}.title` || rendered.fix === `${finding.text.key}.fix`) {
    return { title: finding.title, fix: finding.fix };
  }
  return rendered;
}

/** A stored plan with its findings' and areas' texts in the reader's language (the facts are unchanged). */
export function planInReaderLanguage<Plan extends StoredPlan>(plan: Plan, t: Translate): Plan {
  return {
    ...plan,
    origin: { ...plan.origin, area: areaName(plan.origin.regionId, t) },
    target: { ...plan.target, area: areaName(plan.target.regionId, t) },
    findings: plan.findings.map((finding) => ({ ...finding, ...findingText(finding, t) })),
  };
}
