import { describe, expect, it } from 'vitest';
import { MESSAGES } from '@/lib/i18n/messages';
import { createTranslator } from '@/lib/i18n/translate';
import { computePlan, type InstanceFacts, type PlanFacts } from './plan';
import { findingText, planInReaderLanguage } from './plan-text';
import type { PlanFinding, StoredPlan } from './plan-view';

/** A plan made for one reader is said in another reader's language: what a job keeps is read after a switch. */

const en = createTranslator('en', MESSAGES.en);
const zh = createTranslator('zh-CN', MESSAGES['zh-CN']);

function instance(overrides: Partial<InstanceFacts>): InstanceFacts {
  return {
    regionId: 'cn-shanghai',
    smartAGId: 'sag-origin00000000000001',
    lookup: 'found',
    name: 'shanghai-hq-app',
    status: 'Active',
    hardware: false,
    cidrBlock: '10.10.0.0/16',
    ...overrides,
  };
}

/** Facts that give a finding of nearly every kind at once (blocking, unknown and warning). */
const FACTS: PlanFacts = {
  origin: instance({ cidrBlock: '10.10.0.0/16, not-a-block' }),
  target: instance({
    regionId: 'cn-hangzhou',
    smartAGId: 'sag-target00000000000001',
    name: 'hangzhou-rnd-app',
    status: 'Init',
    cidrBlock: '10.10.4.0/24',
  }),
  targetUsed: 98,
  targetQuota: 100,
  originUsernames: null,
  targetUsernames: new Set(),
  usernames: ['sh.emp140', 'sh.emp141', 'sh.emp142'],
  refused: [
    {
      side: 'origin',
      action: 'DescribeSmartAccessGatewayClientUsers',
      code: 'Forbidden.RAM',
      requestId: 'REQ-7',
    },
  ],
  computedAt: new Date('2026-01-02T03:04:05.000Z'),
  describeCalls: 3,
};

/** What a job keeps: the plan without its items, through the database's JSON. */
function stored(t = en): StoredPlan {
  const { items: _items, ...plan } = computePlan(FACTS, t);
  return JSON.parse(JSON.stringify(plan));
}

describe('a plan stored in English, read in Chinese', () => {
  it('says every finding as a plan made in Chinese does, instance names and area included', () => {
    const inEnglish = stored(en);
    const madeInChinese = computePlan(FACTS, zh);
    expect(inEnglish.findings.map((finding) => finding.code)).toEqual([
      'target-inactive',
      'cidr-overlap',
      'not-checked',
      'not-checked',
      'same-area',
      'quota-short',
    ]);
    expect(inEnglish.findings.map((finding) => findingText(finding, zh))).toEqual(
      madeInChinese.findings.map(({ title, fix }) => ({ title, fix })),
    );
    const sameArea = inEnglish.findings.find((finding) => finding.code === 'same-area') as PlanFinding;
    expect(sameArea.title).toContain('Mainland China');
    const { title } = findingText(sameArea, zh);
    expect(title).toContain(zh('area.mainlandChina'));
    expect(title).toContain(
      zh('plan.instance', { name: 'hangzhou-rnd-app', id: 'sag-target00000000000001' }),
    );
    expect(title).not.toContain('Mainland China');
  });

  it('and back in English as it was made', () => {
    const inChinese = stored(zh);
    expect(inChinese.findings.map((finding) => findingText(finding, en))).toEqual(
      stored(en).findings.map(({ title, fix }) => ({ title, fix })),
    );
  });

  it("counts with the reader's plural forms", () => {
    const quotaShortOf = (plan: StoredPlan) =>
      plan.findings.find((finding) => finding.code === 'quota-short') as PlanFinding;
    const oneFits = { ...FACTS, targetUsed: 99 };
    const { items: _items, ...inChinese } = computePlan(oneFits, zh);
    expect(findingText(quotaShortOf(inChinese), en).title).toMatch(/^Only 1 more client account fits/);
    expect(findingText(quotaShortOf(stored(en)), en).title).toMatch(/^Only 2 more client accounts fit/);
  });

  it("gives a job view the reader's findings and areas, its facts unchanged", () => {
    const plan = stored(en);
    const read = planInReaderLanguage(plan, zh);
    expect(read.findings.map(({ title }) => title)).toEqual(
      computePlan(FACTS, zh).findings.map(({ title }) => title),
    );
    expect(read.origin).toEqual({ ...plan.origin, area: zh('area.mainlandChina') });
    expect(read.findings.map(({ code, severity, apiError }) => ({ code, severity, apiError }))).toEqual(
      plan.findings.map(({ code, severity, apiError }) => ({ code, severity, apiError })),
    );
    expect(read.counts).toEqual(plan.counts);
  });
});

describe('a plan stored before findings kept their keys', () => {
  const old: PlanFinding = {
    code: 'same-area',
    severity: 'warning',
    title: 'shanghai-hq-app (sag-origin00000000000001) (cn-shanghai) and … are both in Mainland China.',
    fix: 'Make sure this is what you want.',
  };

  it('says what it said when it was made', () => {
    expect(findingText(old, zh)).toEqual({ title: old.title, fix: old.fix });
    expect(planInReaderLanguage({ ...stored(en), findings: [old] }, zh).findings).toEqual([old]);
  });

  it('and so does one whose key the catalogue no longer has', () => {
    const renamed = { ...old, text: { key: 'plan.renamedSinceThen', values: {} } } as unknown as PlanFinding;
    expect(findingText(renamed, zh)).toEqual({ title: old.title, fix: old.fix });
  });
});
