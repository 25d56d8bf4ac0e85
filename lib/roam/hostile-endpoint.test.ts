// The app's real SAG client and roam worker, with a real embedded PostgreSQL database, against an endpoint that answers
// badly on purpose (lib/testing/hostile-sag.ts): huge and endless bodies, bodies that trickle in, hints in the
// wrong unit, entity bombs, success statuses with error codes, RequestIds that are missing, odd or megabytes
// long. Each case asserts bounded calls (what the endpoint saw), bounded time (wall clock), bounded memory
// (RSS growth and the size of what was stored) and a truthful record: nothing is recorded as roamed with a
// RequestId the endpoint did not issue, and an outcome that is not known is checked on the target before
// anything is sent again.
//
// A case is an entry of CASES: a scenario per action, what to wait for, the bounds and what the record says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '@/lib/db/database';
import {
  type AttemptWithUsername,
  createJob,
  getJob,
  type JobDetails,
  listItemAttempts,
} from '@/lib/db/jobs';
import { createSagClient } from '@/lib/sag/client';
import { MAX_CLIENT_USER_PAGES } from '@/lib/sag/client-user-pages';
import { staticCredentials } from '@/lib/sag/credentials';
import { MAX_ERROR_CODE_LENGTH, MAX_ERROR_MESSAGE_LENGTH, MAX_REQUEST_ID_LENGTH } from '@/lib/sag/parse';
import { MAX_RETRY_AFTER_MS } from '@/lib/sag/retry';
import {
  always,
  apiError,
  applied,
  entityBomb,
  firstThenNormal,
  HOSTILE_ROUTE,
  type HostileSag,
  type HostileSagAction,
  hugeBody,
  json,
  type Responder,
  type Scenario,
  startHostileSag,
  trickle,
} from '@/lib/testing/hostile-sag';
import { type ReopenableSuiteDatabase, reopenableSuiteDatabase } from '@/lib/testing/suite-database';
import { RoamWorker } from './worker';

const MB = 1024 * 1024;
/** One attempt's limit in the client: a body that trickles in is cut here. */
const CALL_TIMEOUT_MS = 1_000;
const MAX_ATTEMPTS_PER_ITEM = 3;
const MAX_CHECK_FAILURES = 2;

interface CaseRun {
  job: JobDetails;
  attempts: AttemptWithUsername[];
  sag: HostileSag;
  /** From the job's creation to the end of the wait. */
  elapsedMs: number;
  rssGrowthBytes: number;
}

interface HostileCase {
  name: string;
  scenario: Scenario;
  /** Usernames in the job; 1 by default. */
  usernames?: number;
  /** Waited for (re-read after each item the worker handles); by default, the job completes. */
  until?: (run: Omit<CaseRun, 'elapsedMs' | 'rssGrowthBytes'>) => boolean;
  /** Requests the endpoint may see, per action, at most. */
  maxCalls: Partial<Record<HostileSagAction, number>>;
  withinMs: number;
  /** RSS growth allowed; 64 MB by default. */
  maxRssGrowthBytes?: number;
  /** What the record must say, beyond the checks every case gets (expectTruthfulRecord). */
  record: (run: CaseRun) => void;
}

/** The first roam attempt of each item is recorded (whether or not the job can go on soon). */
const firstRoamRecorded: HostileCase['until'] = ({ job, attempts }) =>
  job.items.every((item) =>
    attempts.some((attempt) => attempt.itemId === item.id && attempt.kind === 'roam' && attempt.outcome),
  );

const roams = (run: CaseRun) => run.attempts.filter((attempt) => attempt.kind === 'roam');
const checks = (run: CaseRun) => run.attempts.filter((attempt) => attempt.kind === 'check');

/** Found on the target after an answer that proved nothing: succeeded, verified, and no RequestId of a call. */
function verifiedWithoutProof(run: CaseRun, code = 'SagClient.MalformedResponse') {
  for (const item of run.job.items) {
    expect(item, item.username).toMatchObject({ status: 'succeeded', verified: true, requestId: null });
    expect(run.sag.accounts()).toContain(item.username);
  }
  expect(roams(run).map((attempt) => [attempt.outcome, attempt.errorCode])).toEqual(
    run.job.items.map(() => ['unknown', code]),
  );
  expect(checks(run).every((attempt) => attempt.outcome === 'present')).toBe(true);
}

/** The first call's answer proved nothing and nothing was applied: checked absent, sent again, accepted. */
function resentAfterAbsentCheck(run: CaseRun, firstCode: string) {
  const [item] = run.job.items;
  expect(item).toMatchObject({ status: 'succeeded' });
  expect(run.sag.issuedRequestIds.has(item?.requestId ?? '')).toBe(true);
  expect(run.attempts.map((attempt) => [attempt.kind, attempt.outcome])).toEqual([
    ['roam', 'unknown'],
    ['check', 'absent'],
    ['roam', 'succeeded'],
  ]);
  expect(roams(run)[0]?.errorCode).toBe(firstCode);
}

const CASES: HostileCase[] = [
  {
    name: 'a success answer of 5 MB (the roam applied)',
    scenario: { RoamClientUser: applied(hugeBody(5 * MB)) },
    maxCalls: { RoamClientUser: 1, DescribeSmartAccessGatewayClientUsers: 1 },
    withinMs: 5_000,
    record: (run) => verifiedWithoutProof(run),
  },
  {
    name: 'an answer that never ends (the roam not applied)',
    scenario: {
      RoamClientUser: firstThenNormal(hugeBody(Number.POSITIVE_INFINITY)),
    },
    maxCalls: { RoamClientUser: 2, DescribeSmartAccessGatewayClientUsers: 1 },
    withinMs: 5_000,
    record: (run) => resentAfterAbsentCheck(run, 'SagClient.MalformedResponse'),
  },
  {
    name: 'a body that trickles in, a byte every 50 ms (the roam applied)',
    scenario: { RoamClientUser: applied(trickle(50)) },
    maxCalls: { RoamClientUser: 1, DescribeSmartAccessGatewayClientUsers: 1 },
    withinMs: CALL_TIMEOUT_MS + 4_000,
    record: (run) => verifiedWithoutProof(run, 'SagClient.Timeout'),
  },
  ...['9'.repeat(400), '3600000', '3600s'].map(
    (hint): HostileCase => ({
      name: `x-acs-retry-after: ${hint.length > 10 ? `${hint.length} nines` : hint} (waits a minute at most)`,
      scenario: {
        RoamClientUser: always(apiError('Throttling.User', { headers: { 'x-acs-retry-after': hint } })),
      },
      // A minute is too long to wait for here: the outcome must be recorded at once, with a retry time
      // within a minute.
      until: firstRoamRecorded,
      maxCalls: { RoamClientUser: 1, DescribeSmartAccessGatewayClientUsers: 0 },
      withinMs: 5_000,
      record: (run) => {
        expect(roams(run).map((attempt) => [attempt.outcome, attempt.errorCode])).toEqual([
          ['failed', 'Throttling.User'],
        ]);
        const [item] = run.job.items;
        expect(item?.status).toBe('pending');
        const wait = (item?.notBefore?.getTime() ?? 0) - Date.now();
        expect(wait).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
      },
    }),
  ),
  ...['-1', 'soon', '1e9', ''].map(
    (hint): HostileCase => ({
      name: `x-acs-retry-after: "${hint}" (ignored)`,
      scenario: {
        RoamClientUser: firstThenNormal(
          apiError('Throttling.User', { headers: { 'x-acs-retry-after': hint } }),
        ),
      },
      maxCalls: { RoamClientUser: 2, DescribeSmartAccessGatewayClientUsers: 0 },
      withinMs: 5_000,
      record: (run) => {
        expect(roams(run).map((attempt) => attempt.outcome)).toEqual(['failed', 'succeeded']);
        expect(run.job.items[0]?.status).toBe('succeeded');
      },
    }),
  ),
  {
    name: 'an entity bomb in a success answer (the roam applied)',
    scenario: { RoamClientUser: applied(entityBomb()) },
    maxCalls: { RoamClientUser: 1, DescribeSmartAccessGatewayClientUsers: 1 },
    withinMs: 5_000,
    maxRssGrowthBytes: 32 * MB,
    record: (run) => verifiedWithoutProof(run),
  },
  {
    name: 'a 200 with an error code (the roam not applied)',
    scenario: {
      RoamClientUser: firstThenNormal(apiError('ClientUser.UserExist', { status: 200 })),
    },
    maxCalls: { RoamClientUser: 2, DescribeSmartAccessGatewayClientUsers: 1 },
    withinMs: 5_000,
    record: (run) => {
      resentAfterAbsentCheck(run, 'ClientUser.UserExist');
      expect(roams(run)[0]?.httpStatus).toBe(200);
    },
  },
  {
    name: 'a 200 with an error code to every roam (parked after a bounded number of calls)',
    scenario: { RoamClientUser: always(apiError('InternalError', { status: 200 })) },
    maxCalls: {
      RoamClientUser: MAX_ATTEMPTS_PER_ITEM,
      DescribeSmartAccessGatewayClientUsers: MAX_ATTEMPTS_PER_ITEM,
    },
    withinMs: 5_000,
    record: (run) => {
      expect(run.job.items[0]).toMatchObject({ status: 'unknown', held: true, requestId: null });
      expect(roams(run).every((attempt) => attempt.outcome === 'unknown')).toBe(true);
    },
  },
  ...[
    ['no RequestId', {}],
    ['an empty RequestId', { RequestId: '' }],
    ['a RequestId of 65 characters', { RequestId: 'A'.repeat(MAX_REQUEST_ID_LENGTH + 1) }],
    ['a RequestId with markup', { RequestId: '<b>rid</b>' }],
  ].map(
    ([what, body]): HostileCase => ({
      name: `a success with ${what} (the roam applied)`,
      scenario: { RoamClientUser: applied(json(body)) },
      maxCalls: { RoamClientUser: 1, DescribeSmartAccessGatewayClientUsers: 1 },
      withinMs: 5_000,
      record: (run) => verifiedWithoutProof(run),
    }),
  ),
  {
    name: 'eight successes with a 7.5 MB RequestId (the roams applied)',
    usernames: 8,
    scenario: { RoamClientUser: applied(hugeBody(7.5 * MB, 'A')) },
    maxCalls: { RoamClientUser: 8, DescribeSmartAccessGatewayClientUsers: 8 },
    withinMs: 10_000,
    record: (run) => verifiedWithoutProof(run),
  },
  {
    name: 'a refusal whose RequestId, Code and Message are 300 KB each',
    scenario: {
      RoamClientUser: always(
        json(
          {
            RequestId: 'R'.repeat(300_000),
            Code: `Odd.${'c'.repeat(300_000)}`,
            Message: 'm'.repeat(300_000),
          },
          { status: 400 },
        ),
      ),
    },
    maxCalls: { RoamClientUser: 1, DescribeSmartAccessGatewayClientUsers: 0 },
    withinMs: 5_000,
    record: (run) => {
      const [item] = run.job.items;
      expect(item).toMatchObject({ status: 'failed', errorRequestId: null });
      expect(item?.errorCode?.startsWith('Odd.ccc')).toBe(true);
      expect(item?.errorMessage?.startsWith('mmm')).toBe(true);
    },
  },
  {
    name: 'checks of the target answered without end (parked after a bounded number of calls)',
    scenario: {
      RoamClientUser: always(trickle(50)),
      DescribeSmartAccessGatewayClientUsers: always(hugeBody(Number.POSITIVE_INFINITY)),
    },
    maxCalls: { RoamClientUser: 1, DescribeSmartAccessGatewayClientUsers: MAX_CHECK_FAILURES * 2 },
    withinMs: CALL_TIMEOUT_MS + 5_000,
    record: (run) => {
      expect(run.job.items[0]).toMatchObject({ status: 'unknown', held: true });
      expect(checks(run).map((attempt) => [attempt.outcome, attempt.errorCode])).toEqual(
        Array.from({ length: MAX_CHECK_FAILURES }, () => ['error', 'SagClient.MalformedResponse']),
      );
    },
  },
  {
    // Finding 4: `pageNumber * PageSize >= TotalCount` never comes true, and every page is full.
    name: 'checks answered with PageSize 0, TotalCount 1,000,000 and full pages without end (parked after one capped, paced listing)',
    scenario: {
      RoamClientUser: always(trickle(50)),
      DescribeSmartAccessGatewayClientUsers: endlessPage(50),
    },
    maxCalls: { RoamClientUser: 1, DescribeSmartAccessGatewayClientUsers: MAX_CLIENT_USER_PAGES },
    withinMs: CALL_TIMEOUT_MS + 5_000,
    record: (run) => {
      expect(run.job.items[0]).toMatchObject({
        status: 'unknown',
        held: true,
        errorCode: 'SagClient.ListingIncomplete',
      });
      expect(checks(run).map((attempt) => [attempt.outcome, attempt.errorCode])).toEqual([
        ['error', 'SagClient.ListingIncomplete'],
      ]);
      // Paced one page at a time by the worker's limiter (100/s here): the listing took its time.
      expect(run.sag.count('DescribeSmartAccessGatewayClientUsers')).toBe(MAX_CLIENT_USER_PAGES);
      expect(run.elapsedMs).toBeGreaterThanOrEqual(((MAX_CLIENT_USER_PAGES - 10) / 100) * 1_000);
    },
  },
  {
    name: 'checks answered with PageSize 0 and a short page that holds the whole TotalCount (absent after one page, sent again)',
    scenario: {
      RoamClientUser: firstThenNormal(trickle(50)),
      DescribeSmartAccessGatewayClientUsers: endlessPage(3, 3),
    },
    maxCalls: { RoamClientUser: 2, DescribeSmartAccessGatewayClientUsers: 1 },
    withinMs: CALL_TIMEOUT_MS + 4_000,
    record: (run) => resentAfterAbsentCheck(run, 'SagClient.Timeout'),
  },
  {
    // A page shorter than asked while TotalCount says more is a page size the endpoint caps: followed at that
    // size, never taken as the end of the list (which would prove the account absent).
    name: 'checks answered with PageSize 0, TotalCount 1,000,000 and pages of 3 without end (followed at 3 a page, parked after the cap)',
    scenario: {
      RoamClientUser: always(trickle(50)),
      DescribeSmartAccessGatewayClientUsers: endlessPage(3),
    },
    maxCalls: { RoamClientUser: 1, DescribeSmartAccessGatewayClientUsers: MAX_CLIENT_USER_PAGES },
    withinMs: CALL_TIMEOUT_MS + 5_000,
    record: (run) => {
      expect(run.job.items[0]).toMatchObject({
        status: 'unknown',
        held: true,
        errorCode: 'SagClient.ListingIncomplete',
      });
      expect(
        run.sag.requests
          .filter((request) => request.action === 'DescribeSmartAccessGatewayClientUsers')
          .map((request) => request.params.PageSize),
      ).toEqual(['100', ...Array.from({ length: MAX_CLIENT_USER_PAGES - 1 }, () => '3')]);
    },
  },
];

/** A page of `users` other accounts that says its size is 0 and that `totalCount` (a million) are left. */
function endlessPage(users: number, totalCount = 1_000_000): Responder {
  return (request) =>
    json({
      RequestId: `PAGE-${request.index}`,
      TotalCount: totalCount,
      PageNumber: Number(request.params.PageNumber ?? 1),
      PageSize: 0,
      Users: {
        User: Array.from({ length: users }, (_, index) => ({
          UserName: `someone.else${request.index}x${index}`,
          UserMail: '',
          State: 0,
        })),
      },
    });
}

const REQUEST_ID = new RegExp(`^[A-Za-z0-9-]{1,${MAX_REQUEST_ID_LENGTH}}$`);

/** What every case's record must hold, whatever the endpoint did. */
function expectTruthfulRecord({ job, attempts, sag }: CaseRun) {
  const stored: (string | null)[] = [];
  for (const item of job.items) {
    stored.push(item.requestId, item.errorRequestId);
    // A RequestId shown as proof of a roam is one the endpoint issued.
    if (item.requestId !== null) expect(sag.issuedRequestIds.has(item.requestId), item.requestId).toBe(true);
    if (item.status === 'succeeded') expect(sag.accounts(), item.username).toContain(item.username);
    if (item.status === 'failed') expect(sag.accounts(), item.username).not.toContain(item.username);
    expect(item.errorCode?.length ?? 0).toBeLessThanOrEqual(MAX_ERROR_CODE_LENGTH);
    expect(item.errorMessage?.length ?? 0).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
  }
  for (const attempt of attempts) {
    stored.push(attempt.requestId);
    if (attempt.kind === 'roam' && attempt.outcome === 'succeeded') {
      expect(sag.issuedRequestIds.has(attempt.requestId ?? ''), `${attempt.requestId}`).toBe(true);
    }
    expect(attempt.errorCode?.length ?? 0).toBeLessThanOrEqual(MAX_ERROR_CODE_LENGTH);
    expect(attempt.errorMessage?.length ?? 0).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
  }
  for (const requestId of stored) if (requestId !== null) expect(requestId).toMatch(REQUEST_ID);
  // What the job page and the exports read back: a few kilobytes per attempt at most, whatever was answered.
  const texts = [...job.items, ...attempts].flatMap((row) => [row.errorCode, row.errorMessage]);
  const storedLength = [...stored, ...texts].reduce((sum, text) => sum + (text?.length ?? 0), 0);
  expect(storedLength, 'characters stored').toBeLessThanOrEqual(
    (job.items.length + attempts.length) *
      (MAX_REQUEST_ID_LENGTH + MAX_ERROR_CODE_LENGTH + MAX_ERROR_MESSAGE_LENGTH),
  );
  // Every call the endpoint saw was recorded before it was sent.
  expect(attempts.filter((attempt) => attempt.kind === 'roam').length).toBeGreaterThanOrEqual(
    sag.count('RoamClientUser'),
  );
  // After an outcome that was not known, nothing is sent before a check found the target without it.
  for (const item of job.items) {
    let uncertain = false;
    for (const attempt of attempts.filter((each) => each.itemId === item.id)) {
      if (attempt.kind === 'roam') {
        expect(uncertain, `${item.username}: roam attempt ${attempt.id} sent blindly`).toBe(false);
        uncertain = attempt.outcome === 'unknown' || attempt.outcome === 'interrupted';
      } else if (attempt.outcome === 'absent') {
        uncertain = false;
      }
    }
  }
}

let database: ReopenableSuiteDatabase;
let opened: OpenedDatabase;
let sag: HostileSag;

beforeAll(async () => {
  database = await reopenableSuiteDatabase('embedded');
  opened = await database.open();
  sag = await startHostileSag();
});

afterAll(async () => {
  await sag?.close();
  await opened?.close();
  await database?.dispose();
});

/** Resolves when `done` holds, re-checked after each item the worker handles; false after `timeoutMs`. */
function waitUntil(worker: RoamWorker, done: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let checking = false;
    let again = false;
    const finish = (value: boolean) => {
      clearTimeout(timer);
      worker.events.off('job-updated', check);
      resolve(value);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    async function check() {
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          if (await done()) return finish(true);
        } while (again);
      } catch {
        // Read again at the next update.
      }
      checking = false;
    }
    worker.events.on('job-updated', check);
    void check();
  });
}

async function runCase(hostile: HostileCase): Promise<CaseRun> {
  await database.clear(opened);
  sag.reset(hostile.scenario);
  const client = createSagClient({
    credentials: staticCredentials({
      accessKeyId: 'LTAI-hostile-test',
      accessKeySecret: 'hostile-test-secret',
    }),
    signatureVersion: 'v3',
    endpoint: sag.url,
    timeoutMs: CALL_TIMEOUT_MS,
    retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 50 },
  });
  const worker = new RoamWorker({
    db: opened.db,
    api: client,
    concurrency: 8,
    ratePerSecond: 100,
    checkDelayMs: 10,
    pollIntervalMs: 20,
    maxAttemptsPerItem: MAX_ATTEMPTS_PER_ITEM,
    maxCheckFailures: MAX_CHECK_FAILURES,
  });
  const rssBefore = process.memoryUsage().rss;
  const started = Date.now();
  try {
    const job = await createJob(opened.db, {
      createdBy: 'ops@example.com',
      ...HOSTILE_ROUTE,
      usernames: Array.from({ length: hostile.usernames ?? 1 }, (_, index) => `hostile.user${index + 1}`),
      mode: 'emulator',
    });
    worker.start();
    const read = async () => {
      const details = await getJob(opened.db, job.id);
      if (!details) throw new Error('the job vanished');
      return { job: details, attempts: await listItemAttempts(opened.db, job.id), sag };
    };
    const until = hostile.until;
    const reached = until
      ? await waitUntil(worker, async () => until(await read()), hostile.withinMs * 2)
      : await worker.waitForJob(job.id, hostile.withinMs * 2);
    const elapsedMs = Date.now() - started;
    expect(reached, 'the case reached its end before the test gave up').toBe(true);
    return { ...(await read()), elapsedMs, rssGrowthBytes: process.memoryUsage().rss - rssBefore };
  } finally {
    await worker.stop();
    client.close();
  }
}

describe('the real client and worker against a hostile endpoint', () => {
  it.each(CASES)('$name', async (hostile) => {
    const run = await runCase(hostile);
    for (const [action, most] of Object.entries(hostile.maxCalls)) {
      expect(sag.count(action as HostileSagAction), `${action} requests`).toBeLessThanOrEqual(most);
    }
    expect(run.elapsedMs, 'wall time').toBeLessThan(hostile.withinMs);
    expect(run.rssGrowthBytes, 'RSS growth').toBeLessThan(hostile.maxRssGrowthBytes ?? 64 * MB);
    expectTruthfulRecord(run);
    hostile.record(run);
  });
});
