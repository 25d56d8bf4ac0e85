import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('next/headers', async () => (await import('@/lib/testing/next-request')).nextHeaders);

import { sql } from 'drizzle-orm';
import { hashPassword } from '@/lib/auth/passwords';
import { startSession } from '@/lib/auth/sessions';
import { createJob, setPresence } from '@/lib/db/jobs';
import { createUser } from '@/lib/db/users';
import { SEED_INSTANCES, SEED_USERS } from '@/lib/emulator';
import type { ErrorView, JobChangesView, JobView } from '@/lib/roam/view-models';
import { getRuntime, type Runtime } from '@/lib/runtime';
import { testRequest as request } from '@/lib/testing/next-request';
import { reachableTempDir } from '@/lib/testing/temp-dir';
import { GET } from './route';

let runtime: Runtime;
let viewerToken = '';
let jobId = '';

const USERNAMES = [SEED_USERS.readyPlain, SEED_USERS.staticIp, SEED_USERS.unknown];

async function get(query: string, id = jobId) {
  const response = await GET(new Request(`http://app/api/jobs/${id}${query}`), {
    params: Promise.resolve({ id }),
  });
  const text = await response.text();
  return { status: response.status, bytes: Buffer.byteLength(text), body: JSON.parse(text) as unknown };
}

async function tablesAndCalls() {
  const rows = await runtime.db.execute(sql`
    select 'jobs' as name, count(*)::int as rows from roam_jobs
    union all select 'items', count(*)::int from roam_items
    union all select 'attempts', count(*)::int from roam_attempts
    union all select 'changed', count(*)::int from roam_items where target_presence is not null`);
  return {
    calls: runtime.emulator?.state.requestLog().length,
    rows: (rows as unknown as { rows: unknown[] }).rows,
  };
}

beforeAll(async () => {
  process.env.SAG_MODE = 'emulator';
  process.env.DATA_DIR = reachableTempDir('sag-roam-job-route-');
  process.env.ROAM_RATE_PER_SECOND = '100';
  runtime = await getRuntime();
  const viewer = await createUser(runtime.db, {
    email: 'viewer@example.com',
    passwordHash: await hashPassword('viewer-password-123'),
    role: 'viewer',
    createdBy: 'the test',
  });
  if (!viewer) throw new Error('could not create the viewer');
  viewerToken = (await startSession(runtime.db, { userId: viewer.id })).token;
  const job = await createJob(runtime.db, {
    createdBy: 'operator@example.com',
    originRegionId: 'cn-shanghai',
    originInstanceId: SEED_INSTANCES.shanghaiHq,
    targetRegionId: 'ap-northeast-1',
    targetInstanceId: SEED_INSTANCES.tokyo,
    usernames: USERNAMES,
    mode: 'emulator',
  });
  jobId = job.id;
  runtime.worker.kick();
  // The worker is idle from here on, so the only changes are the test's own.
  expect(await runtime.worker.waitForJob(jobId, 15_000)).toBe(true);
  request.token = viewerToken;
}, 60_000);

afterAll(async () => {
  await runtime?.close();
});

describe('GET /api/jobs/[id]', () => {
  it('answers the whole job with a cursor when no cursor is sent', async () => {
    const { status, body } = await get('');
    expect(status).toBe(200);
    const { job } = body as { job: JobView };
    expect(job.items.map((item) => item.username)).toEqual(USERNAMES);
    expect(job.status).toBe('completed');
    expect(job.cursor).toMatch(/^\d+$/);
  });

  it('answers only what changed since the cursor: nothing, then the one item a verify touched', async () => {
    const whole = await get('');
    const { job } = whole.body as { job: JobView };

    const idle = await get(`?since=${job.cursor}`);
    expect(idle.status).toBe(200);
    const nothing = idle.body as JobChangesView;
    expect(nothing.items).toEqual([]);
    expect(nothing.complete).toBe(false);
    expect(nothing.job.counts).toEqual(job.counts);
    expect(nothing.job).not.toHaveProperty('items');
    expect(nothing.job).not.toHaveProperty('plan');

    await setPresence(runtime.db, { jobId, presence: [{ username: SEED_USERS.readyPlain, present: true }] });
    const moved = await get(`?since=${nothing.job.cursor}`);
    const changes = moved.body as JobChangesView;
    expect(changes.items.map((item) => [item.username, item.targetPresence])).toEqual([
      [SEED_USERS.readyPlain, 'present'],
    ]);
    expect(moved.bytes).toBeLessThan(whole.bytes);
    // Asked again from the newest cursor: nothing left.
    expect(((await get(`?since=${changes.job.cursor}`)).body as JobChangesView).items).toEqual([]);
  });

  it('refuses a malformed cursor with 400 InvalidCursor, before reading or changing anything', async () => {
    const before = await tablesAndCalls();
    for (const query of [
      '?since=',
      '?since=abc',
      '?since=-1',
      '?since=+5',
      '?since=05',
      '?since=1.5',
      '?since=1e3',
      '?since=%201',
      '?since=18446744073709551616',
      '?since=1&since=2',
    ]) {
      for (const id of [jobId, '00000000-0000-4000-8000-000000000000']) {
        const { status, body } = await get(query, id);
        expect(status, `${query} on ${id}`).toBe(400);
        const { error } = body as { error: ErrorView };
        expect(error.code).toBe('InvalidCursor');
        expect(error.title).toBe('The since parameter is not a cursor this server hands out.');
        expect(error.fix).not.toBe('');
      }
    }
    expect(await tablesAndCalls()).toEqual(before);
  });

  it('answers 404 for a job that does not exist, with or without a cursor', async () => {
    for (const query of ['', '?since=1']) {
      const { status, body } = await get(query, '00000000-0000-4000-8000-000000000000');
      expect(status).toBe(404);
      expect((body as { error: ErrorView }).error.code).toBe('NotFound');
    }
  });

  it('asks who is reading before anything else: anonymous gets 401, even with a malformed cursor', async () => {
    request.token = undefined;
    try {
      for (const query of ['', '?since=abc']) expect((await get(query)).status).toBe(401);
    } finally {
      request.token = viewerToken;
    }
  });
});
