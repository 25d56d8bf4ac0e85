// Health, readiness, metrics and the log, as a load balancer, a Prometheus scraper and a log collector meet
// them: the route handlers called as Next.js calls them, on the app's runtime with its in-process emulator and
// an embedded PostgreSQL directory, with the fake secrets of the leak scan configured. Only the request's cookies and headers
// are stood in for (as in app/authorization.test.ts), for the action that runs a job.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('next/headers', async () => (await import('@/lib/testing/next-request')).nextHeaders);
vi.mock('next/cache', async () => (await import('@/lib/testing/next-request')).nextCache);

import { sql } from 'drizzle-orm';
import { createRoamJobAction } from '@/lib/actions/roam/create-roam-job';
import { hashPassword } from '@/lib/auth/passwords';
import { startSession } from '@/lib/auth/sessions';
import { createUser } from '@/lib/db/users';
import { SEED_INSTANCES, SEED_USERS } from '@/lib/emulator';
import { ITEM_STATUSES, JOB_STATUSES } from '@/lib/roam/lifecycle';
import { getRuntime, type Runtime } from '@/lib/runtime';
import { testRequest as request } from '@/lib/testing/next-request';
import { type MetricFamily, parsePrometheusText, sampleValue } from '@/lib/testing/prometheus-text';
import { reachableTempDir } from '@/lib/testing/temp-dir';
import * as health from './api/health/route';
import * as metrics from './api/metrics/route';
import * as ready from './api/ready/route';

// The fake secrets of the browser tests' leak scan (e2e/accounts.ts), and the other secrets a log could leak.
const FAKE_SECRET = 'FakeSecretForLeakScan-3c9e71d2a8b5';
const FAKE_ACCESS_KEY_ID = 'LTAI5tLeakScanKeyId0001';
const ADMIN_PASSWORD = 'admin-password-for-monitoring';
const METRICS_TOKEN = 'monitoring-test-metrics-token-0123';
const OPERATOR_PASSWORD = 'operator-password-123';
const USERNAMES = [SEED_USERS.ready, SEED_USERS.readyPlain, SEED_USERS.clash];

let runtime: Runtime;
let closed = false;
let dataDir = '';
let sessionToken = '';
const logLines: string[] = [];
const restoreWrite = process.stdout.write.bind(process.stdout);

const outbound = () => runtime.emulator?.state.requestLog().length ?? -1;

function scrape(authorization?: string) {
  const headers = authorization === undefined ? undefined : { authorization };
  return metrics.GET(new Request('http://app/api/metrics', { headers }));
}

async function scrapeFamilies(): Promise<Map<string, MetricFamily>> {
  const response = await scrape(`Bearer ${METRICS_TOKEN}`);
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

async function countRows(table: 'roam_items' | 'roam_jobs'): Promise<Map<string, number>> {
  const result = (await runtime.db.execute(
    sql`select status, count(*)::int as total from ${sql.identifier(table)} group by status`,
  )) as unknown as { rows: { status: string; total: number }[] };
  return new Map(result.rows.map((row) => [row.status, row.total]));
}

const parsedLog = () => logLines.map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  dataDir = reachableTempDir('sag-roam-monitoring-');
  Object.assign(process.env, {
    SAG_MODE: 'emulator',
    DATA_DIR: dataDir,
    ROAM_RATE_PER_SECOND: '100',
    SAG_EMULATOR_ACCESS_KEY_ID: FAKE_ACCESS_KEY_ID,
    SAG_EMULATOR_ACCESS_KEY_SECRET: FAKE_SECRET,
    ADMIN_EMAIL: 'first-admin@example.com',
    ADMIN_PASSWORD,
    METRICS_TOKEN,
    LOG_FORMAT: 'json',
  });
  // The log as a collector reads it: every line the process writes to standard output.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  runtime = await getRuntime();
  const operator = await createUser(runtime.db, {
    email: 'operator@example.com',
    passwordHash: await hashPassword(OPERATOR_PASSWORD),
    role: 'operator',
    createdBy: 'the test',
  });
  if (!operator) throw new Error('could not create the operator');
  sessionToken = (await startSession(runtime.db, { userId: operator.id })).token;
}, 60_000);

afterAll(async () => {
  vi.mocked(process.stdout.write).mockRestore();
  process.stdout.write = restoreWrite;
  if (!closed) await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('GET /api/health', () => {
  it('answers ok, without a session, uncached, and with nothing else', async () => {
    request.token = undefined;
    const before = outbound();
    const response = health.GET();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(outbound()).toBe(before);
  });
});

describe('GET /api/ready', () => {
  it('is ready without a session once the database is migrated and the worker runs', async () => {
    request.token = undefined;
    const before = outbound();
    const response = await ready.GET();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ready' });
    expect(outbound()).toBe(before);
  });

  it('is not ready, naming the worker, while the worker is stopped; ready again once it runs', async () => {
    await runtime.worker.stop();
    try {
      const response = await ready.GET();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'not-ready', failing: ['worker'] });
    } finally {
      runtime.worker.start();
    }
    expect((await ready.GET()).status).toBe(200);
  });
});

describe('GET /api/metrics', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a wrong bearer token', 'Bearer wrong-token-of-enough-length'],
    ['the right token one character short', `Bearer ${METRICS_TOKEN.slice(0, -1)}`],
    ['the right token as Basic credentials', `Basic ${METRICS_TOKEN}`],
    ['the right token with something after it', `Bearer ${METRICS_TOKEN} extra`],
  ])('refuses %s with 401, showing no metric', async (_, authorization) => {
    const response = await scrape(authorization);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const body = await response.text();
    expect(body).not.toContain('sag_roam');
    expect(body).not.toContain(METRICS_TOKEN);
  });

  it('answers the Prometheus text format to the right bearer token, uncached', async () => {
    const response = await scrape(`bearer ${METRICS_TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const families = parsePrometheusText(await response.text());
    // prom-client's process metrics come along.
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(families.get('nodejs_heap_size_total_bytes')?.type).toBe('gauge');
    expect(sampleValue(families, 'sag_roam_rate_per_second')).toBe(runtime.worker.limiter.currentRate);
  });

  it('counts the calls of a job run on the emulator, and reads items and jobs from the database', async () => {
    request.token = sessionToken;
    const result = await createRoamJobAction({
      originRegionId: 'cn-shanghai',
      originInstanceId: SEED_INSTANCES.shanghaiHq,
      targetRegionId: 'cn-hangzhou',
      targetInstanceId: SEED_INSTANCES.hangzhouRnd,
      usernames: USERNAMES,
    });
    if (!result.ok) throw new Error(`refused: ${result.formError}`);
    expect(await runtime.worker.waitForJob(result.data.jobId, 10_000)).toBe(true);
    const roamCalls = runtime.emulator?.state
      .requestLog()
      .filter((entry) => entry.action === 'RoamClientUser');
    expect(roamCalls?.length).toBe(2);

    const families = await scrapeFamilies();
    const roamedOk = { action: 'RoamClientUser', outcome: 'ok', code: 'OK' };
    expect(sampleValue(families, 'sag_roam_api_calls_total', roamedOk)).toBe(2);
    expect(sampleValue(families, 'sag_roam_api_call_seconds_count', { action: 'RoamClientUser' })).toBe(2);
    // The plan read both instances' accounts before anything was sent.
    expect(
      sampleValue(families, 'sag_roam_api_calls_total', {
        action: 'DescribeSmartAccessGatewayClientUsers',
        code: 'OK',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(sampleValue(families, 'sag_roam_throttled_total')).toBe(0);

    const items = await countRows('roam_items');
    expect(items.get('succeeded')).toBe(2);
    for (const state of ITEM_STATUSES) {
      expect(sampleValue(families, 'sag_roam_items', { state }), state).toBe(items.get(state) ?? 0);
    }
    const jobs = await countRows('roam_jobs');
    for (const state of JOB_STATUSES) {
      expect(sampleValue(families, 'sag_roam_jobs', { state }), state).toBe(jobs.get(state) ?? 0);
    }
    expect(sampleValue(families, 'sag_roam_jobs', { state: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(families, 'sag_roam_queue_depth')).toBe(0);

    // No label says who or what: no username, no e-mail, no AccessKey, no instance.
    const labelValues = [...families.values()].flatMap((family) =>
      family.samples.flatMap((sample) => Object.values(sample.labels)),
    );
    for (const value of labelValues) {
      expect(value).not.toMatch(/@|LTAI|sag-[a-z0-9]{10,}/);
      expect(USERNAMES).not.toContain(value);
    }
  });

  it('counts the lease take-overs the worker reports', async () => {
    const before = sampleValue(await scrapeFamilies(), 'sag_roam_lease_takeovers_total');
    runtime.worker.events.emit('lease-takeover', 3);
    expect(sampleValue(await scrapeFamilies(), 'sag_roam_lease_takeovers_total')).toBe(before + 3);
  });
});

describe('the log', () => {
  it('is one JSON object per line, with a line for the job created and one for its end', async () => {
    const entries = parsedLog();
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.find((entry) => String(entry.msg).startsWith('sag-roam: EMULATOR mode'))).toMatchObject({
      level: 'info',
    });
    const created = entries.find((entry) => entry.event === 'job-created');
    expect(created).toMatchObject({
      level: 'info',
      msg: 'job created',
      kind: 'roam',
      actor: 'operator@example.com',
      items: 3,
      plan: { send: 2, alreadyOnTarget: 1 },
    });
    await vi.waitFor(() => expect(parsedLog().some((entry) => entry.event === 'job-ended')).toBe(true));
    const ended = parsedLog().find((entry) => entry.event === 'job-ended');
    expect(ended).toMatchObject({
      level: 'info',
      msg: 'job finished',
      jobId: created?.jobId,
      status: 'completed',
      counts: { succeeded: 2, alreadyPresent: 1, total: 3 },
    });
  });

  it('holds no secret and no username: AccessKey secret, passwords, session token, metrics token', () => {
    const text = logLines.join('\n');
    for (const secret of [FAKE_SECRET, ADMIN_PASSWORD, OPERATOR_PASSWORD, METRICS_TOKEN, sessionToken]) {
      expect(text).not.toContain(secret);
    }
    for (const username of USERNAMES) expect(text).not.toContain(username);
  });
});

describe('GET /api/ready after the database closed', () => {
  it('is not ready, naming the database, and says nothing of where it is', async () => {
    await runtime.close();
    closed = true;
    const response = await ready.GET();
    expect(response.status).toBe(503);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ status: 'not-ready', failing: ['database', 'worker'] });
    expect(body).not.toContain(dataDir);
  });
});
