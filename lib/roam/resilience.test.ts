// Resilience under faults: a job of 300 usernames against the emulator over HTTP while it times out, answers
// 503, throttles, cuts connections and sends broken bodies, on RoamClientUser and on the checks of the target
// alike. Real parts throughout: the SAG client, the roam worker and an embedded PostgreSQL data directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '@/lib/db/database';
import {
  type AttemptWithUsername,
  createJob,
  getJob,
  type JobDetails,
  listItemAttempts,
  retryFailedItems,
} from '@/lib/db/jobs';
import { DEMO_ACCESS_KEY, type Emulator, type RequestLogEntry, startEmulator } from '@/lib/emulator';
import { createSagClient, type SagClient } from '@/lib/sag/client';
import { staticCredentials } from '@/lib/sag/credentials';
import { largeSeed } from '@/lib/testing/large-seed';
import { type ReopenableSuiteDatabase, reopenableSuiteDatabase } from '@/lib/testing/suite-database';
import { RoamWorker } from './worker';

const JOB_SIZE = 300;
const FAULTS = { timeout: 0.1, status503: 0.1, throttle: 0.1, reset: 0.05, malformed: 0.02 };

const { seed, route, usernames } = largeSeed(JOB_SIZE);

let database: ReopenableSuiteDatabase;
let opened: OpenedDatabase;
let emulator: Emulator;
let client: SagClient;
let worker: RoamWorker;

beforeAll(async () => {
  database = await reopenableSuiteDatabase('embedded');
  opened = await database.open();
  emulator = await startEmulator({
    port: 0,
    seed,
    knobs: {
      faults: FAULTS,
      // Each faulted request draws whether the fault hits before or after the change: "after" is the case
      // where a roam was applied and its answer lost.
      faultPhase: 'random',
      faultActions: ['RoamClientUser', 'DescribeSmartAccessGatewayClientUsers'],
      faultSeed: 5,
      // A held request is dropped soon after the client gave up, so 10% timeouts cost little time.
      timeoutHoldMs: 1_200,
      // An answer takes as long as a real API's: calls overlap, so a throttling answer pauses a batch of calls
      // rather than each call on its own.
      latencyMs: 150,
    },
  });
  client = createSagClient({
    credentials: staticCredentials(DEMO_ACCESS_KEY),
    signatureVersion: 'v3',
    endpoint: emulator.url,
    timeoutMs: 1_000,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 50 },
  });
  worker = new RoamWorker({
    db: opened.db,
    api: client,
    // Each throttling answer pauses every call for the emulator's x-acs-retry-after (1 s) and cuts the pace
    // by 30%: a high ceiling lets the pace recover between pauses, so the faults, not the ceiling, set the speed.
    concurrency: 64,
    ratePerSecond: 5_000,
    checkDelayMs: 50,
    pollIntervalMs: 20,
    // Far above what bad luck needs at these rates, so no item is parked for too many unknown outcomes; an
    // unreadable answer to a check still parks one, which the test accounts for below.
    maxAttemptsPerItem: 40,
    maxCheckFailures: 10,
  });
  worker.start();
});

afterAll(async () => {
  await worker?.stop();
  client?.close();
  await emulator?.close();
  await opened?.close();
  await database?.dispose();
});

async function finishedJob(jobId: string, timeoutMs: number): Promise<JobDetails> {
  worker.kick();
  expect(await worker.waitForJob(jobId, timeoutMs), 'the job completes').toBe(true);
  const job = await getJob(opened.db, jobId);
  if (!job) throw new Error('the job vanished');
  return job;
}

function roamRequests(jobUsernames: Set<string>): Map<string, RequestLogEntry[]> {
  const byUsername = new Map<string, RequestLogEntry[]>();
  for (const entry of emulator.state.requestLog()) {
    if (entry.action !== 'RoamClientUser' || entry.params.TargetSmartAGId !== route.targetInstanceId)
      continue;
    const username = entry.params.UserName ?? '';
    if (!jobUsernames.has(username)) continue;
    byUsername.set(username, [...(byUsername.get(username) ?? []), entry]);
  }
  return byUsername;
}

/** Every RoamClientUser the emulator received for a username has a recorded roam attempt of its own. */
function expectEveryRequestRecorded(attempts: AttemptWithUsername[]) {
  const requests = roamRequests(new Set(usernames));
  for (const username of usernames) {
    const logged = requests.get(username) ?? [];
    const roams = attempts.filter((attempt) => attempt.username === username && attempt.kind === 'roam');
    const recordedIds = new Set(roams.map((attempt) => attempt.requestId).filter(Boolean));
    // A recorded RequestId is one the emulator really answered, for this username.
    for (const requestId of recordedIds) {
      expect(
        logged.some((entry) => entry.requestId === requestId),
        `${username}: recorded RequestId ${requestId} was sent for it`,
      ).toBe(true);
    }
    // The requests whose RequestId is recorded pair with their attempts; each other request (answer lost, or
    // the client gave up before it arrived) needs an attempt that recorded no RequestId.
    const unpaired = logged.filter((entry) => !recordedIds.has(entry.requestId));
    const withoutRequestId = roams.filter((attempt) => !attempt.requestId);
    expect(
      withoutRequestId.length,
      `${username}: attempts without a RequestId (${withoutRequestId.length}) cover the requests not paired (${unpaired.map((entry) => entry.outcome).join(', ')})`,
    ).toBeGreaterThanOrEqual(unpaired.length);
    expect(roams.length, `${username}: roam attempts ≥ RoamClientUser requests`).toBeGreaterThanOrEqual(
      logged.length,
    );
    expect(emulator.state.roamCount(route.targetInstanceId, username).requests).toBe(logged.length);
  }
}

/** After a roam whose outcome was not known, nothing is sent again before a check found the target without it. */
function expectNoBlindResend(attempts: AttemptWithUsername[]) {
  const byItem = new Map<number, AttemptWithUsername[]>();
  for (const attempt of attempts)
    byItem.set(attempt.itemId, [...(byItem.get(attempt.itemId) ?? []), attempt]);
  for (const itemAttempts of byItem.values()) {
    let uncertain = false;
    for (const attempt of itemAttempts) {
      if (attempt.kind === 'roam') {
        expect(uncertain, `${attempt.username}: roam attempt ${attempt.id} sent blindly`).toBe(false);
        uncertain = attempt.outcome === 'unknown' || attempt.outcome === 'interrupted';
      } else if (attempt.outcome === 'absent') {
        uncertain = false;
      }
    }
  }
}

describe('a job of 300 usernames under 10% timeouts, 10% 503, 10% throttling, 5% resets, 2% broken bodies', () => {
  it('ends every item truthfully, roams no username twice and records every attempt', async () => {
    const started = Date.now();
    const job = await createJob(opened.db, {
      createdBy: 'ops@example.com',
      ...route,
      usernames,
      mode: 'emulator',
    });
    const done = await finishedJob(job.id, 75_000);
    const onTarget = new Set(emulator.state.accounts(route.targetInstanceId).map((a) => a.userName));
    const log = emulator.state.requestLog();
    const faultsSeen = new Set(log.map((entry) => entry.outcome));

    // The faults really happened, on both operations, and in both phases.
    for (const outcome of [
      'Fault.Timeout',
      'Fault.Reset',
      'Fault.Malformed',
      'ServiceUnavailable',
      'Throttling.User',
    ]) {
      expect(faultsSeen.has(outcome), `the emulator answered ${outcome}`).toBe(true);
    }
    expect(log.some((entry) => entry.fault && entry.action === 'DescribeSmartAccessGatewayClientUsers')).toBe(
      true,
    );
    expect(log.some((entry) => entry.fault && entry.faultPhase === 'after' && entry.applied)).toBe(true);

    expect(done.status).toBe('completed');
    expect(done.counts.total).toBe(JOB_SIZE);
    expect(done.counts.inProgress).toBe(0);
    for (const item of done.items) {
      const count = emulator.state.roamCount(route.targetInstanceId, item.username);
      expect(count.applied, `${item.username} applied at most once`).toBeLessThanOrEqual(1);
      if (item.status === 'succeeded') {
        expect(onTarget.has(item.username), `${item.username} succeeded, so it is on the target`).toBe(true);
        expect(count.applied).toBe(1);
      } else if (item.status === 'failed') {
        // Failed means certainly not applied (e.g. a request that never left): the target must not have it.
        expect(onTarget.has(item.username), `${item.username} failed, so it is not on the target`).toBe(
          false,
        );
        expect(count.applied).toBe(0);
        expect(item.errorCode).toBeTruthy();
      } else {
        // Parked: an answer to the check was unreadable, so whether the roam landed is honestly unknown; the
        // target may or may not have it (applied 0 or 1, checked above).
        expect(item, `${item.username} neither succeeded nor failed`).toMatchObject({
          status: 'unknown',
          held: true,
          needsCheck: true,
        });
        expect(item.errorCode).toBeTruthy();
      }
    }

    const attempts = await listItemAttempts(opened.db, job.id);
    expect(attempts.every((attempt) => attempt.outcome !== null && attempt.finishedAt !== null)).toBe(true);
    expect(attempts.filter((attempt) => attempt.outcome === 'unknown').length).toBeGreaterThan(0);
    expect(done.items.some((item) => item.verified)).toBe(true);
    expectEveryRequestRecorded(attempts);
    expectNoBlindResend(attempts);

    // What an admin does next: "retry failed" on a quiet API settles every parked and failed item, each
    // checked on the target first, still sending no account twice.
    const parked = done.items.filter((item) => item.held).length;
    emulator.setKnobs({ faults: {} });
    expect(await retryFailedItems(opened.db, { jobId: job.id, actor: 'ops@example.com' })).toBe(
      parked + done.counts.failed,
    );
    const settled = await finishedJob(job.id, 20_000);
    expect(settled.counts).toMatchObject({ total: JOB_SIZE, succeeded: JOB_SIZE, failed: 0, unknown: 0 });
    for (const username of usernames) {
      expect(emulator.state.roamCount(route.targetInstanceId, username).applied, username).toBe(1);
    }
    const allAttempts = await listItemAttempts(opened.db, job.id);
    expectEveryRequestRecorded(allAttempts);
    expectNoBlindResend(allAttempts);
    console.log(
      `faults: ${log.length} requests, ${attempts.length} attempts, ${parked} parked and ${done.counts.failed} failed then settled, ${
        Date.now() - started
      } ms`,
    );
  }, 110_000);
});
