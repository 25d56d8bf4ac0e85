import { isValidElement, type ReactElement } from 'react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('next/headers', async () => (await import('@/lib/testing/next-request')).nextHeaders);
vi.mock('next/cache', async () => (await import('@/lib/testing/next-request')).nextCache);

import { sql } from 'drizzle-orm';
import { NotAllowed } from '@/components/auth/not-allowed';
import {
  addUserAction,
  changeUserRoleAction,
  resetUserPasswordAction,
  setUserDisabledAction,
} from '@/lib/actions/admin/users';
import { cancelJobAction, previewUndoAction, undoJobAction } from '@/lib/actions/roam/control-job';
import { createRoamJobAction } from '@/lib/actions/roam/create-roam-job';
import { planRoamJobAction } from '@/lib/actions/roam/plan-roam-job';
import { retryFailedItemsAction } from '@/lib/actions/roam/retry-failed-items';
import { verifyJobOnTargetAction } from '@/lib/actions/roam/verify-job-on-target';
import { hashPassword } from '@/lib/auth/passwords';
import type { Role } from '@/lib/auth/roles';
import { startSession } from '@/lib/auth/sessions';
import { createJob, listRunningJobIds } from '@/lib/db/jobs';
import { createUser, getUserById, signInProviderUser } from '@/lib/db/users';
import { getRuntime, type Runtime } from '@/lib/runtime';
import { testRequest as request } from '@/lib/testing/next-request';
import { reachableTempDir } from '@/lib/testing/temp-dir';
import UsersPage from './admin/users/page';
import * as oidcCallback from './api/auth/oidc/callback/route';
import * as oidcStart from './api/auth/oidc/start/route';
import * as jobExport from './api/jobs/[id]/export/route';
import * as job from './api/jobs/[id]/route';
import * as jobsExport from './api/jobs/export/route';
import * as clientUsers from './api/regions/[regionId]/instances/[instanceId]/users/route';
import * as instances from './api/regions/[regionId]/instances/route';
import * as regions from './api/regions/route';
import JobPage from './history/[id]/page';
import HistoryPage from './history/page';
import RoamPage from './page';

// Local accounts and accounts of the identity provider (single sign-on) hold the same rights per role.
type Who = 'anonymous' | Role | `sso-${Role}`;
const everyone: Who[] = [
  'anonymous',
  'viewer',
  'sso-viewer',
  'operator',
  'sso-operator',
  'admin',
  'sso-admin',
];
const rank: Record<Who, number> = {
  anonymous: 0,
  viewer: 1,
  'sso-viewer': 1,
  operator: 2,
  'sso-operator': 2,
  admin: 3,
  'sso-admin': 3,
};
const allowed = (who: Who, needed: Role) => rank[who] >= rank[needed];

let runtime: Runtime;
const tokens: Partial<Record<Who, string>> = {};
/** The account the admin actions change: none of the acting users, so their sessions stay valid. */
let subjectId = '';
/** An account of the identity provider, for the changes an admin may not make to one. */
let ssoSubjectId = '';
let jobId = '';

function as(who: Who) {
  request.token = who === 'anonymous' ? undefined : tokens[who];
}

/** Waits until the worker has finished every job an allowed call started, so later snapshots are stable. */
async function settle() {
  for (const id of await listRunningJobIds(runtime.db)) {
    expect(await runtime.worker.waitForJob(id, 15_000)).toBe(true);
  }
}

/** Everything a denied call could touch: outbound calls and every table. */
async function snapshot() {
  const counts = await runtime.db.execute(sql`
    select 'jobs' as name, count(*)::int as rows from roam_jobs
    union all select 'items', count(*)::int from roam_items
    union all select 'attempts', count(*)::int from roam_attempts
    union all select 'users', count(*)::int from users
    union all select 'users_changed', count(*)::int from users where updated_at > created_at
    union all select 'events', count(*)::int from user_events
    union all select 'item_states', count(*)::int from roam_items where status <> 'failed'`);
  return {
    outbound: runtime.emulator?.state.requestLog().length,
    tables: (counts as unknown as { rows: unknown[] }).rows,
  };
}

const routeCalls = {
  'GET /api/regions': {
    role: 'operator',
    call: () => regions.GET(new Request('http://app/api/regions'), { params: Promise.resolve({}) }),
  },
  'GET /api/regions/[regionId]/instances': {
    role: 'operator',
    call: () =>
      instances.GET(new Request('http://app/api/regions/cn-shanghai/instances'), {
        params: Promise.resolve({ regionId: 'cn-shanghai' }),
      }),
  },
  'GET /api/regions/[regionId]/instances/[instanceId]/users': {
    role: 'operator',
    call: () =>
      clientUsers.GET(
        new Request('http://app/api/regions/cn-shanghai/instances/sag-shhqisehm13vdzujo497/users?page=1'),
        {
          params: Promise.resolve({ regionId: 'cn-shanghai', instanceId: 'sag-shhqisehm13vdzujo497' }),
        },
      ),
  },
  'GET /api/jobs/[id]': {
    role: 'viewer',
    call: () =>
      job.GET(new Request(`http://app/api/jobs/${jobId}`), { params: Promise.resolve({ id: jobId }) }),
  },
  'GET /api/jobs/[id]/export': {
    role: 'viewer',
    call: () =>
      jobExport.GET(new Request(`http://app/api/jobs/${jobId}/export`), {
        params: Promise.resolve({ id: jobId }),
      }),
  },
  'GET /api/jobs/export': {
    role: 'viewer',
    call: () => jobsExport.GET(new Request('http://app/api/jobs/export'), { params: Promise.resolve({}) }),
  },
} satisfies Record<string, { role: Role; call: () => Promise<Response> }>;

// A new username of the origin for each allowed call: the plan skips one already on the target.
let roamed = 0;
const roamInput = () => ({
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-shhqisehm13vdzujo497',
  targetRegionId: 'ap-northeast-1',
  targetInstanceId: 'sag-jptk65n2k1jy6rqfktbz',
  usernames: [`shstaff${String(++roamed).padStart(3, '0')}`],
});

/** The job a control action acts on, made for each allowed call (denied calls get the shared job). */
let controlJobId = '';
const tokyoRoute = {
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-shhqisehm13vdzujo497',
  targetRegionId: 'ap-northeast-1',
  targetInstanceId: 'sag-jptk65n2k1jy6rqfktbz',
};
let running = 0;
/** A job still sending: 40 usernames at the worker's pace. */
async function runningJob() {
  const batch = ++running;
  const created = await createJob(runtime.db, {
    createdBy: 'operator@example.com',
    ...tokyoRoute,
    usernames: Array.from({ length: 40 }, (_, index) => `cancel.me${batch}x${index}`),
    mode: 'emulator',
  });
  controlJobId = created.id;
}
/** A finished job that roamed one account with its own accepted call. */
async function roamedJob() {
  const created = await createJob(runtime.db, {
    createdBy: 'operator@example.com',
    ...tokyoRoute,
    usernames: roamInput().usernames,
    mode: 'emulator',
  });
  runtime.worker.kick();
  expect(await runtime.worker.waitForJob(created.id, 10_000)).toBe(true);
  controlJobId = created.id;
}
const controlled = () => ({ jobId: controlJobId || jobId });

const actionCalls = {
  cancelJobAction: { role: 'operator', prepare: runningJob, call: () => cancelJobAction(controlled()) },
  previewUndoAction: { role: 'operator', prepare: roamedJob, call: () => previewUndoAction(controlled()) },
  undoJobAction: { role: 'operator', prepare: roamedJob, call: () => undoJobAction(controlled()) },
  createRoamJobAction: { role: 'operator', call: () => createRoamJobAction(roamInput()) },
  planRoamJobAction: { role: 'operator', call: () => planRoamJobAction(roamInput()) },
  retryFailedItemsAction: { role: 'operator', call: () => retryFailedItemsAction({ jobId }) },
  verifyJobOnTargetAction: { role: 'operator', call: () => verifyJobOnTargetAction({ jobId }) },
  addUserAction: {
    role: 'admin',
    call: () =>
      addUserAction({
        email: `new-${Date.now()}@example.com`,
        role: 'viewer',
        password: 'a-long-password-1',
      }),
  },
  changeUserRoleAction: {
    role: 'admin',
    call: () => changeUserRoleAction({ userId: subjectId, role: 'operator' }),
  },
  setUserDisabledAction: {
    role: 'admin',
    call: () => setUserDisabledAction({ userId: subjectId, disabled: true }),
  },
  resetUserPasswordAction: {
    role: 'admin',
    call: () => resetUserPasswordAction({ userId: subjectId, password: 'another-long-password' }),
  },
} satisfies Record<
  string,
  { role: Role; prepare?: () => Promise<void>; call: () => Promise<{ ok: boolean }> }
>;

const pageCalls = {
  '/': { role: 'operator', call: () => RoamPage({ searchParams: Promise.resolve({}) }) },
  '/history': { role: 'viewer', call: () => HistoryPage({ searchParams: Promise.resolve({}) }) },
  '/history/[id]': { role: 'viewer', call: () => JobPage({ params: Promise.resolve({ id: jobId }) }) },
  '/admin/users': { role: 'admin', call: () => UsersPage() },
} satisfies Record<string, { role: Role; call: () => Promise<ReactElement> }>;

beforeAll(async () => {
  process.env.SAG_MODE = 'emulator';
  process.env.DATA_DIR = reachableTempDir('sag-roam-authz-');
  process.env.ROAM_RATE_PER_SECOND = '100';
  runtime = await getRuntime();
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    const user = await createUser(runtime.db, {
      email: `${role}@example.com`,
      passwordHash: await hashPassword(`${role}-password-123`),
      role,
      createdBy: 'the test',
    });
    if (!user) throw new Error(`could not create the ${role}`);
    tokens[role] = (await startSession(runtime.db, { userId: user.id })).token;
    const sso = await signInProviderUser(runtime.db, {
      issuer: 'https://login.example.com',
      subject: `subject-of-${role}`,
      email: `${role}@sso.example.com`,
      role,
    });
    if (!sso.ok) throw new Error(`could not sign in the single sign-on ${role}`);
    tokens[`sso-${role}`] = (await startSession(runtime.db, { userId: sso.user.id })).token;
  }
  const ssoSubject = await signInProviderUser(runtime.db, {
    issuer: 'https://login.example.com',
    subject: 'subject-of-a-provider-account',
    email: 'provider-subject@sso.example.com',
    role: 'viewer',
  });
  if (!ssoSubject.ok) throw new Error('could not sign in the single sign-on subject');
  ssoSubjectId = ssoSubject.user.id;
  const subject = await createUser(runtime.db, {
    email: 'subject@example.com',
    passwordHash: await hashPassword('subject-password-123'),
    role: 'viewer',
    createdBy: 'the test',
  });
  if (!subject) throw new Error('could not create the subject');
  subjectId = subject.id;
  // One job with a failed item, so that retry and verify have something to act on.
  const created = await createJob(runtime.db, {
    createdBy: 'operator@example.com',
    ...{
      originRegionId: 'cn-shanghai',
      originInstanceId: 'sag-shhqisehm13vdzujo497',
      targetRegionId: 'cn-hangzhou',
      targetInstanceId: 'sag-hzrdu7a0kxemg6nf99vr',
    },
    usernames: ['wang.fang@corp.example.com'],
    mode: 'emulator',
  });
  jobId = created.id;
  runtime.worker.kick();
  expect(await runtime.worker.waitForJob(jobId, 10_000)).toBe(true);
}, 60_000);

afterAll(async () => {
  await runtime?.close();
});

describe('route handlers', () => {
  for (const [name, route] of Object.entries(routeCalls)) {
    for (const who of everyone) {
      const expected = allowed(who, route.role) ? 200 : who === 'anonymous' ? 401 : 403;
      it(`${name} as ${who} → ${expected}`, async () => {
        as(who);
        const before = await snapshot();
        const response = await route.call();
        expect(response.status).toBe(expected);
        if (expected !== 200) {
          const body = (await response.json()) as { error: { code: string; title: string } };
          expect(body.error.code).toBe(expected === 401 ? 'Unauthenticated' : 'Forbidden');
          expect(await snapshot()).toEqual(before);
        }
      });
    }
  }
});

describe('server actions', () => {
  for (const [name, action] of Object.entries(actionCalls)) {
    // The admin runs last: its allowed calls change state that the denied checks compare.
    for (const who of everyone) {
      const permitted = allowed(who, action.role);
      it(`${name} as ${who} → ${permitted ? 'allowed' : 'denied'}`, async () => {
        as(who);
        controlJobId = '';
        if (permitted && 'prepare' in action) await action.prepare();
        const before = await snapshot();
        const result = await action.call();
        if (permitted) {
          expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
          await settle();
          return;
        }
        expect(result).toMatchObject({ ok: false, status: who === 'anonymous' ? 401 : 403 });
        expect(await snapshot()).toEqual(before);
      });
    }
  }
});

describe('accounts of the identity provider', () => {
  it('single sign-on routes answer 404 while it is not configured, and change nothing', async () => {
    as('anonymous');
    const before = await snapshot();
    for (const response of [
      await oidcStart.GET(new Request('http://app/api/auth/oidc/start?next=/')),
      await oidcCallback.GET(new Request('http://app/api/auth/oidc/callback?code=x&state=y')),
    ]) {
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('Single sign-on is not configured.\n');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('an admin may disable one, but not change its role or reset its password: nothing changes', async () => {
    as('admin');
    const before = await snapshot();
    for (const result of [
      await changeUserRoleAction({ userId: ssoSubjectId, role: 'admin' }),
      await resetUserPasswordAction({ userId: ssoSubjectId, password: 'a-long-password-for-sso' }),
    ]) {
      expect(result).toMatchObject({ ok: false });
      expect(result.ok ? '' : result.formError).toMatch(
        /signs in with .*its role comes from its groups there/,
      );
    }
    expect(await snapshot()).toEqual(before);
    expect((await getUserById(runtime.db, ssoSubjectId))?.role).toBe('viewer');
    expect(await setUserDisabledAction({ userId: ssoSubjectId, disabled: true })).toMatchObject({ ok: true });
    expect((await getUserById(runtime.db, ssoSubjectId))?.disabled).toBe(true);
  });
});

describe('pages', () => {
  for (const [name, page] of Object.entries(pageCalls)) {
    for (const who of everyone) {
      const outcome = who === 'anonymous' ? 'sign-in' : allowed(who, page.role) ? 'content' : 'not allowed';
      it(`${name} as ${who} → ${outcome}`, async () => {
        as(who);
        const before = await snapshot();
        if (outcome === 'sign-in') {
          await expect(page.call()).rejects.toMatchObject({
            digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/sign-in\?next=/),
          });
        } else {
          const element = await page.call();
          expect(isValidElement(element)).toBe(true);
          expect(element.type === NotAllowed).toBe(outcome === 'not allowed');
        }
        expect(await snapshot()).toEqual(before);
      });
    }
  }
});
