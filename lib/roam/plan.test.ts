import { describe, expect, it } from 'vitest';
import { en } from '@/lib/i18n/messages/en';
import { zhCN } from '@/lib/i18n/messages/zh-CN';
import { createTranslator } from '@/lib/i18n/translate';
import { computePlan, type InstanceFacts, type PlanFacts } from './plan';
import type { PlanView } from './plan-view';

const t = createTranslator('en', en);
const ORIGIN_ID = 'sag-origin00000000000001';
const TARGET_ID = 'sag-target00000000000001';

function origin(overrides: Partial<InstanceFacts> = {}): InstanceFacts {
  return {
    regionId: 'cn-shanghai',
    smartAGId: ORIGIN_ID,
    lookup: 'found',
    name: 'shanghai-hq-app',
    status: 'Active',
    hardware: false,
    cidrBlock: '10.10.0.0/16',
    ...overrides,
  };
}

function target(overrides: Partial<InstanceFacts> = {}): InstanceFacts {
  return {
    regionId: 'ap-northeast-1',
    smartAGId: TARGET_ID,
    lookup: 'found',
    name: 'tokyo-app',
    status: 'Active',
    hardware: false,
    cidrBlock: '10.50.0.0/16',
    ...overrides,
  };
}

const NAMES = ['alice.chen', 'bob.marley', 'carol.king', 'dave.grohl', 'erin.brock'];

function facts(overrides: Partial<PlanFacts> = {}): PlanFacts {
  return {
    origin: origin(),
    target: target(),
    targetUsed: 10,
    targetQuota: 100,
    originUsernames: new Set([...NAMES, 'someone.else']),
    targetUsernames: new Set(['already.there']),
    usernames: NAMES,
    refused: [],
    computedAt: new Date('2025-01-02T03:04:05.678Z'),
    describeCalls: 4,
    ...overrides,
  };
}

const plan = (overrides: Partial<PlanFacts> = {}) => computePlan(facts(overrides), t);
const codes = (view: PlanView) => view.findings.map((finding) => finding.code);
const decisions = (view: PlanView) => view.items.map((item) => item.decision);
const finding = (view: PlanView, code: string) => {
  const found = view.findings.find((candidate) => candidate.code === code);
  if (!found) throw new Error(`no ${code} finding in ${codes(view).join(', ')}`);
  return found;
};

describe('a plan with nothing in the way', () => {
  it('sends every username, in the order given, and needs no confirmation', () => {
    const view = plan();
    expect(view.findings).toEqual([]);
    expect(view.blocked).toBe(false);
    expect(view.needsConfirmationOfUnknowns).toBe(false);
    expect(view.items).toEqual(NAMES.map((username) => ({ username, decision: 'send' })));
    expect(view.counts).toEqual({ send: 5, alreadyOnTarget: 0, notOnOrigin: 0, overQuota: 0, total: 5 });
    expect(view.quota).toEqual({ used: 10, quota: 100, free: 90 });
    expect(view.computedAt).toBe('2025-01-02T03:04:05.678Z');
    expect(view.describeCalls).toBe(4);
  });

  it('describes both instances, their blocks as written and their areas', () => {
    const view = plan({ origin: origin({ cidrBlock: '10.10.0.0/16, 10.11.0.0/16' }) });
    expect(view.origin).toEqual({
      regionId: 'cn-shanghai',
      smartAGId: ORIGIN_ID,
      name: 'shanghai-hq-app',
      status: 'Active',
      cidrBlocks: ['10.10.0.0/16', '10.11.0.0/16'],
      area: 'Mainland China',
    });
    expect(view.target).toMatchObject({ name: 'tokyo-app', cidrBlocks: ['10.50.0.0/16'], area: 'Japan' });
  });
});

describe('the decision per username', () => {
  it('skips names already on the target and names missing on the origin, keeping the order', () => {
    const view = plan({
      usernames: ['alice.chen', 'already.there', 'nobody.here', 'bob.marley', 'ghost.both'],
      targetUsernames: new Set(['already.there', 'ghost.both']),
    });
    expect(decisions(view)).toEqual([
      'send',
      'already-on-target',
      'not-on-origin',
      'send',
      'already-on-target',
    ]);
    expect(view.counts).toEqual({ send: 2, alreadyOnTarget: 2, notOnOrigin: 1, overQuota: 0, total: 5 });
    expect(view.blocked).toBe(false);
  });

  it('matches names exactly, not by case or by part', () => {
    const view = plan({
      usernames: ['Alice.Chen', 'alice', 'alice.chen'],
      originUsernames: new Set(['alice.chen', 'alice.chen2']),
      targetUsernames: new Set(['ALICE.CHEN', 'alice.c']),
    });
    expect(decisions(view)).toEqual(['not-on-origin', 'not-on-origin', 'send']);
  });

  it('sends without those checks when a list is not known', () => {
    const view = plan({ originUsernames: null, targetUsernames: null, usernames: ['nobody.here'] });
    expect(decisions(view)).toEqual(['send']);
  });

  it('is blocked when nothing is left to send, although nothing else is wrong', () => {
    const view = plan({ usernames: ['nobody.here', 'already.there'] });
    expect(view.findings).toEqual([]);
    expect(view.counts.send).toBe(0);
    expect(view.blocked).toBe(true);
    expect(view.needsConfirmationOfUnknowns).toBe(false);
  });
});

describe('the target quota', () => {
  it('sends only what fits, in request order, and says how many', () => {
    const view = plan({
      usernames: ['already.there', 'alice.chen', 'nobody.here', 'bob.marley', 'carol.king', 'dave.grohl'],
      targetUsed: 98,
      targetQuota: 100,
    });
    expect(decisions(view)).toEqual([
      'already-on-target',
      'send',
      'not-on-origin',
      'send',
      'over-quota',
      'over-quota',
    ]);
    expect(view.counts).toEqual({ send: 2, alreadyOnTarget: 1, notOnOrigin: 1, overQuota: 2, total: 6 });
    expect(view.quota).toEqual({ used: 98, quota: 100, free: 2 });
    const short = finding(view, 'quota-short');
    expect(short.severity).toBe('warning');
    expect(short.title).toBe(
      `Only 2 more client accounts fit on tokyo-app (${TARGET_ID}) (98 of 100 in use): the first 2 of the 4 usernames to send will be sent, the other 2 are not sent (over quota).`,
    );
    expect(view.blocked).toBe(false);
    expect(view.needsConfirmationOfUnknowns).toBe(false);
  });

  it('says "1 more account" in the singular', () => {
    const view = plan({ targetUsed: 99, targetQuota: 100 });
    expect(finding(view, 'quota-short').title).toMatch(/^Only 1 more client account fits on tokyo-app/);
    expect(view.counts).toMatchObject({ send: 1, overQuota: 4 });
  });

  it('has no finding when the names fit exactly', () => {
    const view = plan({ targetUsed: 95, targetQuota: 100 });
    expect(view.findings).toEqual([]);
    expect(view.counts).toMatchObject({ send: 5, overQuota: 0 });
  });

  it('blocks when the quota has no room, also when more are in use than the quota says', () => {
    for (const targetUsed of [100, 130]) {
      const view = plan({ targetUsed, targetQuota: 100 });
      expect(codes(view)).toEqual(['quota-full']);
      expect(finding(view, 'quota-full').severity).toBe('blocking');
      expect(view.quota).toEqual({ used: targetUsed, quota: 100, free: 0 });
      expect(view.counts).toMatchObject({ send: 0, overQuota: 5 });
      expect(view.blocked).toBe(true);
    }
  });

  it('says nothing of a full quota when every name is skipped anyway', () => {
    const view = plan({ targetUsed: 100, targetQuota: 100, usernames: ['already.there'] });
    expect(view.findings).toEqual([]);
    expect(view.blocked).toBe(true);
  });

  it('is an unknown when the answer carried no quota', () => {
    const view = plan({ targetQuota: null });
    expect(view.quota).toBeNull();
    expect(codes(view)).toEqual(['not-checked']);
    expect(finding(view, 'not-checked')).toMatchObject({
      severity: 'unknown',
      title: `The account quota of tokyo-app (${TARGET_ID}) is not in the API's answer: whether 5 more accounts fit was not checked.`,
    });
    expect(finding(view, 'not-checked').apiError).toBeUndefined();
    expect(view.counts.send).toBe(5);
    expect(view.blocked).toBe(false);
    expect(view.needsConfirmationOfUnknowns).toBe(true);
  });
});

describe('the two instances', () => {
  it.each([
    ['origin', 'origin-not-found', `The origin instance ${ORIGIN_ID} does not exist in cn-shanghai.`],
    ['target', 'target-not-found', `The target instance ${TARGET_ID} does not exist in ap-northeast-1.`],
  ] as const)('blocks when the %s does not exist', (side, code, title) => {
    const missing = { lookup: 'not-found' as const, name: '', status: null, cidrBlock: null };
    const view = plan(side === 'origin' ? { origin: origin(missing) } : { target: target(missing) });
    expect(codes(view)).toEqual([code]);
    expect(finding(view, code)).toMatchObject({ severity: 'blocking', title });
    expect(view[side]).toMatchObject({ name: '', status: null, cidrBlocks: [] });
    expect(view.blocked).toBe(true);
  });

  it('blocks a hardware (CPE) instance on either side, without the checks that are moot for it', () => {
    const cpe = { hardware: true, status: 'Offline', cidrBlock: '' };
    const asOrigin = plan({ origin: origin({ ...cpe, cidrBlock: '10.50.0.0/24' }) });
    expect(codes(asOrigin)).toEqual(['origin-hardware']);
    const asTarget = plan({ target: target(cpe), targetUsed: 0, targetQuota: 0 });
    expect(codes(asTarget)).toEqual(['target-hardware']);
    expect(asTarget.quota).toBeNull();
    expect(finding(asTarget, 'target-hardware').title).toBe(
      `The target tokyo-app (${TARGET_ID}) is a Smart Access Gateway device (CPE), not a SAG APP instance: it cannot take client accounts.`,
    );
    expect(asOrigin.blocked && asTarget.blocked).toBe(true);
  });

  it('blocks an instance that is not active, on either side', () => {
    expect(codes(plan({ origin: origin({ status: 'Locked' }) }))).toEqual(['origin-inactive']);
    const view = plan({ target: target({ status: 'Init' }) });
    expect(codes(view)).toEqual(['target-inactive']);
    expect(finding(view, 'target-inactive').title).toBe(
      `The target tokyo-app (${TARGET_ID}) is not active (status Init).`,
    );
    expect(view.blocked).toBe(true);
  });

  it('takes the status without regard to case, and an absent status as no finding', () => {
    expect(plan({ origin: origin({ status: 'ACTIVE' }) }).findings).toEqual([]);
    expect(plan({ target: target({ status: null }) }).findings).toEqual([]);
  });

  it('blocks one instance as both ends, and checks neither overlap nor area for it', () => {
    const view = plan({ target: origin() });
    expect(codes(view)).toEqual(['same-instance']);
    expect(finding(view, 'same-instance').title).toBe(
      `Origin and target are the same instance, shanghai-hq-app (${ORIGIN_ID}).`,
    );
  });

  it('warns, and only warns, when both are in one area', () => {
    const view = plan({ target: target({ regionId: 'cn-hangzhou', name: 'hangzhou-rnd-app' }) });
    expect(codes(view)).toEqual(['same-area']);
    expect(finding(view, 'same-area')).toMatchObject({
      severity: 'warning',
      title: `shanghai-hq-app (${ORIGIN_ID}) (cn-shanghai) and hangzhou-rnd-app (${TARGET_ID}) (cn-hangzhou) are both in Mainland China.`,
    });
    expect(view.blocked).toBe(false);
    expect(view.needsConfirmationOfUnknowns).toBe(false);
  });

  it('does not warn about regions whose area is not known', () => {
    const view = plan({
      origin: origin({ regionId: 'eu-west-1' }),
      target: target({ regionId: 'me-east-1' }),
    });
    expect(view.findings).toEqual([]);
    expect(view.origin.area).toBe('area not known');
  });
});

describe('CIDR blocks', () => {
  it('blocks a target without a client CIDR block, whether the field is empty or absent', () => {
    for (const cidrBlock of ['', null, ' , ']) {
      const view = plan({ target: target({ cidrBlock }) });
      expect(codes(view)).toEqual(['target-no-cidr']);
      expect(view.blocked).toBe(true);
    }
  });

  it('does not mind an origin without one', () => {
    expect(plan({ origin: origin({ cidrBlock: '' }) }).findings).toEqual([]);
  });

  it('blocks overlapping blocks and names the two that overlap', () => {
    const view = plan({
      origin: origin({ cidrBlock: '192.168.0.0/24,10.10.0.0/16' }),
      target: target({ cidrBlock: '10.50.0.0/16;10.10.128.0/20' }),
    });
    expect(codes(view)).toEqual(['cidr-overlap']);
    expect(finding(view, 'cidr-overlap')).toMatchObject({
      severity: 'blocking',
      title: `The private CIDR blocks of shanghai-hq-app (${ORIGIN_ID}) (10.10.0.0/16) and tokyo-app (${TARGET_ID}) (10.10.128.0/20) overlap: Alibaba Cloud refuses every roam between them (SAG.CidrOverlap).`,
    });
  });

  it('does not call neighbouring blocks an overlap', () => {
    const view = plan({
      origin: origin({ cidrBlock: '10.0.0.0/24' }),
      target: target({ cidrBlock: '10.0.1.0/24' }),
    });
    expect(view.findings).toEqual([]);
  });

  it('makes an unreadable block an unknown, not a crash and not "no CIDR"', () => {
    const view = plan({ target: target({ cidrBlock: '10.50.0.0/33' }) });
    expect(codes(view)).toEqual(['not-checked']);
    expect(finding(view, 'not-checked')).toMatchObject({
      severity: 'unknown',
      title: `The CIDR block of tokyo-app (${TARGET_ID}) could not be read (10.50.0.0/33): whether the two instances' blocks overlap was not checked.`,
    });
    expect(view.target.cidrBlocks).toEqual(['10.50.0.0/33']);
    expect(view.needsConfirmationOfUnknowns).toBe(true);
  });

  it('still finds an overlap among the blocks that can be read', () => {
    const view = plan({ origin: origin({ cidrBlock: 'garbage 10.50.1.0/24' }) });
    expect(codes(view)).toEqual(['cidr-overlap', 'not-checked']);
    expect(view.blocked).toBe(true);
    expect(view.needsConfirmationOfUnknowns).toBe(false);
  });
});

describe('checks refused for want of a permission', () => {
  it('an origin that could not be read: unknown, naming the permission, with the API error', () => {
    const view = plan({
      origin: origin({ lookup: 'unknown', name: '', status: null, cidrBlock: null }),
      refused: [
        { side: 'origin', action: 'DescribeSmartAccessGateways', code: 'Forbidden.RAM', requestId: 'req-1' },
      ],
    });
    expect(codes(view)).toEqual(['not-checked']);
    expect(finding(view, 'not-checked')).toEqual({
      code: 'not-checked',
      severity: 'unknown',
      title: `sag-roam may not read the origin ${ORIGIN_ID} (smartag:DescribeSmartAccessGateways refused, Forbidden.RAM): that it exists, is an active SAG APP instance and its CIDR block were not checked.`,
      fix: 'Allow smartag:DescribeSmartAccessGateways in the RAM policy of the identity sag-roam uses, then check the plan again; or send anyway without these checks.',
      text: {
        key: 'plan.notChecked.originInstance',
        values: {
          instance: { instance: { name: '', id: ORIGIN_ID } },
          action: 'smartag:DescribeSmartAccessGateways',
          code: 'Forbidden.RAM',
        },
      },
      apiError: { code: 'Forbidden.RAM', requestId: 'req-1' },
    });
    expect(view.blocked).toBe(false);
    expect(view.needsConfirmationOfUnknowns).toBe(true);
    expect(view.counts.send).toBe(5);
  });

  it('a target whose instance could not be read: no quota, no CIDR verdict, no second quota finding', () => {
    const view = plan({
      target: target({ lookup: 'unknown', name: '', status: null, cidrBlock: null }),
      targetQuota: null,
      refused: [
        { side: 'target', action: 'DescribeSmartAccessGateways', code: 'NoPermission', requestId: null },
      ],
    });
    expect(codes(view)).toEqual(['not-checked']);
    expect(view.quota).toBeNull();
    expect(finding(view, 'not-checked').title).toContain('room in its account quota were not checked');
  });

  it('account lists that could not be read: every username is sent unchecked, the quota is unknown', () => {
    const view = plan({
      originUsernames: null,
      targetUsernames: null,
      targetUsed: null,
      usernames: ['nobody.here', 'already.there'],
      refused: [
        {
          side: 'origin',
          action: 'DescribeSmartAccessGatewayClientUsers',
          code: 'Forbidden.RAM',
          requestId: 'a',
        },
        {
          side: 'target',
          action: 'DescribeSmartAccessGatewayClientUsers',
          code: 'Forbidden.RAM',
          requestId: 'b',
        },
      ],
    });
    expect(decisions(view)).toEqual(['send', 'send']);
    expect(view.quota).toBeNull();
    expect(codes(view)).toEqual(['not-checked', 'not-checked']);
    expect(view.findings.map((found) => found.apiError?.requestId)).toEqual(['a', 'b']);
    expect(view.findings[1]?.title).toBe(
      `sag-roam may not list the client accounts of the target tokyo-app (${TARGET_ID}) (smartag:DescribeSmartAccessGatewayClientUsers refused, Forbidden.RAM): which usernames are already on it, and how many accounts it uses (for the quota), were not checked.`,
    );
    expect(view.needsConfirmationOfUnknowns).toBe(true);
  });

  it('is no reason to confirm when something blocks anyway', () => {
    const view = plan({
      target: target({ cidrBlock: '' }),
      originUsernames: null,
      refused: [
        {
          side: 'origin',
          action: 'DescribeSmartAccessGatewayClientUsers',
          code: 'Forbidden',
          requestId: null,
        },
      ],
    });
    expect(view.blocked).toBe(true);
    expect(view.needsConfirmationOfUnknowns).toBe(false);
  });
});

describe('findings together', () => {
  it('come blocking first, then unknowns, then warnings', () => {
    const view = plan({
      origin: origin({ cidrBlock: '10.10.0.0/16 nonsense' }),
      target: target({ regionId: 'cn-hangzhou', cidrBlock: '10.10.4.0/24', status: 'Locked' }),
      targetUsed: 99,
      targetQuota: 100,
    });
    expect(view.findings.map((found) => [found.severity, found.code])).toEqual([
      ['blocking', 'target-inactive'],
      ['blocking', 'cidr-overlap'],
      ['unknown', 'not-checked'],
      ['warning', 'same-area'],
      ['warning', 'quota-short'],
    ]);
  });

  it('every text is filled in, names the instance by name and ID, and exists in Chinese', () => {
    const zh = createTranslator('zh-CN', zhCN);
    const scenarios: Partial<PlanFacts>[] = [
      { origin: origin({ lookup: 'not-found' }) },
      { target: target({ lookup: 'not-found' }) },
      { origin: origin({ hardware: true }), target: target({ hardware: true }) },
      { origin: origin({ status: 'Locked' }), target: target({ status: 'Locked' }) },
      { target: origin() },
      { target: target({ cidrBlock: '' }) },
      { target: target({ cidrBlock: '10.10.0.0/24' }) },
      { target: target({ cidrBlock: 'x' }) },
      { targetUsed: 100 },
      { targetUsed: 97 },
      { targetQuota: null },
      { target: target({ regionId: 'cn-hangzhou' }) },
      {
        refused: (['origin', 'target'] as const).flatMap((side) =>
          (['DescribeSmartAccessGateways', 'DescribeSmartAccessGatewayClientUsers'] as const).map(
            (action) => ({
              side,
              action,
              code: 'Forbidden.RAM',
              requestId: null,
            }),
          ),
        ),
      },
    ];
    const seen = new Set<string>();
    for (const scenario of scenarios) {
      for (const translate of [t, zh]) {
        const view = computePlan(facts(scenario), translate);
        expect(view.findings.length).toBeGreaterThan(0);
        for (const found of view.findings) {
          seen.add(found.code);
          for (const text of [found.title, found.fix]) {
            expect(text).not.toMatch(/[{}]|^plan\./);
          }
          expect(found.title).toMatch(/sag-(origin|target)0+1/);
          if (translate === zh) expect(found.title).toMatch(/[\u4e00-\u9fff]/);
        }
      }
    }
    expect([...seen].sort()).toEqual(
      [
        'cidr-overlap',
        'not-checked',
        'origin-hardware',
        'origin-inactive',
        'origin-not-found',
        'quota-full',
        'quota-short',
        'same-area',
        'same-instance',
        'target-hardware',
        'target-inactive',
        'target-no-cidr',
        'target-not-found',
      ].sort(),
    );
  });
});
