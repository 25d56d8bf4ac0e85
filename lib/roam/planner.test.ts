// The planner against the real parts: the emulator over HTTP with the bundled seed and the SAG client. Each
// expectation about the seed is read from the emulator's state, so that new seed instances change nothing.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_ACCESS_KEY, type Emulator, SEED_INSTANCES, SEED_USERS, startEmulator } from '@/lib/emulator';
import { createSagClient, isSagError, type SagClient } from '@/lib/sag/client';
import { CLIENT_USERS_PAGE_SIZE } from '@/lib/sag/client-user-pages';
import { staticCredentials } from '@/lib/sag/credentials';
import type { SagClientUserPage } from '@/lib/sag/operations';
import type { PlanView } from './plan-view';
import {
  forgetPlanReads,
  PLAN_CACHE_TTL_MS,
  type PlannerRuntime,
  type PlanRequest,
  planRoamJob,
} from './planner';

const S = SEED_INSTANCES;
const U = SEED_USERS;
const NO_INSTANCES_KEY = {
  accessKeyId: 'LTAI5tPlanNoInstances01',
  accessKeySecret: 'plan-no-instances-secret-01',
  deniedActions: ['DescribeSmartAccessGateways'],
};
const NO_ACCOUNTS_KEY = {
  accessKeyId: 'LTAI5tPlanNoAccounts001',
  accessKeySecret: 'plan-no-accounts-secret-001',
  deniedActions: ['DescribeSmartAccessGatewayClientUsers'],
};

let emulator: Emulator;
const clients: SagClient[] = [];

function newClient(key: { accessKeyId: string; accessKeySecret: string } = DEMO_ACCESS_KEY): SagClient {
  const client = createSagClient({
    credentials: staticCredentials(key),
    signatureVersion: 'v3',
    endpoint: emulator.url,
    timeoutMs: 5_000,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
  clients.push(client);
  return client;
}

/** A runtime whose rate budget counts what is drawn from it. */
function runtimeWith(client: PlannerRuntime['client'], onAcquire: () => void = () => {}) {
  const budget = { acquired: 0 };
  const runtime: PlannerRuntime = {
    client,
    worker: {
      limiter: {
        acquire: async () => {
          budget.acquired += 1;
          onAcquire();
        },
      },
    },
  };
  return { runtime, budget };
}

let demo: SagClient;

beforeAll(async () => {
  emulator = await startEmulator({ accessKeys: [DEMO_ACCESS_KEY, NO_INSTANCES_KEY, NO_ACCOUNTS_KEY] });
  demo = newClient();
});

afterAll(async () => {
  for (const client of clients) client.close();
  await emulator.close();
});

beforeEach(() => {
  emulator.state.reset();
  for (const client of clients) forgetPlanReads(client);
});

afterEach(() => {
  vi.useRealTimers();
});

function instance(smartAGId: string) {
  const found = emulator.state.instance(smartAGId);
  if (!found) throw new Error(`${smartAGId} is not in the seed`);
  return found;
}

function request(originId: string, targetId: string, usernames: string[]): PlanRequest {
  return {
    originRegionId: instance(originId).regionId,
    originInstanceId: originId,
    targetRegionId: instance(targetId).regionId,
    targetInstanceId: targetId,
    usernames,
  };
}

/** Accounts of shanghaiHq that no scenario uses and that are on neither `targets`. */
function cleanOriginNames(count: number, ...targets: string[]): string[] {
  const taken = new Set(
    targets.flatMap((id) => emulator.state.accounts(id).map((account) => account.userName)),
  );
  const names = emulator.state
    .accounts(S.shanghaiHq)
    .map((account) => account.userName)
    .filter((name) => !taken.has(name) && !Object.values(U).includes(name as never));
  expect(names.length).toBeGreaterThanOrEqual(count);
  return names.slice(0, count);
}

async function plan(input: PlanRequest, client = demo, locale: 'en' | 'zh-CN' = 'en') {
  const before = emulator.state.requestLog().length;
  const { runtime, budget } = runtimeWith(client);
  const view = await planRoamJob(runtime, input, locale);
  const calls = emulator.state.requestLog().slice(before);
  return { view, calls, budget };
}

const codes = (view: PlanView) => view.findings.map((finding) => finding.code);

describe('planning against the emulator', () => {
  it('a clean route: every username sent, the quota read, each call a Describe drawn from the budget', async () => {
    const names = [U.ready, U.readyPlain, U.clash];
    const { view, calls, budget } = await plan(request(S.shanghaiHq, S.tokyo, names));
    const tokyo = instance(S.tokyo);
    expect(view.findings).toEqual([]);
    expect(view.blocked).toBe(false);
    expect(view.items).toEqual(names.map((username) => ({ username, decision: 'send' })));
    expect(view.quota).toEqual({
      used: tokyo.accountCount,
      quota: tokyo.quota,
      free: tokyo.quota - tokyo.accountCount,
    });
    expect(view.origin).toMatchObject({
      name: 'shanghai-hq-app',
      status: 'Active',
      cidrBlocks: [instance(S.shanghaiHq).cidrBlock],
      area: 'Mainland China',
    });
    expect(view.target).toMatchObject({ name: tokyo.name, area: 'Japan' });
    // Two instances, then every page of the origin's list and the target's one page.
    const originPages = Math.ceil(instance(S.shanghaiHq).accountCount / CLIENT_USERS_PAGE_SIZE);
    expect(view.describeCalls).toBe(2 + originPages + 1);
    expect(calls).toHaveLength(view.describeCalls);
    expect(budget.acquired).toBe(view.describeCalls);
    expect(new Set(calls.map((call) => call.action))).toEqual(
      new Set(['DescribeSmartAccessGateways', 'DescribeSmartAccessGatewayClientUsers']),
    );
    expect(calls.every((call) => call.httpStatus === 200)).toBe(true);
  });

  it('skips a name already on the target and one missing on the origin, and warns about one area', async () => {
    const { view } = await plan(request(S.shanghaiHq, S.hangzhouRnd, [U.ready, U.clash, U.unknown]));
    expect(view.items.map((item) => item.decision)).toEqual(['send', 'already-on-target', 'not-on-origin']);
    expect(view.counts).toEqual({ send: 1, alreadyOnTarget: 1, notOnOrigin: 1, overQuota: 0, total: 3 });
    expect(codes(view)).toEqual(['same-area']);
    expect(view.blocked).toBe(false);
  });

  it('blocks a target whose CIDR block overlaps the origin, naming both blocks', async () => {
    const { view } = await plan(request(S.shanghaiHq, S.frankfurtEu, [U.ready]));
    expect(codes(view)).toEqual(['cidr-overlap']);
    expect(view.findings[0]?.title).toContain(instance(S.shanghaiHq).cidrBlock);
    expect(view.findings[0]?.title).toContain(instance(S.frankfurtEu).cidrBlock);
    expect(view.blocked).toBe(true);
  });

  it('blocks a target without a client CIDR block', async () => {
    const { view } = await plan(request(S.shanghaiHq, S.hangzhouLab, [U.ready]));
    expect(codes(view)).toContain('target-no-cidr');
    expect(view.blocked).toBe(true);
  });

  it('tells a CPE typed by ID from a missing instance, and lists no accounts of it', async () => {
    for (const cpe of [S.hangzhouFactoryCpe, S.frankfurtVcpe]) {
      const { view, calls } = await plan(request(S.shanghaiHq, cpe, [U.ready]));
      expect(codes(view)).toContain('target-hardware');
      expect(view.target.name).toBe(instance(cpe).name);
      expect(calls.filter((call) => call.params.SmartAGId === cpe).map((call) => call.action)).toEqual([
        'DescribeSmartAccessGateways',
      ]);
    }
    const { view } = await plan(request(S.shanghaiBranchCpe, S.tokyo, [U.ready]));
    expect(codes(view)).toEqual(['origin-hardware']);
    expect(view.items[0]?.decision).toBe('send');
    expect(view.blocked).toBe(true);
  });

  it('blocks an instance that does not exist, or not in the region given', async () => {
    const deleted = await plan({
      ...request(S.shanghaiHq, S.tokyo, [U.ready]),
      targetInstanceId: 'sag-0deleted0instance000',
    });
    expect(codes(deleted.view)).toEqual(['target-not-found']);
    expect(deleted.view.target).toMatchObject({ name: '', status: null, cidrBlocks: [] });
    const elsewhere = await plan({
      ...request(S.shanghaiHq, S.hangzhouRnd, [U.ready]),
      targetRegionId: 'cn-hongkong',
    });
    expect(codes(elsewhere.view)).toEqual(['target-not-found']);
    expect(elsewhere.view.blocked).toBe(true);
  });

  it('blocks an instance that is not active', async () => {
    const { view } = await plan(request(S.shanghaiHq, S.japanStandby, [U.ready]));
    expect(codes(view)).toEqual(['target-inactive']);
    expect(view.findings[0]?.title).toContain(instance(S.japanStandby).status);
  });

  it('blocks a target whose quota is full', async () => {
    const full = instance(S.singaporeApac);
    expect(full.accountCount).toBeGreaterThanOrEqual(full.quota);
    const { view } = await plan(request(S.shanghaiHq, S.singaporeApac, [U.ready, U.readyPlain]));
    expect(codes(view)).toEqual(['quota-full']);
    expect(view.counts).toMatchObject({ send: 0, overQuota: 2 });
    expect(view.blocked).toBe(true);
  });

  it('sends only what fits on a nearly full target, the rest over quota in request order', async () => {
    const target = instance(S.hongkongOps);
    const free = target.quota - target.accountCount;
    expect(free).toBeGreaterThan(0);
    const names = [U.clashHongkong, ...cleanOriginNames(free + 3, S.hongkongOps)];
    const { view } = await plan(request(S.shanghaiHq, S.hongkongOps, names));
    expect(view.items.map((item) => item.decision)).toEqual([
      'already-on-target',
      ...Array(free).fill('send'),
      'over-quota',
      'over-quota',
      'over-quota',
    ]);
    expect(view.quota).toEqual({ used: target.accountCount, quota: target.quota, free });
    expect(codes(view)).toEqual(['quota-short']);
    expect(view.findings[0]?.title).toContain(`Only ${free} more client accounts fit on ${target.name}`);
    expect(view.blocked).toBe(false);
  });

  it('speaks the reader’s language', async () => {
    const { view } = await plan(request(S.shanghaiHq, S.frankfurtEu, [U.ready]), demo, 'zh-CN');
    expect(view.findings[0]?.title).toContain('私网网段重叠');
    expect(view.origin.area).toBe('中国内地');
  });
});

describe('permissions', () => {
  it('a refused DescribeSmartAccessGateways leaves those checks unknown, names the permission, and still reads the lists', async () => {
    const { view } = await plan(
      request(S.shanghaiHq, S.hangzhouRnd, [U.ready, U.clash]),
      newClient(NO_INSTANCES_KEY),
    );
    expect(view.findings.map((finding) => [finding.code, finding.severity])).toEqual([
      ['not-checked', 'unknown'],
      ['not-checked', 'unknown'],
      ['same-area', 'warning'],
    ]);
    const [originFinding] = view.findings;
    expect(originFinding?.title).toContain('smartag:DescribeSmartAccessGateways');
    expect(originFinding?.apiError?.code).toBe('Forbidden.RAM');
    expect(originFinding?.apiError?.requestId).toMatch(/\S/);
    expect(view.items.map((item) => item.decision)).toEqual(['send', 'already-on-target']);
    expect(view.quota).toBeNull();
    expect(view.blocked).toBe(false);
    expect(view.needsConfirmationOfUnknowns).toBe(true);
  });

  it('a refused account list sends every name unchecked, with the quota unknown', async () => {
    const { view } = await plan(
      request(S.shanghaiHq, S.tokyo, [U.ready, U.unknown]),
      newClient(NO_ACCOUNTS_KEY),
    );
    expect(view.findings.map((finding) => finding.title)).toEqual([
      expect.stringContaining('may not list the client accounts of the origin shanghai-hq-app'),
      expect.stringContaining('may not list the client accounts of the target'),
    ]);
    expect(view.items.map((item) => item.decision)).toEqual(['send', 'send']);
    expect(view.quota).toBeNull();
    expect(view.needsConfirmationOfUnknowns).toBe(true);
  });

  it('another API error is thrown as the mapped SagError', async () => {
    const error = await plan({
      ...request(S.shanghaiHq, S.tokyo, [U.ready]),
      targetRegionId: 'eu-west-1',
    }).catch((caught: unknown) => caught);
    expect(isSagError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'InvalidRegionId', action: 'DescribeSmartAccessGateways' });
  });
});

describe('reads kept briefly', () => {
  const route = () => request(S.shanghaiHq, S.tokyo, [U.ready, U.readyPlain]);

  it('a second plan, and the re-check at creation, reuse the first one’s reads', async () => {
    const first = await plan(route());
    const second = await plan({ ...route(), usernames: [U.clash] });
    expect(first.view.describeCalls).toBeGreaterThan(0);
    expect(second.view.describeCalls).toBe(0);
    expect(second.calls).toEqual([]);
    expect(second.budget.acquired).toBe(0);
    expect(second.view.items).toEqual([{ username: U.clash, decision: 'send' }]);
  });

  it('two plans at the same time share one read', async () => {
    const alone = await plan(route());
    forgetPlanReads(demo);
    const before = emulator.state.requestLog().length;
    const [one, two] = await Promise.all([
      planRoamJob(runtimeWith(demo).runtime, route(), 'en'),
      planRoamJob(runtimeWith(demo).runtime, route(), 'en'),
    ]);
    expect(emulator.state.requestLog().length - before).toBe(alone.view.describeCalls);
    expect(one.describeCalls + two.describeCalls).toBe(alone.view.describeCalls);
    expect(one.items).toEqual(two.items);
  });

  it('reads again once the reads are older than the cache time, or forgotten', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const first = await plan(route());
    vi.setSystemTime(Date.now() + PLAN_CACHE_TTL_MS - 1_000);
    expect((await plan(route())).view.describeCalls).toBe(0);
    vi.setSystemTime(Date.now() + 2_000);
    expect((await plan(route())).view.describeCalls).toBe(first.view.describeCalls);
    forgetPlanReads(demo, { regionId: 'ap-northeast-1', smartAGId: S.tokyo });
    const again = await plan(route());
    expect(again.calls.map((call) => call.params.SmartAGId)).toEqual([S.tokyo, S.tokyo]);
  });

  it('sees a change after its reads are forgotten', async () => {
    expect((await plan(route())).view.items[0]?.decision).toBe('send');
    await demo.roamClientUser({
      regionId: 'ap-northeast-1',
      originRegionId: 'cn-shanghai',
      originSmartAGId: S.shanghaiHq,
      targetSmartAGId: S.tokyo,
      userName: U.ready,
    });
    forgetPlanReads(demo, { regionId: 'ap-northeast-1', smartAGId: S.tokyo });
    expect((await plan(route())).view.items[0]?.decision).toBe('already-on-target');
  });

  it('keeps no refusal: a permission granted meanwhile counts at once', async () => {
    const client = newClient(NO_ACCOUNTS_KEY);
    const first = await plan(route(), client);
    const second = await plan(route(), client);
    expect(second.view.describeCalls).toBe(2);
    expect(second.calls.map((call) => call.action)).toEqual([
      'DescribeSmartAccessGatewayClientUsers',
      'DescribeSmartAccessGatewayClientUsers',
    ]);
    expect(second.view.findings).toEqual(
      first.view.findings.map((finding) => ({
        ...finding,
        apiError: { code: 'Forbidden.RAM', requestId: expect.any(String) },
      })),
    );
  });

  it('stops when the asker goes away, and caches nothing of the stopped read', async () => {
    const controller = new AbortController();
    const before = emulator.state.requestLog().length;
    let drawn = 0;
    const { runtime } = runtimeWith(demo, () => {
      drawn += 1;
      if (drawn === 3) controller.abort(new Error('the browser left'));
    });
    await expect(planRoamJob(runtime, route(), 'en', { signal: controller.signal })).rejects.toThrow(
      'the browser left',
    );
    const full = await plan(route());
    expect(emulator.state.requestLog().length - before - full.calls.length).toBeLessThanOrEqual(4);
    // Both lists the stopped plan was reading are read again in full (two pages of the origin, one of the target).
    expect(full.view.describeCalls).toBeGreaterThanOrEqual(3);
    await expect(
      planRoamJob(runtimeWith(demo).runtime, route(), 'en', { signal: AbortSignal.abort() }),
    ).rejects.toThrow();
  });
});

describe('reading a list ahead of the pager', () => {
  function fakeClient(pages: (pageNumber: number) => Omit<SagClientUserPage, 'pageNumber' | 'requestId'>) {
    const asked: number[] = [];
    const client: PlannerRuntime['client'] = {
      async describeSmartAccessGatewaysPage(input) {
        return {
          requestId: 'r',
          totalCount: 1,
          pageNumber: 1,
          pageSize: 50,
          instances: [
            {
              smartAGId: input.smartAGId ?? '',
              name: 'fake',
              description: undefined,
              status: 'Active',
              cidrBlock: input.smartAGId === 'sag-fakeorigin0001' ? '10.1.0.0/16' : '10.2.0.0/16',
              userCount: 5_000,
              hardwareVersion: 'sag-software',
              maxBandwidth: '10M',
              createTime: undefined,
              endTime: undefined,
              instanceType: 'software',
              regionId: input.regionId,
            },
          ],
        };
      },
      async describeSmartAccessGatewayClientUsers(input) {
        const pageNumber = input.pageNumber ?? 1;
        if (input.smartAGId === 'sag-fakeorigin0001') asked.push(pageNumber);
        return { requestId: `r${pageNumber}`, pageNumber, ...pages(pageNumber) };
      },
    };
    return { client, asked };
  }
  const users = (pageNumber: number, count: number) =>
    Array.from({ length: count }, (_, index) => ({
      userName: `user.p${pageNumber}.${index}`,
      userMail: undefined,
      clientIp: undefined,
      bandwidth: undefined,
      isStaticIp: false,
      state: 0,
    }));
  const fakeRoute: PlanRequest = {
    originRegionId: 'cn-shanghai',
    originInstanceId: 'sag-fakeorigin0001',
    targetRegionId: 'ap-northeast-1',
    targetInstanceId: 'sag-faketarget0001',
    usernames: ['user.p1.0', 'user.p3.49', 'user.p4.0'],
  };

  it('reads every page of a long list, and the names on its last page', async () => {
    const { client, asked } = fakeClient((pageNumber) => ({
      totalCount: 2_000,
      pageSize: 50,
      users: pageNumber <= 40 ? users(pageNumber, 50) : [],
    }));
    const view = await planRoamJob(
      runtimeWith(client).runtime,
      { ...fakeRoute, usernames: ['user.p40.49'] },
      'en',
    );
    expect(view.items[0]?.decision).toBe('already-on-target');
    expect([...asked].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
  });

  it('wastes a bounded number of calls when a list ends before its first page said', async () => {
    // Claims a million accounts, then ends with a short third page.
    const { client, asked } = fakeClient((pageNumber) => ({
      totalCount: 1_000_000,
      pageSize: 50,
      users: users(pageNumber, pageNumber < 3 ? 50 : pageNumber === 3 ? 50 - 1 : 50),
    }));
    const view = await planRoamJob(runtimeWith(client).runtime, fakeRoute, 'en');
    expect(view.items.map((item) => item.decision)).toEqual([
      'already-on-target',
      'not-on-origin',
      'not-on-origin',
    ]);
    expect(asked.length).toBeLessThanOrEqual(3 + 8);
  });

  it('reads a first page that claims a page size of 0 as pages of the size asked', async () => {
    const { client, asked } = fakeClient((pageNumber) => ({
      totalCount: 120,
      pageSize: 0,
      users: users(pageNumber, pageNumber <= 2 ? 50 : 20),
    }));
    const view = await planRoamJob(runtimeWith(client).runtime, fakeRoute, 'en');
    expect(asked.sort()).toEqual([1, 2, 3]);
    expect(view.items[1]?.decision).toBe('not-on-origin');
  });
});
