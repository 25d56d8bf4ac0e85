// Batch roam throughput: the real RoamWorker on a real embedded PostgreSQL directory against the emulator with a
// cross-region round trip (200 ms added latency) and a 20 requests/s throttle per AccessKey; then the same
// with the app's rate set above the throttle (an account limit the app was not told about); then the same
// usernames roamed by a sequential loop over the official SDK, as an admin's script would.
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase } from '@/lib/db/database';
import { createJob, getJob, listItemAttempts } from '@/lib/db/jobs';
import { RoamWorker, type WorkerLogger } from '@/lib/roam/worker';
import { officialClient, officialErrorCode } from '@/lib/testing/official-sdk';
import { onCleanup, removeTempDir, tempDir } from './cleanup';
import { appClient, officialRoam } from './clients';
import { Rows } from './report';
import { appliedOnceProblems, BENCH_ORIGIN, BENCH_TARGET, benchUsernames, startBenchEmulator } from './seed';
import { round } from './stats';

const LATENCY_MS = 200;
const THROTTLE_PER_SECOND = 20;
/** The app's defaults (ROAM_CONCURRENCY, ROAM_RATE_PER_SECOND). */
const APP_CONCURRENCY = 8;
const APP_RATE = 20;
/** The "throttle the app does not know" case: the app believes it may send twice as fast. */
const UNKNOWN_THROTTLE_APP_RATE = 40;
const RATIO_TARGET = 1.1;
const KNOWN_LIMIT_RUNS = 3;

interface WorkerRun {
  wallMs: number;
  /** The machine's 1-minute load average when the run started. */
  loadAtStart: number;
  /** 99th percentile of this process's event-loop delay during the run: high when it waited for a CPU. */
  loopDelayP99Ms: number;
  completed: boolean;
  total: number;
  succeeded: number;
  failed: number;
  unknown: number;
  inProgress: number;
  failedByThrottling: number;
  roamAttempts: number;
  throttledAttempts: number;
  /** Throttling answers the emulator gave, to any call (lists of the target included). */
  throttledAtEmulator: number;
  missing: number;
  twice: number;
  roamRequests: number;
  minRate: number;
  finalRate: number;
  workerErrors: number;
}

async function runWorkerJob(n: number, appRate: number): Promise<WorkerRun> {
  const { emulator, close: closeEmulator } = await startBenchEmulator(n, {
    latencyMs: LATENCY_MS,
    rateLimit: { perSecond: THROTTLE_PER_SECOND },
  });
  const dataDir = tempDir('data');
  const opened = await openDatabase({ dataDir });
  const closeDatabase = onCleanup('job database', () => opened.close());
  const client = appClient(emulator);
  let workerErrors = 0;
  const logger: WorkerLogger = {
    info() {},
    warn() {},
    error(message) {
      workerErrors += 1;
      console.error(`bench: worker: ${message}`);
    },
  };
  // As lib/runtime.ts builds it, with the rate under test.
  const worker = new RoamWorker({
    db: opened.db,
    api: client,
    concurrency: APP_CONCURRENCY,
    ratePerSecond: appRate,
    leaseMs: 60_000,
    logger,
  });
  const stopWorker = onCleanup('roam worker', async () => {
    await worker.stop();
  });
  let minRate = worker.limiter.currentRate;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const sampler = setInterval(() => {
    minRate = Math.min(minRate, worker.limiter.currentRate);
  }, 50);
  try {
    const usernames = benchUsernames(emulator, n);
    worker.start();
    const loadAtStart = os.loadavg()[0] ?? Number.NaN;
    loopDelay.enable();
    const started = performance.now();
    const job = await createJob(opened.db, {
      createdBy: 'bench@sag-roam.local',
      originRegionId: BENCH_ORIGIN.regionId,
      originInstanceId: BENCH_ORIGIN.instanceId,
      targetRegionId: BENCH_TARGET.regionId,
      targetInstanceId: BENCH_TARGET.instanceId,
      usernames,
      mode: 'emulator',
    });
    worker.kick();
    // Bounded: ten times the lower bound, plus a minute.
    const completed = await worker.waitForJob(job.id, ((10 * n) / THROTTLE_PER_SECOND) * 1000 + 60_000);
    const wallMs = performance.now() - started;
    loopDelay.disable();
    clearInterval(sampler);
    await stopWorker();

    const done = await getJob(opened.db, job.id);
    if (!done) throw new Error('the job vanished from the database');
    const attempts = await listItemAttempts(opened.db, job.id);
    const roamAttempts = attempts.filter((attempt) => attempt.kind === 'roam');
    const throttled = (code: string | null) => code?.startsWith('Throttling') ?? false;
    const applied = appliedOnceProblems(emulator, usernames);
    return {
      wallMs,
      loadAtStart,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      completed,
      total: done.counts.total,
      succeeded: done.counts.succeeded,
      failed: done.counts.failed,
      unknown: done.counts.unknown,
      inProgress: done.counts.inProgress,
      failedByThrottling: done.items.filter((item) => item.status === 'failed' && throttled(item.errorCode))
        .length,
      roamAttempts: roamAttempts.length,
      throttledAttempts: roamAttempts.filter((attempt) => throttled(attempt.errorCode)).length,
      throttledAtEmulator: emulator.state.requestLog().filter((entry) => throttled(entry.outcome)).length,
      missing: applied.missing,
      twice: applied.twice,
      roamRequests: applied.requests,
      minRate,
      finalRate: worker.limiter.currentRate,
      workerErrors,
    };
  } finally {
    loopDelay.disable();
    clearInterval(sampler);
    await stopWorker();
    client.close();
    await closeDatabase();
    removeTempDir(dataDir);
    await closeEmulator();
  }
}

interface SdkRun {
  wallMs: number;
  succeeded: number;
  failures: Map<string, number>;
  missing: number;
  twice: number;
}

async function runOfficialSdkLoop(n: number): Promise<SdkRun> {
  const { emulator, close } = await startBenchEmulator(n, {
    latencyMs: LATENCY_MS,
    rateLimit: { perSecond: THROTTLE_PER_SECOND },
  });
  try {
    const usernames = benchUsernames(emulator, n);
    const client = officialClient(emulator);
    const failures = new Map<string, number>();
    let succeeded = 0;
    const started = performance.now();
    // One call after the other, printing nothing: the plainest loop an admin would write.
    for (const username of usernames) {
      try {
        await officialRoam(client, username);
        succeeded += 1;
      } catch (error) {
        const code = officialErrorCode(error);
        failures.set(code, (failures.get(code) ?? 0) + 1);
      }
    }
    const wallMs = performance.now() - started;
    const applied = appliedOnceProblems(emulator, usernames);
    return { wallMs, succeeded, failures, missing: applied.missing, twice: applied.twice };
  } finally {
    await close();
  }
}

/** The run with the median wall time. */
function median(runs: readonly WorkerRun[]): WorkerRun {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error('no run to take the median of');
  return middle;
}

function describeCounts(run: WorkerRun): string {
  return `${run.succeeded} succeeded, ${run.failed} failed, ${run.unknown} unknown, ${run.inProgress} unfinished of ${run.total}`;
}

function appliedOnceRow(
  rows: Rows,
  run: { missing: number; twice: number; roamRequests?: number; workerErrors?: number },
  n: number,
): void {
  const extra = [
    run.roamRequests === undefined ? '' : `${run.roamRequests} RoamClientUser requests reached the emulator`,
    run.workerErrors ? `the worker logged ${run.workerErrors} errors (printed above)` : '',
  ]
    .filter(Boolean)
    .join('; ');
  rows.check(
    'each username applied exactly once (emulator state)',
    `${
      run.missing === 0 && run.twice === 0
        ? `${n} of ${n}`
        : `${n - run.missing - run.twice} of ${n} (${run.missing} missing, ${run.twice} applied twice)`
    }${extra ? `; ${extra}` : ''}`,
    `${n} of ${n}`,
    run.missing === 0 && run.twice === 0,
  );
}

export async function benchThroughput(n: number) {
  const rows = new Rows('throughput');
  const boundMs = (n / THROTTLE_PER_SECOND) * 1000;
  const setting = `${n} usernames, emulator ${LATENCY_MS} ms latency + ${THROTTLE_PER_SECOND} req/s throttle (token bucket, burst ${THROTTLE_PER_SECOND})`;

  // 1. The app's defaults, which match the account's limit. Run KNOWN_LIMIT_RUNS times and judged on the
  // median: on a shared machine one run can lose a second to other processes.
  const runs: WorkerRun[] = [];
  for (let index = 1; index <= KNOWN_LIMIT_RUNS; index += 1) {
    console.log(
      `bench: throughput: worker (${APP_CONCURRENCY} concurrent, ${APP_RATE}/s), run ${index} of ${KNOWN_LIMIT_RUNS}, ${setting} ...`,
    );
    runs.push(await runWorkerJob(n, APP_RATE));
  }
  const known = median(runs);
  const knownRatio = known.wallMs / boundMs;
  const all = (pick: (run: WorkerRun) => number) => runs.reduce((sum, run) => sum + pick(run), 0);
  const everyRun = runs
    .map(
      (run) =>
        `${round(run.wallMs / 1000, 2)} s (load ${round(run.loadAtStart, 1)}, loop delay p99 ${Math.round(run.loopDelayP99Ms)} ms)`,
    )
    .join(', ');
  const allCompleted = runs.every((run) => run.completed);
  rows.info('setting', setting);
  rows.info('lower bound N/20', `${round(boundMs / 1000, 2)} s`, { measured: boundMs / 1000, unit: 's' });
  rows.info(
    `worker wall time (${APP_CONCURRENCY} concurrent, ${APP_RATE}/s), median of ${KNOWN_LIMIT_RUNS}`,
    `${round(known.wallMs / 1000, 2)} s (runs: ${everyRun})${allCompleted ? '' : ' (a job did not complete)'}`,
    {
      measured: known.wallMs / 1000,
      unit: 's',
      note: "Each run: a fresh emulator and embedded PostgreSQL directory; from creating the job (one row per username) to the job completed event. RoamWorker, the database client and the emulator share this process, as the worker and PGlite share the app server: with the pace set exactly at the account limit, every moment the process waits for a CPU is lost for good, so the ratio rises with the load average and this process's event-loop delay shown (2 cores here).",
    },
  );
  rows.check(
    'ratio wall / bound (median)',
    `${knownRatio.toFixed(3)} (runs: ${runs.map((run) => (run.wallMs / boundMs).toFixed(3)).join(', ')})`,
    `≤ ${RATIO_TARGET.toFixed(2)}`,
    allCompleted && knownRatio <= RATIO_TARGET,
    {
      measured: knownRatio,
      note: "The bound N/20 leaves out the last call's 200 ms round trip, and the emulator's token bucket starts full (20 calls), which a client pacing at exactly 20/s never uses.",
    },
  );
  rows.check(
    'items failed by throttling (all runs)',
    String(all((run) => run.failedByThrottling)),
    '0',
    allCompleted && all((run) => run.failedByThrottling) === 0,
    { measured: all((run) => run.failedByThrottling) },
  );
  const allSucceeded = runs.every((run) => run.succeeded === n);
  rows.check(
    'items succeeded (all runs)',
    allSucceeded ? `${n} of ${n} in each of ${runs.length} runs` : runs.map(describeCounts).join('; '),
    `${n} of ${n} in each`,
    allSucceeded,
  );
  rows.info(
    'roam attempts answered Throttling.* (all runs)',
    `${all((run) => run.throttledAttempts)} of ${all((run) => run.roamAttempts)}`,
    { measured: all((run) => run.throttledAttempts) },
  );
  appliedOnceRow(
    rows,
    {
      missing: all((run) => run.missing),
      twice: all((run) => run.twice),
      roamRequests: all((run) => run.roamRequests),
      workerErrors: all((run) => run.workerErrors),
    },
    n * KNOWN_LIMIT_RUNS,
  );

  // 2. The account's limit is below what the app was told.
  console.log(`bench: throughput: worker at ${UNKNOWN_THROTTLE_APP_RATE}/s against the same throttle ...`);
  const unknown = await runWorkerJob(n, UNKNOWN_THROTTLE_APP_RATE);
  const unknownRatio = unknown.wallMs / boundMs;
  rows.info(
    `unknown throttle: wall time (app rate ${UNKNOWN_THROTTLE_APP_RATE}/s)`,
    `${round(unknown.wallMs / 1000, 2)} s${unknown.completed ? '' : ' (job did not complete)'}`,
    { measured: unknown.wallMs / 1000, unit: 's' },
  );
  rows.info('unknown throttle: ratio wall / bound', unknownRatio.toFixed(3), {
    measured: unknownRatio,
    note: 'No target in the issue; reported. Below 1.0 is possible: the bucket starts full, so a client sending faster than 20/s gets up to 20 calls ahead of N/20 before it is throttled. The adaptive limiter starts at the configured ceiling and lowers its pace by 30% at each Throttling answer, raising it by 2% of the ceiling per accepted call.',
  });
  rows.check(
    'unknown throttle: items failed',
    `${unknown.failed + unknown.unknown + unknown.inProgress} (${describeCounts(unknown)})`,
    '0',
    unknown.completed && unknown.succeeded === n,
    { measured: unknown.failed + unknown.unknown + unknown.inProgress },
  );
  rows.info(
    'unknown throttle: roam attempts answered Throttling.*',
    `${unknown.throttledAttempts} of ${unknown.roamAttempts} (emulator answered ${unknown.throttledAtEmulator} throttles in all)`,
    { measured: unknown.throttledAttempts },
  );
  rows.info(
    'unknown throttle: limiter pace',
    `lowest ${round(unknown.minRate, 1)}/s, at the end ${round(unknown.finalRate, 1)}/s (ceiling ${UNKNOWN_THROTTLE_APP_RATE}/s)`,
  );
  appliedOnceRow(rows, unknown, n);

  // 3. The admin's script.
  console.log(`bench: throughput: sequential loop over the official SDK, ${n} usernames ...`);
  const sdk = await runOfficialSdkLoop(n);
  const failures = [...sdk.failures].map(([code, count]) => `${count} ${code}`).join(', ');
  rows.info(
    'official SDK sequential loop: wall time',
    `${round(sdk.wallMs / 1000, 2)} s (${sdk.succeeded} of ${n} succeeded${failures ? `; ${failures}` : ''})`,
    {
      measured: sdk.wallMs / 1000,
      unit: 's',
      note: '@alicloud/openapi-core callApi, one client, default runtime options, one call after the other: what a for-loop in an admin script does.',
    },
  );
  rows.info(
    'speed-up of sag-roam (median run) over the SDK loop',
    `${round(sdk.wallMs / known.wallMs, 2)}×`,
    {
      measured: sdk.wallMs / known.wallMs,
    },
  );
  appliedOnceRow(rows, sdk, n);
  return rows.rows;
}
