import type { Translate } from '@/lib/i18n/translate';
import { areaName, sameArea } from './areas';
import { type CidrField, overlappingBlocks, parseCidrField } from './cidr';
import { renderFindingText } from './plan-text';
import type {
  PlanFinding,
  PlanFindingCode,
  PlanFindingKey,
  PlanFindingSeverity,
  PlanFindingValue,
  PlanInstanceView,
  PlanItemDecision,
  PlanView,
} from './plan-view';

/**
 * The plan of a roam job from what the Describe* calls found (lib/roam/planner.ts reads them): what stands in
 * the way at instance level, and what happens to each username. Pure: no I/O, the clock and the texts come
 * in. Every check whose facts are missing is an `unknown`, never a pass.
 */

export interface InstanceFacts {
  regionId: string;
  smartAGId: string;
  /** What DescribeSmartAccessGateways said about it; `unknown` when it could not be asked. */
  lookup: 'found' | 'not-found' | 'unknown';
  /** The rest is meaningful only when found. */
  name: string;
  status: string | null;
  /** A CPE device instance rather than a SAG APP instance. */
  hardware: boolean;
  /** The `CidrBlock` field as the API gives it (one or several blocks), null or '' when it has none. */
  cidrBlock: string | null;
}

/** A Describe call refused for want of a permission: the checks it feeds are unknown. */
export interface RefusedCheck {
  side: 'origin' | 'target';
  action: 'DescribeSmartAccessGateways' | 'DescribeSmartAccessGatewayClientUsers';
  code: string;
  requestId: string | null;
}

export interface PlanFacts {
  origin: InstanceFacts;
  target: InstanceFacts;
  /** Accounts in use on the target (its client users), null when they were not read. */
  targetUsed: number | null;
  /** The target's account quota, null when not known. */
  targetQuota: number | null;
  /** Usernames on each instance (exact names), null when not read. */
  originUsernames: ReadonlySet<string> | null;
  targetUsernames: ReadonlySet<string> | null;
  /** As requested, in order (the schema has removed repeats). */
  usernames: readonly string[];
  refused: readonly RefusedCheck[];
  computedAt: Date;
  describeCalls: number;
}

const SEVERITY_ORDER: Record<PlanFindingSeverity, number> = { blocking: 0, unknown: 1, warning: 2 };

export function computePlan(facts: PlanFacts, t: Translate): PlanView {
  const { origin, target } = facts;
  const findings: PlanFinding[] = [];
  // Instances and areas are kept as facts in a finding's values: each reader's language names them.
  const label = (instance: InstanceFacts): PlanFindingValue => ({
    instance: { name: instance.lookup === 'found' ? instance.name : '', id: instance.smartAGId },
  });
  const add = (
    code: PlanFindingCode,
    severity: PlanFindingSeverity,
    key: PlanFindingKey,
    values: Record<string, PlanFindingValue>,
    extra: Partial<PlanFinding> = {},
  ) => {
    const text = { key, values };
    // The texts of this request's language too: for whatever reads the plan without the catalogue.
    findings.push({ code, severity, ...renderFindingText(text, t), text, ...extra });
  };

  // Each instance on its own: there, a SAG APP instance, active.
  const usable = { origin: false, target: false };
  for (const side of ['origin', 'target'] as const) {
    const instance = facts[side];
    const values = { instance: label(instance), region: instance.regionId, status: instance.status ?? '' };
    const prefix = side === 'origin' ? 'origin' : 'target';
    if (instance.lookup === 'not-found')
      add(`${prefix}-not-found`, 'blocking', `plan.${side}NotFound`, values);
    else if (instance.lookup === 'found' && instance.hardware)
      add(`${prefix}-hardware`, 'blocking', `plan.${side}Hardware`, values);
    else if (instance.lookup === 'found') {
      usable[side] = true;
      if (instance.status && instance.status.toLowerCase() !== 'active') {
        add(`${prefix}-inactive`, 'blocking', `plan.${side}Inactive`, values);
      }
    }
  }

  const sameInstance = origin.smartAGId === target.smartAGId;
  if (sameInstance) add('same-instance', 'blocking', 'plan.sameInstance', { instance: label(origin) });

  // CIDR blocks: the target needs one, and the two must not overlap.
  const originCidr = parseCidrField(origin.cidrBlock);
  const targetCidr = parseCidrField(target.cidrBlock);
  if (usable.target && targetCidr.blocks.length === 0 && targetCidr.malformed.length === 0) {
    add('target-no-cidr', 'blocking', 'plan.targetNoCidr', { instance: label(target) });
  }
  if (usable.origin && usable.target && !sameInstance) {
    const [overlap] = overlappingBlocks(originCidr.blocks, targetCidr.blocks);
    if (overlap) {
      add('cidr-overlap', 'blocking', 'plan.cidrOverlap', {
        origin: label(origin),
        target: label(target),
        originBlock: overlap[0].text,
        targetBlock: overlap[1].text,
      });
    }
    for (const [side, field] of [
      ['origin', originCidr],
      ['target', targetCidr],
    ] as [string, CidrField][]) {
      if (field.malformed.length === 0) continue;
      add('not-checked', 'unknown', 'plan.cidrUnreadable', {
        instance: label(side === 'origin' ? origin : target),
        blocks: field.malformed.join(', '),
      });
    }
  }

  if (sameArea(origin.regionId, target.regionId) && !sameInstance) {
    add('same-area', 'warning', 'plan.sameArea', {
      origin: label(origin),
      target: label(target),
      originRegion: origin.regionId,
      targetRegion: target.regionId,
      area: { areaOf: origin.regionId },
    });
  }

  for (const refused of facts.refused) {
    const which = refused.action === 'DescribeSmartAccessGateways' ? 'Instance' : 'Accounts';
    const instance = refused.side === 'origin' ? origin : target;
    add(
      'not-checked',
      'unknown',
      `plan.notChecked.${refused.side}${which}`,
      { instance: label(instance), action: `smartag:${refused.action}`, code: refused.code },
      { apiError: { code: refused.code, requestId: refused.requestId } },
    );
  }

  // Per username: already there, missing at the origin, then the quota in request order.
  const decisions: PlanItemDecision[] = facts.usernames.map((username) => {
    if (facts.targetUsernames?.has(username)) return 'already-on-target';
    if (facts.originUsernames && !facts.originUsernames.has(username)) return 'not-on-origin';
    return 'send';
  });
  const wanted = decisions.filter((decision) => decision === 'send').length;
  const quota =
    usable.target && facts.targetUsed !== null && facts.targetQuota !== null
      ? {
          used: facts.targetUsed,
          quota: facts.targetQuota,
          free: Math.max(0, facts.targetQuota - facts.targetUsed),
        }
      : null;
  if (quota && wanted > quota.free) {
    let fits = quota.free;
    for (const [index, decision] of decisions.entries()) {
      if (decision !== 'send') continue;
      if (fits > 0) fits -= 1;
      else decisions[index] = 'over-quota';
    }
    const values = {
      instance: label(target),
      used: quota.used,
      quota: quota.quota,
      wanted,
      count: quota.free,
      over: wanted - quota.free,
    };
    if (quota.free === 0) add('quota-full', 'blocking', 'plan.quotaFull', values);
    else add('quota-short', 'warning', 'plan.quotaShort', values);
  }
  const targetAccountsRefused = facts.refused.some(
    (refused) => refused.side === 'target' && refused.action === 'DescribeSmartAccessGatewayClientUsers',
  );
  if (usable.target && facts.targetQuota === null && !targetAccountsRefused && wanted > 0) {
    // The answer carried no quota: the one check no refusal explains, said once.
    add('not-checked', 'unknown', 'plan.quotaUnknown', { instance: label(target), count: wanted });
  }

  const items = facts.usernames.map((username, index) => ({
    username,
    decision: decisions[index] ?? 'send',
  }));
  const count = (decision: PlanItemDecision) => items.filter((item) => item.decision === decision).length;
  const counts = {
    send: count('send'),
    alreadyOnTarget: count('already-on-target'),
    notOnOrigin: count('not-on-origin'),
    overQuota: count('over-quota'),
    total: items.length,
  };
  findings.sort((left, right) => SEVERITY_ORDER[left.severity] - SEVERITY_ORDER[right.severity]);
  const blocked = counts.send === 0 || findings.some((finding) => finding.severity === 'blocking');
  return {
    origin: instanceView(origin, t),
    target: instanceView(target, t),
    findings,
    blocked,
    needsConfirmationOfUnknowns: !blocked && findings.some((finding) => finding.severity === 'unknown'),
    counts,
    quota,
    items,
    computedAt: facts.computedAt.toISOString(),
    describeCalls: facts.describeCalls,
  };
}

function instanceView(instance: InstanceFacts, t: Translate): PlanInstanceView {
  const found = instance.lookup === 'found';
  return {
    regionId: instance.regionId,
    smartAGId: instance.smartAGId,
    name: found ? instance.name : '',
    status: found ? instance.status : null,
    // As written, in the field's order, unreadable parts included (the admin compares with the console).
    cidrBlocks: found ? (instance.cidrBlock ?? '').split(/[\s,;]+/).filter(Boolean) : [],
    area: areaName(instance.regionId, t),
  };
}
