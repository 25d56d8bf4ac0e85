// Resilience of the real app processes: production builds (`next start` on the build in .next) in cloud mode,
// pointed at an emulator in this test process, sharing a throwaway PostgreSQL. No browser: these are about
// processes, so no test here takes the page fixture. Every port is a free one on 127.0.0.1 and every database
// is a new one, so nothing here touches the app the other specs use.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { sql } from 'drizzle-orm';
import { type Emulator, type EmulatorKnobs, startEmulator } from '@/lib/emulator';
import { largeSeed, type RoamRoute } from '@/lib/testing/large-seed';
import { startTestPostgres, type TestPostgres } from '@/lib/testing/postgres';
import { parsePrometheusText, sampleValue } from '@/lib/testing/prometheus-text';
import { reachableTempDir } from '../lib/testing/temp-dir';
import { type AppProcess, killAllApps, loadRepository, startApp, waitFor } from './processes';

const KEY_A = { accessKeyId: 'LTAI5tProcessSpecKeyA01', accessKeySecret: 'process-spec-secret-a-01' };
const KEY_B = { accessKeyId: 'LTAI5tProcessSpecKeyB01', accessKeySecret: 'process-spec-secret-b-01' };
const ACTOR = 'ops@example.com';
const METRICS_TOKEN = 'process-spec-metrics-token-01';

type Repository = ReturnType<typeof loadRepository>;
type Opened = Awaited<ReturnType<Repository['openDatabase']>>;

let postgres: TestPostgres | undefined;
let repository: Repository;
let runDir = '';
const cleanups: (() => Promise<void>)[] = [];

test.beforeAll(async () => {
  runDir = reachableTempDir('sag-roam-processes-');
  repository = loadRepository();
  postgres = await startTestPostgres();
});

test.afterEach(async () => {
  const info = test.info();
  await killAllApps();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  if (info.status !== info.expectedStatus) {
    for (const file of ['crash-first', 'crash-second', 'shared-a', 'shared-b']) {
      await info.attach(`${file}.log`, { path: path.join(runDir, `${file}.log`) }).catch(() => {});
    }
  }
});

test.afterAll(async () => {
  await killAllApps();
  await postgres?.stop();
  // The logs of a failed test are attached to its report (a copy) before this.
  if (runDir) rmSync(runDir, { recursive: true, force: true });
});

async function setUp(accounts: number, keys: (typeof KEY_A)[], knobs: Partial<EmulatorKnobs>) {
  const { seed, route, usernames } = largeSeed(accounts);
  const emulator = await startEmulator({ port: 0, seed, accessKeys: keys, knobs });
  cleanups.push(() => emulator.close());
  if (!postgres) throw new Error('no PostgreSQL');
  const databaseUrl = await postgres.createDatabase();
  const opened = await repository.openDatabase({ databaseUrl, maxConnections: 3 });
  cleanups.push(() => opened.close());
  return { emulator, route, usernames, databaseUrl, opened };
}

/** The environment of one app process: Alibaba Cloud mode, the emulator as the endpoint, a shared database. */
function appEnv(options: {
  databaseUrl: string;
  emulator: Emulator;
  key: typeof KEY_A;
  ratePerSecond: number;
  timeoutMs?: number;
}) {
  return {
    SAG_TIMEOUT_MS: String(options.timeoutMs ?? 10_000),
    DATABASE_URL: options.databaseUrl,
    SAG_MODE: 'cloud',
    SAG_ENDPOINT: options.emulator.url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: options.key.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: options.key.accessKeySecret,
    ROAM_RATE_PER_SECOND: String(options.ratePerSecond),
    DATA_DIR: reachableTempDir('data-', runDir),
  };
}

function createJob(opened: Opened, route: RoamRoute, usernames: string[]) {
  return repository.createJob(opened.db, { createdBy: ACTOR, ...route, usernames, mode: 'alibaba-cloud' });
}

async function job(opened: Opened, jobId: string) {
  const details = await repository.getJob(opened.db, jobId);
  if (!details) throw new Error(`job ${jobId} vanished`);
  return details;
}

function completed(opened: Opened, jobId: string, timeoutMs: number) {
  return waitFor(
    `job ${jobId} to complete`,
    async () => {
      const details = await job(opened, jobId);
      return details.status === 'completed' ? details : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

test('a server killed with SIGKILL mid-job: the next start finishes it, every item accounted for, none roamed twice', async () => {
  test.setTimeout(90_000);
  const total = 60;
  // Each answer takes 250 ms, and a quarter of the calls are applied and then never answered (the client gives
  // up after 3 s): the job takes several seconds, with calls in flight at any moment, some of them already
  // applied on the target.
  const { emulator, route, usernames, databaseUrl, opened } = await setUp(total, [KEY_A], {
    latencyMs: 250,
    faults: { timeout: 0.25 },
    faultPhase: 'after',
    faultActions: ['RoamClientUser'],
    timeoutHoldMs: 30_000,
  });
  const { id } = await createJob(opened, route, usernames);
  const env = { databaseUrl, emulator, key: KEY_A, ratePerSecond: 10, timeoutMs: 3_000 };

  const first: AppProcess = await startApp({ name: 'crash-first', env: appEnv(env), logDir: runDir });
  await waitFor(
    'a quarter of the items to succeed, with a call in flight that the target has already applied',
    async () => {
      if ((await job(opened, id)).counts.succeeded < total / 4) return undefined;
      const attempts = await repository.listItemAttempts(opened.db, id);
      const landed = attempts.some(
        (attempt) =>
          attempt.kind === 'roam' &&
          attempt.outcome === null &&
          emulator.state.roamCount(route.targetInstanceId, attempt.username).applied === 1,
      );
      return landed ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  await first.crash();

  // The record as the dead process left it: calls marked as sent with no outcome, items still leased to it.
  const atCrash = await job(opened, id);
  expect(atCrash.status).toBe('running');
  expect(atCrash.counts.succeeded).toBeLessThan(total);
  const inFlight = (await repository.listItemAttempts(opened.db, id)).filter(
    (attempt) => attempt.kind === 'roam' && attempt.outcome === null,
  );
  expect(inFlight.length, 'calls were in flight when the process died').toBeGreaterThan(0);
  const leased = atCrash.items.filter((item) => item.status === 'in_progress');
  expect(leased.length).toBeGreaterThanOrEqual(inFlight.length);

  // On a shared PostgreSQL a starting process leaves other processes' live leases alone (they may be alive);
  // the dead one's leases (15 s, LEASE_MS in lib/runtime.ts) are aged here instead of waited out, as if it
  // had been down that long.
  await opened.db.execute(
    sql`update roam_items set lease_expires_at = now() - interval '1 second' where job_id = ${id} and status = 'in_progress'`,
  );
  const second = await startApp({ name: 'crash-second', env: appEnv(env), logDir: runDir });
  expect(second.log()).toContain(`resuming ${leased.length} interrupted item(s)`);
  const done = await completed(opened, id, 45_000);

  expect(done.counts).toMatchObject({ total, succeeded: total, failed: 0, unknown: 0, inProgress: 0 });
  const onTarget = new Set(
    emulator.state.accounts(route.targetInstanceId).map((account) => account.userName),
  );
  const inFlightItems = new Set(inFlight.map((attempt) => attempt.itemId));
  for (const item of done.items) {
    expect(onTarget.has(item.username), `${item.username} is on the target`).toBe(true);
    const count = emulator.state.roamCount(route.targetInstanceId, item.username);
    expect(count.applied, `${item.username} roamed once`).toBe(1);
    // Sent once; a call in flight at the crash that had not reached the API is sent once more, after a check.
    if (inFlightItems.has(item.id)) expect(count.requests, item.username).toBeLessThanOrEqual(2);
    else expect(count.requests, item.username).toBe(1);
  }

  const attempts = await repository.listItemAttempts(opened.db, id);
  expect(attempts.filter((attempt) => attempt.outcome === null)).toEqual([]);
  const checkOutcomes: string[] = [];
  for (const lost of inFlight) {
    const ofItem = attempts.filter((attempt) => attempt.itemId === lost.itemId);
    const index = ofItem.findIndex((attempt) => attempt.id === lost.id);
    expect(ofItem[index]?.outcome, `${lost.username}: the call in flight at the crash`).toBe('interrupted');
    const check = ofItem[index + 1];
    expect(check?.kind, `${lost.username}: checked on the target before anything else`).toBe('check');
    checkOutcomes.push(String(check?.outcome));
    const later = ofItem.slice(index + 2);
    const item = done.items.find((candidate) => candidate.id === lost.itemId);
    if (check?.outcome === 'present') {
      // It had landed: settled by the check, never sent again.
      expect(later.filter((attempt) => attempt.kind === 'roam')).toEqual([]);
      expect(item?.verified).toBe(true);
      expect(emulator.state.roamCount(route.targetInstanceId, lost.username).requests).toBe(1);
    } else {
      // It had not: sent once more (whose answer may be lost again, and then settled by another check).
      expect(check?.outcome).toBe('absent');
      expect(later.filter((attempt) => attempt.kind === 'roam')).toHaveLength(1);
    }
  }
  expect(checkOutcomes, 'a call that had landed was found on the target').toContain('present');
  test.info().annotations.push({
    type: 'crash',
    description: `${atCrash.counts.succeeded}/${total} done at the crash, ${inFlight.length} call(s) in flight (checked: ${checkOutcomes.join(', ')}), ${leased.length} item(s) leased`,
  });
});

test('two app processes sharing one PostgreSQL work on one job of 300: each username is roamed by exactly one', async () => {
  test.setTimeout(90_000);
  const total = 300;
  const { emulator, route, usernames, databaseUrl, opened } = await setUp(total, [KEY_A, KEY_B], {
    latencyMs: 30,
  });
  // Each process signs with its own AccessKey, so the emulator's request log says which process sent what.
  const [a, b] = await Promise.all([
    startApp({
      name: 'shared-a',
      env: appEnv({ databaseUrl, emulator, key: KEY_A, ratePerSecond: 40 }),
      logDir: runDir,
    }),
    startApp({
      name: 'shared-b',
      env: appEnv({ databaseUrl, emulator, key: KEY_B, ratePerSecond: 40 }),
      logDir: runDir,
    }),
  ]);
  expect(a.pid).not.toBe(b.pid);

  const { id } = await createJob(opened, route, usernames);
  const leaseOwners = new Set<string>();
  const done = await waitFor(
    `job ${id} to complete`,
    async () => {
      const details = await job(opened, id);
      for (const item of details.items) if (item.leaseOwner) leaseOwners.add(item.leaseOwner);
      return details.status === 'completed' ? details : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );

  expect(done.counts).toMatchObject({ total, succeeded: total, failed: 0, unknown: 0 });
  const roams = emulator.state.requestLog().filter((entry) => entry.action === 'RoamClientUser');
  expect(roams).toHaveLength(total);
  for (const username of usernames) {
    expect(emulator.state.roamCount(route.targetInstanceId, username), username).toEqual({
      requests: 1,
      applied: 1,
    });
  }
  const attempts = await repository.listItemAttempts(opened.db, id);
  expect(attempts).toHaveLength(total);
  expect(attempts.every((attempt) => attempt.kind === 'roam' && attempt.outcome === 'succeeded')).toBe(true);
  expect(new Set(attempts.map((attempt) => attempt.itemId)).size).toBe(total);

  // Both processes took part, at the same time.
  const byKey = (key: typeof KEY_A) => roams.filter((entry) => entry.accessKeyId === key.accessKeyId);
  const [fromA, fromB] = [byKey(KEY_A), byKey(KEY_B)];
  expect(fromA.length + fromB.length).toBe(total);
  expect(fromA.length, 'calls from process A').toBeGreaterThan(0);
  expect(fromB.length, 'calls from process B').toBeGreaterThan(0);
  const span = (entries: typeof roams) => [
    Math.min(...entries.map((e) => e.at)),
    Math.max(...entries.map((e) => e.at)),
  ];
  const [[firstA = 0, lastA = 0], [firstB = 0, lastB = 0]] = [span(fromA), span(fromB)];
  expect(firstA < lastB && firstB < lastA, 'the two processes worked at the same time').toBe(true);
  test.info().annotations.push({
    type: 'shared',
    description: `process A sent ${fromA.length}, process B ${fromB.length}; ${leaseOwners.size} lease owner(s) seen while polling`,
  });
});

test('a process killed with SIGKILL while another works on the same job: the survivor takes over its items once their lease expires, checks each, and every username is roamed once', async () => {
  // The victim's leases (LEASE_MS, 15 s) run out 10 to 15 s after the kill; the job lasts well beyond that.
  test.setTimeout(120_000);
  const total = 120;
  // Each answer takes 250 ms, and a quarter of the calls are applied and then never answered (the client gives
  // up after 3 s): calls are in flight at any moment, some of them already applied on the target.
  const { emulator, route, usernames, databaseUrl, opened } = await setUp(total, [KEY_A, KEY_B], {
    latencyMs: 250,
    faults: { timeout: 0.25 },
    faultPhase: 'after',
    faultActions: ['RoamClientUser'],
    timeoutHoldMs: 30_000,
  });
  // Four slots each: the victim holds at most four items, which the survivor can take over in one round of
  // claims. At 4 calls a second the survivor alone needs 20 s or more for the two thirds left at the kill.
  const env = (key: typeof KEY_A) => ({
    ...appEnv({ databaseUrl, emulator, key, ratePerSecond: 4, timeoutMs: 3_000 }),
    ROAM_CONCURRENCY: '4',
    METRICS_TOKEN,
  });
  // Each process signs with its own AccessKey, so the emulator's request log says which process sent what.
  const [victim, survivor] = await Promise.all([
    startApp({ name: 'shared-a', env: env(KEY_A), logDir: runDir }),
    startApp({ name: 'shared-b', env: env(KEY_B), logDir: runDir }),
  ]);
  let survivorExited = false;
  void survivor.exited.then(() => {
    survivorExited = true;
  });
  const { id } = await createJob(opened, route, usernames);

  const roamsOf = (username: string) =>
    emulator.state
      .requestLog()
      .filter((entry) => entry.action === 'RoamClientUser' && entry.params.UserName === username);
  /** A call in flight sent by the victim alone: its username reached the emulator only with KEY_A. */
  const sentByVictim = (username: string, applied: boolean) => {
    const roams = roamsOf(username);
    return (
      roams.length > 0 &&
      roams.every((entry) => entry.accessKeyId === KEY_A.accessKeyId) &&
      (!applied || roams.some((entry) => entry.applied))
    );
  };
  const owners = new Set<string>();
  await waitFor(
    'a third of the items to succeed, with a call of the victim in flight that the target has already applied',
    async () => {
      const details = await job(opened, id);
      for (const item of details.items) if (item.leaseOwner) owners.add(item.leaseOwner);
      if (details.counts.succeeded < total / 3) return undefined;
      const attempts = await repository.listItemAttempts(opened.db, id);
      const landed = attempts.some(
        (attempt) =>
          attempt.kind === 'roam' && attempt.outcome === null && sentByVictim(attempt.username, true),
      );
      return landed ? true : undefined;
    },
    { timeoutMs: 40_000, intervalMs: 50 },
  );
  const killedAt = Date.now();
  await victim.crash();

  // What the dead process left: calls marked as sent with no outcome, items still leased to it. Its worker
  // is the one whose items' calls reached the emulator only with its AccessKey; the survivor's is the other.
  const atKill = await job(opened, id);
  expect(atKill.status).toBe('running');
  const attemptsAtKill = await repository.listItemAttempts(opened.db, id);
  const unanswered = attemptsAtKill.filter((attempt) => attempt.kind === 'roam' && attempt.outcome === null);
  const leaseOwnerOf = (itemId: number) => atKill.items.find((item) => item.id === itemId)?.leaseOwner;
  const victimOwners = new Set(
    unanswered.filter((attempt) => sentByVictim(attempt.username, false)).map((a) => leaseOwnerOf(a.itemId)),
  );
  expect(victimOwners.size, 'calls of the victim were in flight when it died, under its one worker').toBe(1);
  const [victimOwner] = [...victimOwners];
  if (!victimOwner) throw new Error('the victim’s calls in flight had no lease owner');
  expect(owners.size, 'two workers, one per process, leased items before the kill').toBe(2);
  const survivorOwner = [...owners].find((owner) => owner !== victimOwner);
  // Every call of the victim still in flight, also one whose request had not reached the emulator yet.
  const inFlight = unanswered.filter((attempt) => leaseOwnerOf(attempt.itemId) === victimOwner);
  const inFlightItemIds = new Set(inFlight.map((attempt) => attempt.itemId));
  const victimItems = atKill.items.filter(
    (item) => item.status === 'in_progress' && item.leaseOwner === victimOwner,
  );

  // Nothing else happens: no lease is aged and no process started. The survivor's own claims find the expired
  // leases; each victim item's take-over is seen as the first change of its lease (a new token).
  const takeovers = new Map<number, { atMs: number; owner: string | null; status: string }>();
  const done = await waitFor(
    `job ${id} to complete with the survivor alone`,
    async () => {
      if (survivorExited) throw new Error(`the survivor exited:\n${survivor.log().slice(-3_000)}`);
      const details = await job(opened, id);
      const seenAt = Date.now();
      for (const before of victimItems) {
        if (takeovers.has(before.id)) continue;
        const now = details.items.find((item) => item.id === before.id);
        if (!now || (now.status === 'in_progress' && now.leaseToken === before.leaseToken)) continue;
        takeovers.set(before.id, { atMs: seenAt, owner: now.leaseOwner, status: now.status });
      }
      return details.status === 'completed' ? details : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 100 },
  );

  // Every item of the victim was taken over by the survivor, not before its lease ran out and within about
  // 20 s of the kill.
  expect(takeovers.size).toBe(victimItems.length);
  let lastTakeoverMs = 0;
  for (const before of victimItems) {
    const takeover = takeovers.get(before.id);
    expect(takeover?.status, `${before.username}: seen leased anew`).toBe('in_progress');
    expect(takeover?.owner, `${before.username}: taken over by the survivor`).toBe(survivorOwner);
    expect(takeover?.atMs ?? 0, `${before.username}: not before its lease expired`).toBeGreaterThanOrEqual(
      before.leaseExpiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
    );
    lastTakeoverMs = Math.max(lastTakeoverMs, (takeover?.atMs ?? Number.POSITIVE_INFINITY) - killedAt);
  }
  expect(lastTakeoverMs, 'kill to the take-over of the last victim item (ms)').toBeLessThanOrEqual(20_000);
  // The survivor says so, in its log and its metrics.
  const tookOver = [...survivor.log().matchAll(/took over (\d+) item\(s\) whose lease expired/g)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
  expect(tookOver, 'items the survivor logged as taken over').toBe(victimItems.length);
  const metrics = await fetch(`${survivor.url}/api/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(metrics.status).toBe(200);
  expect(sampleValue(parsePrometheusText(await metrics.text()), 'sag_roam_lease_takeovers_total', {})).toBe(
    victimItems.length,
  );

  expect(done.counts).toMatchObject({ total, succeeded: total, failed: 0, unknown: 0, inProgress: 0 });
  const onTarget = new Set(
    emulator.state.accounts(route.targetInstanceId).map((account) => account.userName),
  );
  for (const item of done.items) {
    expect(onTarget.has(item.username), `${item.username} is on the target`).toBe(true);
    const count = emulator.state.roamCount(route.targetInstanceId, item.username);
    expect(count.applied, `${item.username} roamed once`).toBe(1);
    // Sent once; a call in flight at the kill that had not been applied is sent once more, after a check.
    if (inFlightItemIds.has(item.id)) expect(count.requests, item.username).toBeLessThanOrEqual(2);
    else expect(count.requests, item.username).toBe(1);
  }
  const late = emulator.state
    .requestLog()
    .filter((entry) => entry.accessKeyId === KEY_A.accessKeyId && entry.at > killedAt);
  expect(late, 'nothing from the victim after its death').toEqual([]);

  // Each victim item is checked on the target before anything else; a call in flight at the kill is recorded
  // as interrupted, and the check comes before any new RoamClientUser for its username.
  const attempts = await repository.listItemAttempts(opened.db, id);
  expect(attempts.filter((attempt) => attempt.outcome === null)).toEqual([]);
  for (const item of victimItems) {
    const after = attempts.filter(
      (attempt) => attempt.itemId === item.id && !attemptsAtKill.some((old) => old.id === attempt.id),
    );
    expect(after[0]?.kind, `${item.username}: checked first after the take-over`).toBe('check');
  }
  const checkOutcomes: string[] = [];
  for (const lost of inFlight) {
    const ofItem = attempts.filter((attempt) => attempt.itemId === lost.itemId);
    const index = ofItem.findIndex((attempt) => attempt.id === lost.id);
    expect(ofItem[index]?.outcome, `${lost.username}: the call in flight at the kill`).toBe('interrupted');
    const check = ofItem[index + 1];
    expect(check?.kind, `${lost.username}: checked on the target before anything else`).toBe('check');
    checkOutcomes.push(String(check?.outcome));
    const checkedAt = check?.startedAt.getTime() ?? Number.POSITIVE_INFINITY;
    const resent = roamsOf(lost.username).filter((entry) => entry.accessKeyId === KEY_B.accessKeyId);
    for (const entry of resent)
      expect(entry.at, `${lost.username}: resent after the check`).toBeGreaterThan(checkedAt);
    const later = ofItem.slice(index + 2).filter((attempt) => attempt.kind === 'roam');
    if (check?.outcome === 'present') {
      // It had landed: settled by the check, never sent again.
      expect(later).toEqual([]);
      expect(resent).toEqual([]);
    } else {
      expect(check?.outcome).toBe('absent');
      expect(later).toHaveLength(1);
      expect(resent).toHaveLength(1);
    }
  }
  expect(checkOutcomes, 'a call that had landed was found on the target').toContain('present');

  const roams = emulator.state.requestLog().filter((entry) => entry.action === 'RoamClientUser');
  const fromA = roams.filter((entry) => entry.accessKeyId === KEY_A.accessKeyId).length;
  test.info().annotations.push({
    type: 'takeover',
    description: `killed at ${atKill.counts.succeeded}/${total} succeeded with ${victimItems.length} item(s) leased to the victim, ${inFlight.length} call(s) in flight (checked: ${checkOutcomes.join(', ')}); the survivor took over the last of them ${lastTakeoverMs} ms after the kill; RoamClientUser calls: ${fromA} from the victim, ${roams.length - fromA} from the survivor`,
  });
});

const LEAD = { email: 'lead@example.com', password: 'lead-password-processes-1' };

test('cancel clicked on one process stops the other process sending within a moment', async ({ browser }) => {
  test.setTimeout(90_000);
  const total = 200;
  const { emulator, route, usernames, databaseUrl, opened } = await setUp(total, [KEY_A, KEY_B], {
    latencyMs: 50,
  });
  const admin = { ADMIN_EMAIL: LEAD.email, ADMIN_PASSWORD: LEAD.password, ROAM_CONCURRENCY: '2' };
  const a = await startApp({
    name: 'shared-a',
    env: { ...appEnv({ databaseUrl, emulator, key: KEY_A, ratePerSecond: 5 }), ...admin },
    logDir: runDir,
  });
  await startApp({
    name: 'shared-b',
    env: { ...appEnv({ databaseUrl, emulator, key: KEY_B, ratePerSecond: 5 }), ...admin },
    logDir: runDir,
  });
  const { id } = await createJob(opened, route, usernames);
  const roamsBy = (key: typeof KEY_A) =>
    emulator.state
      .requestLog()
      .filter((entry) => entry.action === 'RoamClientUser' && entry.accessKeyId === key.accessKeyId);
  await waitFor(
    'both processes to send',
    () => (roamsBy(KEY_A).length >= 2 && roamsBy(KEY_B).length >= 2 ? true : undefined),
    { timeoutMs: 20_000, intervalMs: 50 },
  );

  // The admin cancels on process A's page.
  const context = await browser.newContext({ baseURL: a.url });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(LEAD.email);
  await page.getByLabel('Password').fill(LEAD.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.goto(`/history/${id}`);
  await page.getByRole('button', { name: 'Cancel job' }).click();
  await page.getByRole('button', { name: 'Yes, cancel the job' }).click();
  await expect(page.getByText(/^(Cancelled|Cancel requested) by lead@example\.com at /)).toBeVisible();

  const done = await waitFor(
    `job ${id} to end cancelled`,
    async () => {
      const details = await job(opened, id);
      return details.status === 'cancelled' ? details : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  const cancelledAt = done.cancelledAt?.getTime() ?? 0;
  expect(done.cancelledBy).toBe(LEAD.email);
  // Process B started nothing after the cancel: what reached the emulator later had been recorded (and sent)
  // before it, at most one call per slot of its concurrency.
  const late = roamsBy(KEY_B).filter((entry) => entry.at > cancelledAt);
  expect(late.length).toBeLessThanOrEqual(2);
  const attempts = await repository.listItemAttempts(opened.db, id);
  expect(attempts.every((attempt) => attempt.startedAt.getTime() <= cancelledAt)).toBe(true);
  expect(attempts.every((attempt) => attempt.outcome !== null)).toBe(true);
  const cancelled = done.items.filter((item) => item.status === 'cancelled');
  expect(cancelled.length).toBeGreaterThan(total / 2);
  const onTarget = new Set(
    emulator.state.accounts(route.targetInstanceId).map((account) => account.userName),
  );
  for (const item of cancelled) expect(onTarget.has(item.username), item.username).toBe(false);
  test.info().annotations.push({
    type: 'cancel',
    description: `${roamsBy(KEY_A).length} calls from A, ${roamsBy(KEY_B).length} from B, ${late.length} of B's arrived after the cancel (in flight), ${cancelled.length} cancelled`,
  });
});

test('an undo through lost answers and a SIGKILL: every account the job roamed is deleted exactly once', async () => {
  test.setTimeout(90_000);
  const total = 40;
  const { emulator, route, usernames, databaseUrl, opened } = await setUp(total, [KEY_A], {});
  const env = { databaseUrl, emulator, key: KEY_A, ratePerSecond: 10, timeoutMs: 2_000 };
  const first = await startApp({ name: 'crash-first', env: appEnv(env), logDir: runDir });
  const roamed = await createJob(opened, route, usernames);
  await completed(opened, roamed.id, 30_000);

  // Deletes take 250 ms, and a quarter are applied and never answered (the client gives up after 2 s).
  emulator.setKnobs({
    latencyMs: 250,
    faults: { timeout: 0.25 },
    faultPhase: 'after',
    faultActions: ['DeleteSmartAccessGatewayClientUser'],
    timeoutHoldMs: 30_000,
  });
  const { job: undo } = await repository.createUndoJob(opened.db, {
    jobId: roamed.id,
    createdBy: ACTOR,
    mode: 'alibaba-cloud',
  });
  const deletes = () =>
    emulator.state.requestLog().filter((entry) => entry.action === 'DeleteSmartAccessGatewayClientUser');
  await waitFor(
    'a quarter of the deletes to succeed, with one in flight that the target has already applied',
    async () => {
      if ((await job(opened, undo.id)).counts.succeeded < total / 4) return undefined;
      const inFlight = (await repository.listItemAttempts(opened.db, undo.id)).filter(
        (attempt) => attempt.kind === 'delete' && attempt.outcome === null,
      );
      const applied = new Set(
        deletes()
          .filter((entry) => entry.applied)
          .map((entry) => entry.params.UserName),
      );
      return inFlight.some((attempt) => applied.has(attempt.username)) ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  await first.crash();
  await opened.db.execute(
    sql`update roam_items set lease_expires_at = now() - interval '1 second' where job_id = ${undo.id} and status = 'in_progress'`,
  );
  emulator.setKnobs({ faults: {} });
  await startApp({ name: 'crash-second', env: appEnv(env), logDir: runDir });
  const done = await completed(opened, undo.id, 45_000);

  expect(done).toMatchObject({ kind: 'undo', undoesJobId: roamed.id });
  expect(done.counts).toMatchObject({ total, succeeded: total, failed: 0, unknown: 0 });
  const onTarget = new Set(
    emulator.state.accounts(route.targetInstanceId).map((account) => account.userName),
  );
  for (const username of usernames) {
    expect(onTarget.has(username), `${username} is gone`).toBe(false);
    const applied = deletes().filter((entry) => entry.applied && entry.params.UserName === username);
    expect(applied, `${username} deleted once`).toHaveLength(1);
  }
  const attempts = await repository.listItemAttempts(opened.db, undo.id);
  expect(attempts.filter((attempt) => attempt.outcome === null)).toEqual([]);
  for (const lost of attempts.filter(
    (attempt) => attempt.outcome === 'interrupted' || attempt.outcome === 'unknown',
  )) {
    const ofItem = attempts.filter((attempt) => attempt.itemId === lost.itemId);
    const next = ofItem[ofItem.findIndex((attempt) => attempt.id === lost.id) + 1];
    expect(next?.kind, `${lost.username}: checked on the target before anything else`).toBe('check');
  }
});

test('SIGTERM mid-job: calls in flight are recorded, unsent items given back, exit 0; the next process finishes at once', async () => {
  test.setTimeout(90_000);
  const total = 80;
  const { emulator, route, usernames, databaseUrl, opened } = await setUp(total, [KEY_A], { latencyMs: 400 });
  const env = { databaseUrl, emulator, key: KEY_A, ratePerSecond: 10 };
  const first = await startApp({ name: 'crash-first', env: appEnv(env), logDir: runDir });
  const { id } = await createJob(opened, route, usernames);
  await waitFor(
    'a quarter of the job to succeed',
    async () => ((await job(opened, id)).counts.succeeded >= total / 4 ? true : undefined),
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  const signalled = Date.now();
  expect(await first.terminate()).toBe(0);
  const drainedMs = Date.now() - signalled;
  expect(first.log()).toContain('sag-roam: stopped cleanly');

  // Nothing left in flight or leased by the stopped process: the next one need not wait for any lease.
  const atStop = await job(opened, id);
  expect(atStop.items.filter((item) => item.status === 'in_progress')).toEqual([]);
  const attempts = await repository.listItemAttempts(opened.db, id);
  expect(attempts.filter((attempt) => attempt.outcome === null || attempt.outcome === 'interrupted')).toEqual(
    [],
  );
  expect(atStop.counts.succeeded).toBeLessThan(total);

  const restarted = Date.now();
  await startApp({ name: 'crash-second', env: appEnv(env), logDir: runDir });
  const done = await completed(opened, id, 30_000);
  expect(done.counts).toMatchObject({ total, succeeded: total, failed: 0, unknown: 0 });
  for (const username of usernames) {
    expect(emulator.state.roamCount(route.targetInstanceId, username), username).toEqual({
      requests: 1,
      applied: 1,
    });
  }
  test.info().annotations.push({
    type: 'sigterm',
    description: `drained in ${drainedMs} ms with ${atStop.counts.succeeded}/${total} done; the next process finished the rest in ${Date.now() - restarted} ms`,
  });
});

test('three processes on one AccessKey share its rate: the API throttles almost nothing, each username roamed once', async () => {
  test.setTimeout(90_000);
  const total = 150;
  // The account's limit, enforced by the emulator: 20 requests a second (a bucket of 20).
  const { emulator, route, usernames, databaseUrl, opened } = await setUp(total, [KEY_A], {
    latencyMs: 30,
    rateLimit: { perSecond: 20 },
  });
  const env = { databaseUrl, emulator, key: KEY_A, ratePerSecond: 20 };
  const [scraped] = await Promise.all(
    ['shared-a', 'shared-b', 'crash-first'].map((name) =>
      startApp({ name, env: { ...appEnv(env), METRICS_TOKEN }, logDir: runDir }),
    ),
  );
  const started = Date.now();
  const { id } = await createJob(opened, route, usernames);
  const done = await completed(opened, id, 60_000);
  const wallMs = Date.now() - started;

  expect(done.counts).toMatchObject({ total, succeeded: total, failed: 0, unknown: 0 });
  for (const username of usernames) {
    expect(emulator.state.roamCount(route.targetInstanceId, username), username).toEqual({
      requests: 1,
      applied: 1,
    });
  }
  const calls = emulator.state.requestLog();
  const throttled = calls.filter((entry) => entry.outcome.startsWith('Throttling'));
  // Each process pacing itself at 20/s sent three times the budget; one shared budget keeps within it.
  expect(throttled.length / calls.length).toBeLessThanOrEqual(0.01);
  // The process's own calls, counted for /api/metrics behind its bearer token.
  if (!scraped) throw new Error('no process');
  expect((await fetch(`${scraped.url}/api/metrics`)).status).toBe(401);
  const answer = await fetch(`${scraped.url}/api/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(answer.status).toBe(200);
  const families = parsePrometheusText(await answer.text());
  const roamsCounted = sampleValue(families, 'sag_roam_api_calls_total', {
    action: 'RoamClientUser',
    outcome: 'ok',
    code: 'OK',
  });
  const atEmulator = emulator.state
    .requestLog()
    .filter((entry) => entry.action === 'RoamClientUser' && entry.outcome === 'OK').length;
  expect(roamsCounted).toBeGreaterThan(0);
  expect(roamsCounted).toBeLessThanOrEqual(atEmulator);
  expect(sampleValue(families, 'sag_roam_jobs', { state: 'completed' })).toBeGreaterThanOrEqual(1);
  test.info().annotations.push({
    type: 'fleet',
    description: `${total} usernames by three processes in ${wallMs} ms (N/R = ${(total / 20) * 1000} ms); ${throttled.length} of ${calls.length} calls throttled`,
  });
});

test('PostgreSQL stopped for 10 s mid-job: the app keeps running, says it is not ready, and finishes the job with nothing lost or sent twice', async () => {
  test.setTimeout(120_000);
  if (!postgres?.outage)
    throw new Error('This test stops the PostgreSQL it started; unset TEST_DATABASE_URL');
  const total = 60;
  const { emulator, route, usernames, databaseUrl, opened } = await setUp(total, [KEY_A], { latencyMs: 100 });
  const env = { databaseUrl, emulator, key: KEY_A, ratePerSecond: 10 };
  const app = await startApp({ name: 'crash-first', env: appEnv(env), logDir: runDir });
  const { id } = await createJob(opened, route, usernames);
  await waitFor(
    'a quarter of the job to succeed',
    async () => ((await job(opened, id)).counts.succeeded >= total / 4 ? true : undefined),
    { timeoutMs: 30_000, intervalMs: 50 },
  );

  const outage = postgres.outage(10_000);
  const notReady = await waitFor(
    'the app to report not ready',
    async () => {
      const answer = await fetch(`${app.url}/api/ready`);
      return answer.status === 503 ? ((await answer.json()) as { failing: string[] }) : undefined;
    },
    { timeoutMs: 9_000, intervalMs: 200 },
  );
  expect(notReady.failing).toContain('database');
  expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  await outage;

  const done = await completed(opened, id, 60_000);
  expect((await fetch(`${app.url}/api/ready`)).status).toBe(200);
  expect(done.counts).toMatchObject({ total, succeeded: total, failed: 0, unknown: 0 });
  for (const username of usernames) {
    expect(emulator.state.roamCount(route.targetInstanceId, username).applied, username).toBe(1);
  }
  const attempts = await repository.listItemAttempts(opened.db, id);
  expect(attempts.filter((attempt) => attempt.outcome === null)).toEqual([]);
  // The outage is told in a line when it starts and one when it ends, not one per poll.
  const log = app.log();
  expect(log.match(/the database does not answer/g)?.length ?? 0).toBe(1);
  expect(log.match(/the database answers again/g)?.length ?? 0).toBe(1);
  expect(log.match(/PostgreSQL dropped idle connections/g)?.length ?? 0).toBeLessThanOrEqual(1);
});
