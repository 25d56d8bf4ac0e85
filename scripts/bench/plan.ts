// The plan of a big job: 1,000 usernames from an origin of 2,000 accounts to a target of 2,000 accounts, against
// the emulator with a cross-region round trip (200 ms added latency), its Describe calls paced by the rate
// budget the app's worker would give them (ROAM_RATE_PER_SECOND, 20 by default). Then the same plan again
// (the re-check when the job is created: the reads are kept), then once with a budget that does not bind, to
// show what the round trips alone cost.
import { DEFAULT_SEED, type EmulatorSeed, startEmulator } from '@/lib/emulator';
import { forgetPlanReads, type PlanRequest, planRoamJob } from '@/lib/roam/planner';
import { AdaptiveRateLimiter } from '@/lib/roam/rate-limiter';
import { CLIENT_USERS_PAGE_SIZE } from '@/lib/sag/client-user-pages';
import { onCleanup } from './cleanup';
import { appClient } from './clients';
import { Rows } from './report';
import { round } from './stats';

const LATENCY_MS = 200;
/** The app's default ROAM_RATE_PER_SECOND. */
const APP_RATE = 20;
const LARGER_RATE = 30;
const UNBOUND_RATE = 1_000;
const ACCOUNTS = 2_000;
const USERNAMES = 1_000;
/** Of the usernames planned, this many are on the target already. */
const ON_TARGET = 100;
const TARGET_MS = 2_000;

const ORIGIN = { regionId: 'cn-shanghai', instanceId: 'sag-shplanorigin00000001' } as const;
const TARGET = { regionId: 'ap-northeast-1', instanceId: 'sag-jpplantarget00000001' } as const;
const name = (index: number) => `plan.user${String(index).padStart(4, '0')}`;

function planSeed(): EmulatorSeed {
  const seed = structuredClone(DEFAULT_SEED);
  const common = {
    instanceType: 'software' as const,
    status: 'Active',
    maxBandwidthMbps: 10,
    // The most an instance holds: the target is full, and the plan says so.
    quota: ACCOUNTS,
    createTime: '2024-01-01T00:00:00Z',
    endTime: '2030-01-01T00:00:00Z',
    defaultBandwidthKbps: 2_000,
  };
  seed.instances.push(
    {
      ...common,
      smartAgId: ORIGIN.instanceId,
      regionId: ORIGIN.regionId,
      name: 'shanghai-plan-origin-app',
      cidrBlock: '10.61.0.0/16',
      mailDomain: 'corp.example.com',
      generatedAccounts: [{ userName: 'plan.user{n}', count: ACCOUNTS, pad: 4 }],
    },
    {
      ...common,
      smartAgId: TARGET.instanceId,
      regionId: TARGET.regionId,
      name: 'tokyo-plan-target-app',
      cidrBlock: '10.71.0.0/16',
      mailDomain: 'corp.example.jp',
      accounts: Array.from({ length: ON_TARGET }, (_, index) => ({ userName: name(index + 1) })),
      generatedAccounts: [{ userName: 'plan.member{n}', count: ACCOUNTS - ON_TARGET, pad: 4 }],
    },
  );
  return seed;
}

export async function benchPlan(): Promise<Rows['rows']> {
  const rows = new Rows('plan');
  const emulator = await startEmulator({
    host: '127.0.0.1',
    port: 0,
    seed: planSeed(),
    knobs: { latencyMs: LATENCY_MS },
  });
  const closeEmulator = onCleanup('emulator', () => emulator.close());
  const client = appClient(emulator);
  const closeClient = onCleanup('plan client', async () => client.close());
  try {
    const input: PlanRequest = {
      originRegionId: ORIGIN.regionId,
      originInstanceId: ORIGIN.instanceId,
      targetRegionId: TARGET.regionId,
      targetInstanceId: TARGET.instanceId,
      usernames: Array.from({ length: USERNAMES }, (_, index) => name(index + 1)),
    };
    const timed = async (ratePerSecond: number) => {
      const runtime = { client, worker: { limiter: new AdaptiveRateLimiter({ ratePerSecond }) } };
      const before = emulator.state.requestLog().length;
      const started = performance.now();
      const view = await planRoamJob(runtime, input, 'en');
      const ms = performance.now() - started;
      return { view, ms, requests: emulator.state.requestLog().length - before };
    };

    const cold = await timed(APP_RATE);
    const { counts } = cold.view;
    if (counts.total !== USERNAMES || counts.alreadyOnTarget !== ON_TARGET) {
      throw new Error(`unexpected plan: ${JSON.stringify(counts)}`);
    }
    if (cold.requests !== cold.view.describeCalls) {
      throw new Error(`the plan counted ${cold.view.describeCalls} calls, the emulator saw ${cold.requests}`);
    }
    const seconds = (ms: number) => `${round(ms / 1000, 2)} s`;
    rows.check(
      `plan, ${USERNAMES} usernames, 2 × ${ACCOUNTS} accounts, ${LATENCY_MS} ms latency, ${APP_RATE} calls/s`,
      seconds(cold.ms),
      `≤ ${TARGET_MS / 1000} s`,
      cold.ms <= TARGET_MS,
      { measured: cold.ms / 1000, unit: 's' },
    );
    rows.info('Describe calls of that plan', String(cold.view.describeCalls), {
      measured: cold.view.describeCalls,
      note: `two instances, then ${ACCOUNTS / CLIENT_USERS_PAGE_SIZE} pages of ${CLIENT_USERS_PAGE_SIZE} accounts per list`,
    });
    const boundMs = ((cold.view.describeCalls - 1) / APP_RATE) * 1000 + LATENCY_MS;
    rows.info(`lower bound at ${APP_RATE} calls/s`, seconds(boundMs), {
      measured: boundMs / 1000,
      unit: 's',
    });
    rows.info(
      'its decisions',
      `${counts.alreadyOnTarget} already on target, ${counts.overQuota} over quota (target full), ${counts.send} to send`,
    );

    // A larger budget, to show what the account's rate, not the planner, costs.
    forgetPlanReads(client);
    const larger = await timed(LARGER_RATE);
    rows.info(`the same plan at ${LARGER_RATE} calls/s`, seconds(larger.ms), {
      measured: larger.ms / 1000,
      unit: 's',
    });

    const again = await timed(APP_RATE);
    rows.info('the same plan again (re-check at creation)', `${seconds(again.ms)}, ${again.requests} calls`, {
      measured: again.ms / 1000,
      unit: 's',
    });

    forgetPlanReads(client);
    const unbound = await timed(UNBOUND_RATE);
    rows.info(
      `plan with a budget that does not bind (${UNBOUND_RATE} calls/s)`,
      `${seconds(unbound.ms)}, ${unbound.view.describeCalls} calls`,
      { measured: unbound.ms / 1000, unit: 's' },
    );
  } finally {
    await closeClient();
    await closeEmulator();
  }
  return rows.rows;
}
