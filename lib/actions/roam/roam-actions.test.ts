// The roam actions as Next.js calls them (planning, verifying): the app's runtime with its in-process emulator and an embedded PostgreSQL
// directory; only the request's cookies and headers are stood in for, as in app/authorization.test.ts.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('next/headers', async () => (await import('@/lib/testing/next-request')).nextHeaders);
vi.mock('next/cache', async () => (await import('@/lib/testing/next-request')).nextCache);

import { hashPassword } from '@/lib/auth/passwords';
import { startSession } from '@/lib/auth/sessions';
import { createJob, getJob } from '@/lib/db/jobs';
import { createUser } from '@/lib/db/users';
import { SEED_INSTANCES, SEED_USERS } from '@/lib/emulator';
import { forgetPlanReads } from '@/lib/roam/planner';
import { getRuntime, type Runtime } from '@/lib/runtime';
import { testRequest as request } from '@/lib/testing/next-request';
import { reachableTempDir } from '@/lib/testing/temp-dir';
import { cancelJobAction, previewUndoAction, undoJobAction } from './control-job';
import { planRoamJobAction } from './plan-roam-job';
import { retryFailedItemsAction } from './retry-failed-items';
import { verifyJobOnTargetAction } from './verify-job-on-target';

let runtime: Runtime;
const tokens: Record<'viewer' | 'operator', string> = { viewer: '', operator: '' };

const VALID = {
  originRegionId: 'cn-shanghai',
  originInstanceId: SEED_INSTANCES.shanghaiHq,
  targetRegionId: 'cn-hangzhou',
  targetInstanceId: SEED_INSTANCES.hangzhouRnd,
  usernames: [SEED_USERS.ready, SEED_USERS.clash, SEED_USERS.unknown],
};

const outbound = () => runtime.emulator?.state.requestLog().length ?? -1;

beforeAll(async () => {
  process.env.SAG_MODE = 'emulator';
  process.env.DATA_DIR = reachableTempDir('sag-roam-plan-action-');
  process.env.ROAM_RATE_PER_SECOND = '100';
  runtime = await getRuntime();
  for (const role of ['viewer', 'operator'] as const) {
    const user = await createUser(runtime.db, {
      email: `${role}@example.com`,
      passwordHash: await hashPassword(`${role}-password-123`),
      role,
      createdBy: 'the test',
    });
    if (!user) throw new Error(`could not create the ${role}`);
    tokens[role] = (await startSession(runtime.db, { userId: user.id })).token;
  }
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  if (process.env.DATA_DIR) rmSync(process.env.DATA_DIR, { recursive: true, force: true });
});

beforeEach(() => {
  request.token = tokens.operator;
  forgetPlanReads(runtime.client);
});

describe('planRoamJobAction', () => {
  it('answers the plan, read from the API', async () => {
    const before = outbound();
    const result = await planRoamJobAction(VALID);
    if (!result.ok) throw new Error(`refused: ${result.formError}`);
    expect(result.data.items.map((item) => item.decision)).toEqual([
      'send',
      'already-on-target',
      'not-on-origin',
    ]);
    expect(result.data.findings.map((finding) => finding.code)).toEqual(['same-area']);
    expect(result.data.origin.name).toBe('shanghai-hq-app');
    expect(result.data.describeCalls).toBe(outbound() - before);
    expect(result.data.describeCalls).toBeGreaterThan(0);
  });

  it.each([
    ['an unknown-format region', { originRegionId: 'Shanghai!' }, 'originRegionId'],
    ['a malformed instance ID', { targetInstanceId: 'sag-NOT-AN-ID' }, 'targetInstanceId'],
    ['no username', { usernames: [] }, 'usernames'],
    ['an invalid username', { usernames: ['bad name!'] }, 'usernames'],
    [
      'more usernames than the limit',
      { usernames: Array.from({ length: 1_001 }, (_, index) => `user.${String(index).padStart(4, '0')}`) },
      'usernames',
    ],
  ])('refuses %s with a message on that field and makes no call', async (_, change, field) => {
    const before = outbound();
    const result = await planRoamJobAction({ ...VALID, ...change });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors ?? {})).toEqual([field]);
    expect(result.fieldErrors?.[field]?.[0]).toMatch(/\w/);
    expect(result.reference).toBeUndefined();
    expect(outbound()).toBe(before);
  });

  it('names the limit when there are too many usernames', async () => {
    const result = await planRoamJobAction({
      ...VALID,
      usernames: Array.from({ length: 1_001 }, (_, index) => `user.${String(index).padStart(4, '0')}`),
    });
    expect(result.ok ? [] : result.fieldErrors?.usernames).toEqual([expect.stringContaining('1,000')]);
  });

  it('is refused to a viewer, without a call', async () => {
    request.token = tokens.viewer;
    const before = outbound();
    const result = await planRoamJobAction(VALID);
    expect(result).toMatchObject({ ok: false, status: 403 });
    expect(outbound()).toBe(before);
  });

  it('answers an API error with its text for the admin, its code and RequestId', async () => {
    const result = await planRoamJobAction({ ...VALID, targetRegionId: 'eu-west-1' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.formError).toMatch(
      /^The plan could not be made: .+ \(InvalidRegionId, RequestId [A-Za-z0-9-]+\)$/,
    );
    expect(result.reference).toBeUndefined();
  });
});

describe('verifyJobOnTargetAction', () => {
  it('answers how many usernames are on the target and how many are missing, and records each', async () => {
    // Both skipped by the plan, so nothing is sent: the verify alone decides what is recorded.
    const job = await createJob(runtime.db, {
      createdBy: 'operator@example.com',
      ...VALID,
      usernames: [SEED_USERS.clash, SEED_USERS.unknown],
      decisions: new Map([
        [SEED_USERS.clash, 'already-on-target'],
        [SEED_USERS.unknown, 'not-on-origin'],
      ]),
      mode: 'emulator',
    });

    const result = await verifyJobOnTargetAction({ jobId: job.id });

    expect(result).toEqual({
      ok: true,
      data: {
        count: 2,
        present: 1,
        missing: 1,
        message: `1 of 2 usernames are on ${SEED_INSTANCES.hangzhouRnd}; 1 missing.`,
      },
    });
    const items = (await getJob(runtime.db, job.id))?.items ?? [];
    expect(items.map((item) => [item.username, item.targetPresence])).toEqual([
      [SEED_USERS.clash, 'present'],
      [SEED_USERS.unknown, 'missing'],
    ]);
  });

  it("answers the target's mapped Alibaba Cloud error, with its code and RequestId, and changes nothing", async () => {
    const job = await createJob(runtime.db, {
      createdBy: 'operator@example.com',
      originRegionId: 'cn-shanghai',
      originInstanceId: SEED_INSTANCES.shanghaiHq,
      targetRegionId: 'cn-hangzhou',
      targetInstanceId: 'sag-0deleted0instance000',
      usernames: [SEED_USERS.ready],
      mode: 'emulator',
    });

    const result = await verifyJobOnTargetAction({ jobId: job.id });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.formError).toMatch(
      /^The target instance could not be listed: The SAG APP instance was not found\. .*\(SAG\.InstanceNoFound, RequestId [0-9A-F]{8}-/,
    );
    expect(result.reference).toBeUndefined();
  });
});

describe('cancel and undo actions: every refusal is specific, changes nothing and makes no call', () => {
  const job = (usernames: string[]) =>
    createJob(runtime.db, {
      createdBy: 'operator@example.com',
      ...{
        originRegionId: 'cn-shanghai',
        originInstanceId: SEED_INSTANCES.shanghaiHq,
        targetRegionId: 'ap-northeast-1',
        targetInstanceId: SEED_INSTANCES.tokyo,
      },
      usernames,
      mode: 'emulator',
    });
  const stored = async (jobId: string) => {
    const details = await getJob(runtime.db, jobId);
    return (
      details && { status: details.status, cancelledAt: details.cancelledAt, undoneBy: details.undoneBy }
    );
  };

  it('answers malformed input with the field error, and an unknown job as missing', async () => {
    for (const action of [cancelJobAction, previewUndoAction, undoJobAction]) {
      expect(await action({ jobId: 'DROP TABLE' })).toMatchObject({
        ok: false,
        fieldErrors: { jobId: ['Not a job ID'] },
      });
      expect(await action({ jobId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
        ok: false,
        formError: 'This job does not exist.',
      });
      expect(await action({})).toMatchObject({ ok: false });
    }
  });

  it('refuses to cancel an ended job and to undo a running one, a second time, or an undo', async () => {
    await runtime.worker.stop();
    // Counted once the worker has stopped: a call an earlier test's job still had in flight has landed by then.
    const before = outbound();
    try {
      const running = await job(['cancel.action01', 'cancel.action02']);
      expect(await undoJobAction({ jobId: running.id })).toMatchObject({
        ok: false,
        formError: 'This job is still running: cancel it first, or wait until it has ended, then undo it.',
      });
      expect(await cancelJobAction({ jobId: running.id })).toMatchObject({
        ok: true,
        data: {
          answer: { kind: 'cancel', cancelled: 2, jobEnded: true },
          message: 'Job cancelled: 2 usernames were not sent.',
        },
      });
      const cancelled = await stored(running.id);
      expect(cancelled?.status).toBe('cancelled');
      expect(await cancelJobAction({ jobId: running.id })).toMatchObject({
        ok: false,
        formError: 'This job has already ended: there is nothing left to cancel.',
      });
      expect(await stored(running.id)).toEqual(cancelled);
      expect(await previewUndoAction({ jobId: running.id })).toMatchObject({
        ok: false,
        formError:
          'Nothing to undo: no account was roamed by an accepted call of this job (or a later job roamed them again).',
      });
      expect(outbound()).toBe(before);
    } finally {
      runtime.worker.start();
    }

    const roamed = await job([SEED_USERS.readyPlain]);
    runtime.worker.kick();
    expect(await runtime.worker.waitForJob(roamed.id, 10_000)).toBe(true);
    expect(await previewUndoAction({ jobId: roamed.id })).toMatchObject({
      ok: true,
      data: { count: 1, withoutOwnCall: 0, roamedAgainLater: 0 },
    });
    const undone = await undoJobAction({ jobId: roamed.id });
    if (!undone.ok) throw new Error(undone.formError);
    expect(undone.data).toMatchObject({
      answer: { kind: 'undo', removing: 1 },
      message: 'Undo started: 1 account is being removed from the target.',
    });
    expect(await undoJobAction({ jobId: roamed.id })).toMatchObject({
      ok: false,
      formError: 'This job has already been undone (a job is undone once).',
    });
    expect(await undoJobAction({ jobId: undone.data.undoJobId })).toMatchObject({ ok: false });
    expect(await runtime.worker.waitForJob(undone.data.undoJobId, 10_000)).toBe(true);
    expect(await undoJobAction({ jobId: undone.data.undoJobId })).toMatchObject({
      ok: false,
      formError: 'An undo cannot be undone: roam the usernames again with a new job (through the plan).',
    });
  });

  it("answers a retry with its count beside its words, for the job view to say in the reader's language", async () => {
    const nothingFailed = await createJob(runtime.db, {
      createdBy: 'operator@example.com',
      ...VALID,
      usernames: [SEED_USERS.clash],
      decisions: new Map([[SEED_USERS.clash, 'already-on-target']]),
      mode: 'emulator',
    });
    expect(await retryFailedItemsAction({ jobId: nothingFailed.id })).toEqual({
      ok: true,
      data: { answer: { kind: 'retry', retried: 0 }, message: 'No failed item to retry.' },
    });
  });

  it('is refused to a viewer, before anything is read', async () => {
    request.token = tokens.viewer;
    const running = await job(['cancel.viewer01']);
    expect(await cancelJobAction({ jobId: running.id })).toMatchObject({ ok: false, status: 403 });
    expect((await stored(running.id))?.cancelledAt).toBeNull();
  });
});
