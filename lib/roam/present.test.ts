import { describe, expect, it } from 'vitest';
import type { JobDetails, RoamItem } from '@/lib/db/jobs';
import { ROAM_SCENARIOS, SEED_INSTANCES } from '@/lib/emulator/seed';
import { apiErrorTranslator } from '@/lib/i18n/api-errors';
import { MESSAGES } from '@/lib/i18n/messages';
import { createTranslator } from '@/lib/i18n/translate';
import { computePlan, type InstanceFacts, type PlanFacts } from './plan';
import type { StoredPlan } from './plan-view';
import { foundByPlan, jobView } from './present';

/**
 * What the job view says of a stored error depends on the job: an undo's items are deletions, and a roam's
 * "origin or target" error names the one its plan did not find to be an active SAG APP instance.
 */

const ORIGIN = SEED_INSTANCES.shanghaiHq;
const TARGET = SEED_INSTANCES.tokyo;
const en = createTranslator('en', MESSAGES.en);
const apiEn = apiErrorTranslator('en');
const apiZh = apiErrorTranslator('zh-CN');

function instance(side: 'origin' | 'target', overrides: Partial<InstanceFacts> = {}): InstanceFacts {
  return {
    regionId: side === 'origin' ? 'cn-shanghai' : 'ap-northeast-1',
    smartAGId: side === 'origin' ? ORIGIN : TARGET,
    lookup: 'found',
    name: side === 'origin' ? 'shanghai-hq-app' : 'tokyo-app',
    status: 'Active',
    hardware: false,
    cidrBlock: side === 'origin' ? '10.10.0.0/16' : '10.20.0.0/16',
    ...overrides,
  };
}

/** A plan as a job keeps it (made in English, without its per-username decisions, through JSON). */
function storedPlan(overrides: Partial<PlanFacts> = {}): StoredPlan {
  const { items: _items, ...stored } = computePlan(
    {
      origin: instance('origin'),
      target: instance('target'),
      targetUsed: 10,
      targetQuota: 100,
      originUsernames: new Set(['sh.emp140']),
      targetUsernames: new Set(),
      usernames: ['sh.emp140'],
      refused: [],
      computedAt: new Date('2026-01-02T03:04:05.000Z'),
      describeCalls: 4,
      ...overrides,
    },
    en,
  );
  return JSON.parse(JSON.stringify(stored));
}

const hardware = { hardware: true, status: 'Online' } as const;
const unreadable = { lookup: 'unknown', name: '', status: null, cidrBlock: null } as const;

function item(overrides: Partial<RoamItem> = {}): RoamItem {
  return {
    id: 1,
    jobId: 'job-1',
    position: 0,
    username: 'sh.emp140',
    status: 'failed',
    needsCheck: false,
    requestId: null,
    errorCode: 'ClientUser.NotSupportAction',
    errorMessage: 'The specified instance does not support this action.',
    errorRequestId: 'REQ-1',
    attemptCount: 1,
    leaseOwner: null,
    leaseExpiresAt: null,
    leaseToken: null,
    notBefore: null,
    held: false,
    verified: false,
    targetPresence: null,
    presenceCheckedAt: null,
    updatedAt: new Date('2026-01-02T03:05:00.000Z'),
    ...overrides,
  };
}

function job(overrides: Partial<JobDetails> = {}): JobDetails & { cursor: string } {
  return {
    id: 'job-1',
    createdAt: new Date('2026-01-02T03:04:05.000Z'),
    createdBy: 'admin@example.com',
    originRegionId: 'cn-shanghai',
    originInstanceId: ORIGIN,
    targetRegionId: 'ap-northeast-1',
    targetInstanceId: TARGET,
    status: 'completed',
    finishedAt: new Date('2026-01-02T03:06:00.000Z'),
    mode: 'demo',
    itemCount: 1,
    retriedBy: null,
    retriedAt: null,
    stoppedAt: null,
    stoppedCode: null,
    stoppedMessage: null,
    stoppedRequestId: null,
    plan: storedPlan(),
    kind: 'roam',
    undoesJobId: null,
    cancelledBy: null,
    cancelledAt: null,
    counts: {
      succeeded: 0,
      alreadyPresent: 0,
      failed: 1,
      notSent: 0,
      cancelled: 0,
      inProgress: 0,
      unknown: 0,
      total: 1,
    },
    undoneBy: null,
    items: [item()],
    cursor: '1',
    ...overrides,
  } as JobDetails & { cursor: string };
}

describe('which instance the plan found usable', () => {
  it('both, when both were found active SAG APP instances', () => {
    expect(foundByPlan(job())).toEqual({ origin: true, target: true });
  });

  it('not a hardware origin, nor a hardware target', () => {
    expect(foundByPlan(job({ plan: storedPlan({ origin: instance('origin', hardware) }) }))).toEqual({
      origin: false,
      target: true,
    });
    expect(foundByPlan(job({ plan: storedPlan({ target: instance('target', hardware) }) }))).toEqual({
      origin: true,
      target: false,
    });
  });

  it('not one that could not be read, was not found, or is not active', () => {
    const refused = [
      {
        side: 'origin',
        action: 'DescribeSmartAccessGateways',
        code: 'Forbidden.RAM',
        requestId: 'R-9',
      } as const,
    ];
    expect(
      foundByPlan(job({ plan: storedPlan({ origin: instance('origin', unreadable), refused }) })),
    ).toEqual({ origin: false, target: true });
    const missing = { ...unreadable, lookup: 'not-found' } as const;
    expect(foundByPlan(job({ plan: storedPlan({ target: instance('target', missing) }) }))).toEqual({
      origin: true,
      target: false,
    });
    expect(
      foundByPlan(job({ plan: storedPlan({ target: instance('target', { status: 'Init' }) }) })),
    ).toEqual({ origin: true, target: false });
  });

  it('nothing without a plan, or with a plan of other instances', () => {
    expect(foundByPlan(job({ plan: null }))).toBeUndefined();
    expect(foundByPlan(job({ targetInstanceId: SEED_INSTANCES.hangzhouRnd }))).toBeUndefined();
  });
});

describe('a roam item refused with ClientUser.NotSupportAction', () => {
  const errorOf = (view: ReturnType<typeof jobView>) => view.items[0]?.error;

  it('names the origin when the plan found the target usable but not the origin (hardware)', () => {
    // The emulator's hardware origin, and what it answers a roam from it (lib/emulator/roam.test.ts).
    const cpe = SEED_INSTANCES.shanghaiBranchCpe;
    const code = ROAM_SCENARIOS.originHardware.expect;
    const origin = instance('origin', { ...hardware, smartAGId: cpe, name: 'shanghai-branch-cpe' });
    const view = jobView(
      job({ originInstanceId: cpe, plan: storedPlan({ origin }), items: [item({ errorCode: code })] }),
      'en',
    );
    expect(errorOf(view)).toMatchObject({
      code: 'ClientUser.NotSupportAction',
      title: apiEn('ClientUser.NotSupportAction.origin.title'),
      fix: apiEn('ClientUser.NotSupportAction.origin.fix'),
      message: 'The specified instance does not support this action.',
      requestId: 'REQ-1',
    });
  });

  it('names the target when the plan found the origin usable but not the target, in Chinese too', () => {
    const cpe = SEED_INSTANCES.hangzhouFactoryCpe;
    const target = instance('target', { ...hardware, regionId: 'cn-hangzhou', smartAGId: cpe });
    const hardwareTarget = job({
      targetRegionId: 'cn-hangzhou',
      targetInstanceId: cpe,
      plan: storedPlan({ target }),
      items: [item({ errorCode: ROAM_SCENARIOS.targetHardware.expect })],
    });
    expect(errorOf(jobView(hardwareTarget, 'en'))?.title).toBe(
      apiEn('ClientUser.NotSupportAction.target.title'),
    );
    expect(errorOf(jobView(hardwareTarget, 'zh-CN'))).toMatchObject({
      title: apiZh('ClientUser.NotSupportAction.target.title'),
      fix: apiZh('ClientUser.NotSupportAction.target.fix'),
    });
  });

  it('says "origin or target" when the plan found both fine, or tells nothing', () => {
    const either = apiEn('ClientUser.NotSupportAction.title');
    expect(either).toMatch(/origin or target/);
    expect(errorOf(jobView(job(), 'en'))?.title).toBe(either);
    expect(errorOf(jobView(job({ plan: null }), 'en'))?.title).toBe(either);
    const bothUnread = storedPlan({
      origin: instance('origin', unreadable),
      target: instance('target', unreadable),
    });
    expect(errorOf(jobView(job({ plan: bothUnread }), 'en'))?.title).toBe(either);
  });

  it('explains the job stopped by the same answer the same way', () => {
    const stopped = job({
      plan: storedPlan({ target: instance('target', hardware) }),
      stoppedAt: new Date('2026-01-02T03:05:00.000Z'),
      stoppedCode: 'ClientUser.NotSupportAction',
      stoppedMessage: 'not supported',
      stoppedRequestId: 'REQ-2',
    });
    expect(jobView(stopped, 'en').stopped).toMatchObject({
      code: 'ClientUser.NotSupportAction',
      title: apiEn('ClientUser.NotSupportAction.target.title'),
      requestId: 'REQ-2',
    });
  });
});

describe('an undo job', () => {
  const undo = (overrides: Partial<RoamItem>, jobOverrides: Partial<JobDetails> = {}) =>
    job({ kind: 'undo', undoesJobId: 'job-0', plan: null, items: [item(overrides)], ...jobOverrides });

  it('explains its items as deletions from the target, not as roams', () => {
    const notThere = jobView(undo({ errorCode: 'ClientUser.NotExist' }), 'en').items[0]?.error;
    expect(notThere).toMatchObject({
      title: apiEn('ClientUser.NotExist.delete.title'),
      fix: apiEn('ClientUser.NotExist.delete.fix'),
    });
    expect(notThere?.title).not.toBe(apiEn('ClientUser.NotExist.title'));

    const hardwareTarget = jobView(undo({}), 'zh-CN').items[0]?.error;
    expect(hardwareTarget?.title).toBe(apiZh('ClientUser.NotSupportAction.oneInstance.title'));
  });

  it('asks to look before deleting again when the outcome is unknown', () => {
    const lost = undo({ status: 'unknown', needsCheck: true, errorCode: 'SagClient.Timeout' });
    expect(jobView(lost, 'en').items[0]?.error?.fix).toBe(apiEn('unknownDelete.fix'));
    const roamLost = job({
      items: [item({ status: 'unknown', needsCheck: true, errorCode: 'SagClient.Timeout' })],
    });
    expect(jobView(roamLost, 'en').items[0]?.error?.fix).toBe(apiEn('unknownOutcome.fix'));
  });

  it('explains the error that stopped it as a deletion too', () => {
    const stopped = undo(
      {},
      {
        stoppedAt: new Date('2026-01-02T03:05:00.000Z'),
        stoppedCode: 'SAG.InstanceNoFound',
        stoppedMessage: 'not found',
        stoppedRequestId: null,
      },
    );
    expect(jobView(stopped, 'en').stopped?.title).toBe(apiEn('SAG.InstanceNoFound.oneInstance.title'));
  });
});

describe("a job's plan", () => {
  it("is shown with its findings in the reader's language, whichever language it was made in", () => {
    const sameArea = storedPlan({
      target: instance('target', { regionId: 'cn-hangzhou' }),
    });
    const view = jobView(job({ targetRegionId: 'cn-hangzhou', plan: sameArea }), 'zh-CN');
    const zh = createTranslator('zh-CN', MESSAGES['zh-CN']);
    expect(view.plan?.findings).toHaveLength(1);
    expect(view.plan?.findings[0]).toMatchObject({
      code: 'same-area',
      title: zh('plan.sameArea.title', {
        origin: zh('plan.instance', { name: 'shanghai-hq-app', id: ORIGIN }),
        target: zh('plan.instance', { name: 'tokyo-app', id: TARGET }),
        originRegion: 'cn-shanghai',
        targetRegion: 'cn-hangzhou',
        area: zh('area.mainlandChina'),
      }),
    });
    expect(view.plan?.origin.area).toBe(zh('area.mainlandChina'));
  });
});
