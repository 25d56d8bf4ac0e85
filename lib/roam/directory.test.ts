// The instance picker's list against the emulator, through the real client: SAG APP instances only, each with
// its quota as the API gives it (UserCount) and no count of accounts in use, which would cost a call each.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_ACCESS_KEY, type Emulator, SEED_INSTANCES, startEmulator } from '@/lib/emulator';
import { en } from '@/lib/i18n/messages/en';
import { zhCN } from '@/lib/i18n/messages/zh-CN';
import { createTranslator } from '@/lib/i18n/translate';
import { createSagClient, type SagClient } from '@/lib/sag/client';
import { staticCredentials } from '@/lib/sag/credentials';

const runtime = vi.hoisted(() => ({ client: undefined as SagClient | undefined }));
vi.mock('@/lib/runtime', () => ({ getRuntime: async () => ({ client: runtime.client }) }));

import { listAppInstances } from './directory';

const S = SEED_INSTANCES;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
  runtime.client = createSagClient({
    credentials: staticCredentials(DEMO_ACCESS_KEY),
    signatureVersion: 'v3',
    endpoint: emulator.url,
    timeoutMs: 3_000,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
});
afterAll(async () => {
  runtime.client?.close();
  await emulator.close();
});

describe('listAppInstances', () => {
  it('lists the APP instances of a region with their quota, in one call per page', async () => {
    emulator.state.reset();
    expect(await listAppInstances('cn-hangzhou')).toEqual([
      {
        smartAGId: S.hangzhouRnd,
        name: 'hangzhou-rnd-app',
        status: 'Active',
        cidrBlock: '10.20.0.0/16',
        quota: 300,
      },
      { smartAGId: S.hangzhouLab, name: 'hangzhou-lab-app', status: 'Active', cidrBlock: '', quota: 100 },
    ]);
    const log = emulator.state.requestLog();
    expect(log.map((entry) => [entry.action, entry.params.InstanceType])).toEqual([
      ['DescribeSmartAccessGateways', 'software'],
    ]);
  });

  it('leaves hardware out, whatever its model, and keeps an inactive APP instance (the plan says why)', async () => {
    expect((await listAppInstances('eu-central-1')).map((instance) => instance.smartAGId)).toEqual([
      S.frankfurtEu,
    ]);
    expect(await listAppInstances('ap-northeast-1')).toEqual([
      expect.objectContaining({ smartAGId: S.tokyo, status: 'Active', quota: 100 }),
      expect.objectContaining({ smartAGId: S.japanStandby, status: 'Init', quota: 100 }),
    ]);
  });

  it('gives the quota of a nearly full instance, not its accounts in use', async () => {
    const ops = (await listAppInstances('cn-hongkong')).find(
      (instance) => instance.smartAGId === S.hongkongOps,
    );
    expect(ops).toEqual({
      smartAGId: S.hongkongOps,
      name: 'hongkong-ops-app',
      status: 'Active',
      cidrBlock: '10.80.0.0/16',
      quota: 100,
    });
    expect(emulator.state.instance(S.hongkongOps)?.accountCount).toBe(70);
  });
});

describe("the picker's description of an instance", () => {
  const values = { id: S.hangzhouRnd, status: 'Active', cidr: '10.20.0.0/16' };

  it('names the quota, or leaves it out when the API gives none', () => {
    const t = createTranslator('en', en);
    expect(t('instances.describe', { ...values, quota: 2000 })).toBe(
      `${S.hangzhouRnd} · Active · quota 2,000 · CIDR 10.20.0.0/16`,
    );
    expect(t('instances.describeNoQuota', values)).toBe(`${S.hangzhouRnd} · Active · CIDR 10.20.0.0/16`);
    const zh = createTranslator('zh-CN', zhCN);
    expect(zh('instances.describe', { ...values, quota: 300 })).toBe(
      `${S.hangzhouRnd} · Active · 配额 300 个账号 · 网段 10.20.0.0/16`,
    );
  });
});
