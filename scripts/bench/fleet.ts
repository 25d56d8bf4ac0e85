// A fleet on one PostgreSQL (issue 13): three `next start` processes of a production build of the app, in
// Alibaba Cloud mode against the bench's emulator (one AccessKey limited to 20 requests/s, 200 ms added
// latency), sharing one database and so one rate budget for that AccessKey.
//
// Run 1: a job of 600 usernames, wall time from its creation to its completion (the database's own
// timestamps) against N/R, the share of all calls the emulator answered with a throttling error, and every
// username applied on the target exactly once.
// Run 2, on a fresh database and emulator state with the processes restarted on it: one process is killed
// with SIGKILL (its whole process group) when a third of the items have succeeded. Its items wait for their
// lease (15 s) to expire, are taken over by the others and checked on the target before anything is resent.
// The longest wait of an item, nothing lost and nothing sent twice, and the wall time.
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '@/lib/db/database';
import { createJob, getJob, type JobDetails, listItemAttempts, type RoamItem } from '@/lib/db/jobs';
import { type Emulator, type EmulatorAccessKey, startEmulator } from '@/lib/emulator';
import { largeSeed, type RoamRoute } from '@/lib/testing/large-seed';
import { startTestPostgres } from '@/lib/testing/postgres';
import { errorMessage, onCleanup, removeTempDir, spawnTracked, stopChild, tempDir } from './cleanup';
import { buildNextApp, copyApp, freePort } from './next-apps';
import { Rows } from './report';
import { round } from './stats';

const USERNAMES = 600;
const PROCESSES = ['fleet-a', 'fleet-b', 'fleet-c'] as const;
/** The one killed in run 2. */
const VICTIM = 'fleet-b';
/** The AccessKey's limit at the emulator, and the budget the app is told (ROAM_RATE_PER_SECOND). */
const RATE_PER_SECOND = 20;
const LATENCY_MS = 200;
const RATIO_TARGET = 1.1;
const THROTTLED_TARGET = 0.01;
const WAIT_TARGET_MS = 20_000;
/** Each job must have completed this long after its creation, or the run fails. */
const RUN_TIMEOUT_MS = 120_000;
const READY_TIMEOUT_MS = 120_000;
const POLL_MS = 100;
const ACTOR = 'bench@sag-roam.local';
const KEY: EmulatorAccessKey = {
  accessKeyId: 'LTAI5tBenchFleetKey01',
  accessKeySecret: 'bench-fleet-secret-not-for-production-01',
};
/** Measured before issue 13 (each process pacing itself, 60 s leases), as the issue states them. */
const BEFORE = { ratio: 0.98, throttledPercent: 9.4, longestWaitS: 39.9, killedRatio: 2.3 };

const seconds = (ms: number) => `${round(ms / 1000, 1)} s`;
const lowerBoundMs = (USERNAMES / RATE_PER_SECOND) * 1000;

interface FleetProcess {
  name: string;
  url: string;
  pid: number;
  logFile: string;
  log: () => string;
  gone: () => boolean;
  exited: Promise<void>;
  /** SIGKILL to the whole process group: a crash, with no chance to clean up. */
  crash: () => Promise<void>;
  /** SIGTERM (then SIGKILL after 5 s) to the group. */
  stop: () => Promise<void>;
}

function logTail(server: { name: string; logFile: string; log: () => string }): string {
  return `${server.name}'s log (${path.basename(server.logFile)}):\n${server.log().slice(-3_000)}`;
}

/**
 * `next start` of the built copy on a free port of 127.0.0.1, with exactly `env` on top of a minimal
 * environment (nothing of this shell's settings leaks in), writing to a log file of its own; resolves once
 * /api/ready answers 200 (database reachable and migrated, roam worker running).
 */
async function startFleetProcess(options: {
  root: string;
  appDir: string;
  name: string;
  logFile: string;
  env: Record<string, string>;
}): Promise<FleetProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const home = tempDir(`${options.name}-data`);
  const output = openSync(options.logFile, 'w');
  let child: ChildProcess;
  try {
    // node + next's bin: the process group is the server's own, so a kill of it is a crash of the server.
    child = spawnTracked(
      process.execPath,
      [
        path.join(options.root, 'node_modules', 'next', 'dist', 'bin', 'next'),
        'start',
        '--hostname',
        '127.0.0.1',
        '--port',
        String(port),
      ],
      {
        cwd: options.appDir,
        stdio: ['ignore', output, output],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: home,
          LANG: 'C.UTF-8',
          NODE_ENV: 'production',
          NEXT_TELEMETRY_DISABLED: '1',
          ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
          DATA_DIR: home,
          ...options.env,
        },
      },
    );
  } finally {
    closeSync(output);
  }
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      gone = true;
      resolve();
    }),
  );
  const pid = child.pid;
  const started: FleetProcess = {
    name: options.name,
    url,
    pid: pid ?? -1,
    logFile: options.logFile,
    log: () => readFileSync(options.logFile, 'utf8'),
    gone: () => gone,
    exited,
    crash: async () => {
      if (pid === undefined || gone) return;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await exited;
    },
    stop: () => stopChild(child),
  };
  if (pid === undefined) throw new Error(`${options.name}: next start did not start`);
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (gone) throw new Error(`${options.name} exited before it was ready. ${logTail(started)}`);
    if (performance.now() > deadline) {
      await started.stop();
      throw new Error(
        `${options.name} was not ready within ${READY_TIMEOUT_MS / 1000} s. ${logTail(started)}`,
      );
    }
    try {
      const response = await fetch(`${url}/api/ready`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === 200) return started;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface FleetContext {
  root: string;
  appDir: string;
  logDir: string;
  emulator: Emulator;
  route: RoamRoute;
  usernames: string[];
  createDatabase: () => Promise<string>;
}

interface KillRecord {
  atMs: number;
  /** Succeeded items when the process was killed. */
  succeeded: number;
  /** Items in progress at the kill (any process's lease), and the leases they were under. */
  inProgress: RoamItem[];
  /** Lease owners seen claiming after the kill: the survivors. */
  liveOwners: Set<string>;
}

interface FleetRun {
  wallMs: number;
  done: JobDetails;
  attempts: Awaited<ReturnType<typeof listItemAttempts>>;
  calls: number;
  throttled: number;
  throttleCodes: Map<string, number>;
  appliedOnce: number;
  missing: number;
  twice: number;
  /** Usernames with more than one RoamClientUser request (a resend after a check, or a retry). */
  resent: number;
  roamRequests: number;
  kill?: KillRecord;
}

async function runFleet(context: FleetContext, label: string, killAtThird: boolean): Promise<FleetRun> {
  const { emulator, route, usernames } = context;
  // Back to the seed: accounts, counters, the request log and the rate buckets.
  emulator.state.reset();
  const databaseUrl = await context.createDatabase();
  // Opened (and migrated) before the processes start, as an operator's deployment would have it.
  const opened = await openDatabase({ databaseUrl, maxConnections: 3 });
  const closeDatabase = onCleanup(`${label} database`, () => opened.close());
  const processes: FleetProcess[] = [];
  try {
    console.log(`bench: fleet: ${label}: starting ${PROCESSES.length} processes on one PostgreSQL ...`);
    const starts = await Promise.allSettled(
      PROCESSES.map((name) =>
        startFleetProcess({
          root: context.root,
          appDir: context.appDir,
          name,
          logFile: path.join(context.logDir, `${label}-${name}.log`),
          env: {
            SAG_MODE: 'cloud',
            SAG_ENDPOINT: emulator.url,
            ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.accessKeySecret,
            DATABASE_URL: databaseUrl,
            ROAM_RATE_PER_SECOND: String(RATE_PER_SECOND),
          },
        }).then((started) => {
          processes.push(started);
          return started;
        }),
      ),
    );
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) throw new Error(errorMessage(failed.reason));
    const victim = processes.find((candidate) => candidate.name === VICTIM);

    console.log(`bench: fleet: ${label}: a job of ${USERNAMES} usernames ...`);
    const job = await createJob(opened.db, { createdBy: ACTOR, ...route, usernames, mode: 'alibaba-cloud' });
    const deadline = performance.now() + RUN_TIMEOUT_MS;
    let kill: KillRecord | undefined;
    let done: JobDetails | undefined;
    for (;;) {
      const current = await getJob(opened.db, job.id);
      if (!current) throw new Error('the job vanished from the database');
      if (current.status === 'completed') {
        done = current;
        break;
      }
      if (current.status !== 'running') throw new Error(`the job ended ${current.status}`);
      const dead = processes.find((candidate) => candidate.gone() && !(kill && candidate === victim));
      if (dead) throw new Error(`${dead.name} exited during the job. ${logTail(dead)}`);
      if (performance.now() > deadline) {
        const { counts } = current;
        throw new Error(
          `the job did not complete within ${RUN_TIMEOUT_MS / 1000} s of its creation (${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.unknown} unknown, ${counts.inProgress} unfinished of ${counts.total}${current.stoppedCode ? `; sending stopped: ${current.stoppedCode}` : ''})`,
        );
      }
      if (killAtThird && !kill && current.counts.succeeded >= USERNAMES / 3) {
        if (!victim) throw new Error(`no process ${VICTIM} to kill`);
        const atMs = Date.now();
        await victim.crash();
        // What the dead process left: its items still leased to it (the others' leases are alive).
        const atKill = await getJob(opened.db, job.id);
        const inProgress = (atKill?.items ?? []).filter((item) => item.status === 'in_progress');
        kill = { atMs, succeeded: current.counts.succeeded, inProgress, liveOwners: new Set() };
        console.log(
          `bench: fleet: ${label}: killed ${victim.name} (SIGKILL to its process group) at ${current.counts.succeeded} succeeded, ${inProgress.length} in progress`,
        );
      } else if (kill) {
        // A lease taken after the kill belongs to a process that is alive.
        const atKillTokens = new Set(kill.inProgress.map((item) => item.leaseToken));
        for (const item of current.items) {
          if (item.status === 'in_progress' && item.leaseOwner && !atKillTokens.has(item.leaseToken)) {
            kill.liveOwners.add(item.leaseOwner);
          }
        }
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    if (killAtThird && !kill) throw new Error('the job completed before a third of it had succeeded');

    const createdAt = done.createdAt.getTime();
    const finishedAt = done.finishedAt?.getTime() ?? Date.now();
    const attempts = await listItemAttempts(opened.db, job.id);
    const calls = emulator.state.requestLog();
    const throttleCodes = new Map<string, number>();
    for (const entry of calls) {
      if (!entry.outcome.startsWith('Throttling')) continue;
      throttleCodes.set(entry.outcome, (throttleCodes.get(entry.outcome) ?? 0) + 1);
    }
    const onTarget = new Set(emulator.state.accounts(route.targetInstanceId).map((a) => a.userName));
    let appliedOnce = 0;
    let missing = 0;
    let twice = 0;
    let resent = 0;
    let roamRequests = 0;
    const succeeded = new Set(
      done.items.filter((item) => item.status === 'succeeded').map((item) => item.username),
    );
    for (const username of usernames) {
      const count = emulator.state.roamCount(route.targetInstanceId, username);
      roamRequests += count.requests;
      if (count.requests > 1) resent += 1;
      if (count.applied > 1) twice += 1;
      if (count.applied === 0 || !onTarget.has(username) || !succeeded.has(username)) missing += 1;
      else if (count.applied === 1) appliedOnce += 1;
    }
    return {
      wallMs: finishedAt - createdAt,
      done,
      attempts,
      calls: calls.length,
      throttled: [...throttleCodes.values()].reduce((sum, value) => sum + value, 0),
      throttleCodes,
      appliedOnce,
      missing,
      twice,
      resent,
      roamRequests,
      kill,
    };
  } finally {
    await Promise.all(processes.map((started) => started.stop()));
    await closeDatabase();
  }
}

interface Waits {
  /** Items not yet succeeded at the kill that were in progress then or had been attempted before it. */
  items: number;
  /** Of those, the items leased to the killed process (when its leases could be told from the others'). */
  killedProcessItems: number | undefined;
  longestMs: number;
  longestUsername: string;
  /** Items never settled: their wait has no end. */
  unsettled: number;
  /** From the kill to the first attempt (a check) on an item of the killed process. */
  takenOverAfterMs: number | undefined;
  /** Calls in flight at the kill, recorded as interrupted; how the checks found them. */
  interrupted: number;
  checkedPresent: number;
  checkedAbsent: number;
}

/**
 * For each item the kill could have held up, the time from its last attempt before the kill (or the kill,
 * when it had none) to its success (the roam call that succeeded, or the check that found it on the target).
 * Items never attempted before the kill were queued, not waiting for a lease: not counted.
 */
function waitsAfterKill(run: FleetRun, kill: KillRecord): Waits {
  const byItem = new Map<number, FleetRun['attempts']>();
  for (const attempt of run.attempts) {
    const list = byItem.get(attempt.itemId) ?? [];
    list.push(attempt);
    byItem.set(attempt.itemId, list);
  }
  const inProgressAtKill = new Set(kill.inProgress.map((item) => item.id));
  const settledBeforeKill = (attempt: FleetRun['attempts'][number]) =>
    ((attempt.kind === 'roam' && attempt.outcome === 'succeeded') ||
      (attempt.kind === 'check' && attempt.outcome === 'present')) &&
    attempt.finishedAt !== null &&
    attempt.finishedAt.getTime() <= kill.atMs;
  const killedOwners = new Set(
    kill.inProgress
      .map((item) => item.leaseOwner)
      .filter((owner): owner is string => owner !== null && !kill.liveOwners.has(owner)),
  );
  const killedItems = new Set(
    kill.inProgress.filter((item) => item.leaseOwner && killedOwners.has(item.leaseOwner)).map((i) => i.id),
  );
  let items = 0;
  let longestMs = 0;
  let longestUsername = '';
  let unsettled = 0;
  let takenOverAfterMs: number | undefined;
  let interrupted = 0;
  let checkedPresent = 0;
  let checkedAbsent = 0;
  for (const item of run.done.items) {
    const attempts = byItem.get(item.id) ?? [];
    if (attempts.some(settledBeforeKill)) continue;
    const before = attempts.filter((attempt) => attempt.startedAt.getTime() <= kill.atMs);
    if (!inProgressAtKill.has(item.id) && before.length === 0) continue;
    items += 1;
    const from = before.at(-1)?.startedAt.getTime() ?? kill.atMs;
    const success = attempts.findLast(
      (attempt) =>
        (attempt.kind === 'roam' && attempt.outcome === 'succeeded') ||
        (attempt.kind === 'check' && attempt.outcome === 'present'),
    );
    if (!success?.finishedAt || item.status !== 'succeeded') {
      unsettled += 1;
      continue;
    }
    const wait = success.finishedAt.getTime() - from;
    if (wait > longestMs) {
      longestMs = wait;
      longestUsername = item.username;
    }
    if (killedItems.has(item.id)) {
      const firstAfter = attempts.find((attempt) => attempt.startedAt.getTime() > kill.atMs);
      const after = firstAfter ? firstAfter.startedAt.getTime() - kill.atMs : undefined;
      if (after !== undefined && (takenOverAfterMs === undefined || after < takenOverAfterMs)) {
        takenOverAfterMs = after;
      }
    }
    for (const [index, attempt] of attempts.entries()) {
      if (attempt.outcome !== 'interrupted') continue;
      interrupted += 1;
      const next = attempts[index + 1];
      if (next?.kind === 'check' && next.outcome === 'present') checkedPresent += 1;
      if (next?.kind === 'check' && next.outcome === 'absent') checkedAbsent += 1;
    }
  }
  return {
    items,
    killedProcessItems: killedOwners.size === 1 ? killedItems.size : undefined,
    longestMs,
    longestUsername,
    unsettled,
    takenOverAfterMs,
    interrupted,
    checkedPresent,
    checkedAbsent,
  };
}

function describeThrottling(run: FleetRun): string {
  const codes = [...run.throttleCodes.entries()].map(([code, count]) => `${count} ${code}`).join(', ');
  return `${round((run.throttled / Math.max(1, run.calls)) * 100, 2)}% (${run.throttled} of ${run.calls} calls${codes ? `: ${codes}` : ''})`;
}

function wallValue(run: FleetRun, before: number): string {
  return `${seconds(run.wallMs)} = ${round(run.wallMs / lowerBoundMs, 2)} × N/R (N/R = ${seconds(lowerBoundMs)}); before: ${before} ×`;
}

export async function benchFleet({ root }: { root: string }): Promise<Rows['rows']> {
  const rows = new Rows('fleet');
  const cleanups: (() => Promise<void>)[] = [];
  let appDir: string | undefined;
  try {
    console.log('bench: fleet: next build of a copy of the app ...');
    appDir = await copyApp(root);
    await buildNextApp(root, appDir);
    const logDir = path.join(root, 'bench-results', 'fleet');
    mkdirSync(logDir, { recursive: true });

    const postgres = await startTestPostgres();
    cleanups.push(onCleanup('fleet PostgreSQL', () => postgres.stop()));
    const { seed, route, usernames } = largeSeed(USERNAMES);
    const emulator = await startEmulator({
      host: '127.0.0.1',
      port: 0,
      seed,
      accessKeys: [KEY],
      knobs: { latencyMs: LATENCY_MS, rateLimit: { perSecond: RATE_PER_SECOND } },
    });
    cleanups.push(onCleanup('fleet emulator', () => emulator.close()));
    const context: FleetContext = {
      root,
      appDir,
      logDir,
      emulator,
      route,
      usernames,
      createDatabase: () => postgres.createDatabase(),
    };
    const setup = `${PROCESSES.length} next start processes on one PostgreSQL, ROAM_RATE_PER_SECOND=${RATE_PER_SECOND} (the AccessKey's budget for all of them), default concurrency (8 each); the emulator limits the AccessKey to ${RATE_PER_SECOND} requests/s and answers in ${LATENCY_MS} ms. Logs: bench-results/fleet/.`;
    const n = USERNAMES.toLocaleString('en');

    // Run 1: the three processes share the AccessKey's rate.
    try {
      const run = await runFleet(context, 'shared', false);
      const ratio = run.wallMs / lowerBoundMs;
      rows.check(
        `${n} usernames by 3 processes: wall`,
        wallValue(run, BEFORE.ratio),
        `≤ ${RATIO_TARGET} × N/R (${seconds(lowerBoundMs * RATIO_TARGET)})`,
        ratio <= RATIO_TARGET,
        {
          measured: round(ratio, 3),
          unit: '× N/R',
          note: `From the job's creation to its completion (the database's created_at and finished_at). ${setup}`,
        },
      );
      const share = run.throttled / Math.max(1, run.calls);
      rows.check(
        `${n} usernames by 3 processes: calls throttled`,
        `${describeThrottling(run)}; before: ${BEFORE.throttledPercent}%`,
        `≤ ${THROTTLED_TARGET * 100}%`,
        share <= THROTTLED_TARGET,
        {
          measured: round(share * 100, 3),
          unit: '%',
          note: 'Throttling answers among every call the emulator received for the AccessKey while the fleet ran (RoamClientUser, their retries, and any Describe call).',
        },
      );
      rows.check(
        `${n} usernames by 3 processes: each applied once`,
        `${run.appliedOnce}/${USERNAMES} applied once, ${run.missing} missing, ${run.twice} twice (${run.roamRequests} RoamClientUser requests)`,
        `${USERNAMES}/${USERNAMES}, 0 twice`,
        run.appliedOnce === USERNAMES && run.missing === 0 && run.twice === 0,
        {
          measured: run.appliedOnce,
          note: "Counted by the emulator: RoamClientUser requests and applications per username on the target; and the job's items all succeeded.",
        },
      );
    } catch (error) {
      rows.error(`${n} usernames by 3 processes`, errorMessage(error));
    }

    // Run 2: one process killed with SIGKILL a third of the way through.
    try {
      const run = await runFleet(context, 'sigkill', true);
      const kill = run.kill;
      if (!kill) throw new Error('no process was killed');
      const waits = waitsAfterKill(run, kill);
      const held =
        waits.killedProcessItems === undefined ? '' : `, ${waits.killedProcessItems} the killed one's`;
      const takenOver =
        waits.takenOverAfterMs === undefined ? '' : `; taken over after ${seconds(waits.takenOverAfterMs)}`;
      rows.check(
        `${n} usernames, 1 of 3 SIGKILLed at a third: longest wait of an item`,
        waits.items === 0
          ? `no item was held up (${kill.inProgress.length} in progress at the kill); before: ${BEFORE.longestWaitS} s`
          : `${seconds(waits.longestMs)} (${waits.items} items${held}${takenOver}${waits.unsettled > 0 ? `; ${waits.unsettled} never settled` : ''}); before: ${BEFORE.longestWaitS} s`,
        `≤ ${WAIT_TARGET_MS / 1000} s`,
        waits.unsettled === 0 && waits.longestMs <= WAIT_TARGET_MS,
        {
          measured: round(waits.longestMs / 1000, 2),
          unit: 's',
          note: `Killed at ${kill.succeeded} of ${USERNAMES} succeeded (SIGKILL to the process group). Counted: every item not yet settled at the kill that was in progress then (under any process's lease) or had been attempted before it; its wait runs from the start of its last attempt before the kill (or the kill, when it had none) to the end of the call that succeeded or the check that found it on the target${waits.longestUsername ? ` (longest: ${waits.longestUsername})` : ''}. Leases are 15 s. ${waits.interrupted} call(s) in flight at the kill were recorded as interrupted and checked on the target: ${waits.checkedPresent} found there, ${waits.checkedAbsent} absent (then sent).`,
        },
      );
      rows.check(
        `${n} usernames, 1 of 3 SIGKILLed: lost, sent twice`,
        `${run.missing} lost, ${run.twice} applied twice (${run.appliedOnce}/${USERNAMES} applied once, ${run.resent} sent more than once)`,
        '0, 0',
        run.missing === 0 && run.twice === 0,
        {
          measured: run.missing + run.twice,
          note: 'Lost: an item that did not succeed, or a username the target does not hold. Twice: a username the target applied more than once. Sent more than once: more than one RoamClientUser request for it (emulator counts).',
        },
      );
      rows.info(`${n} usernames, 1 of 3 SIGKILLed: wall`, wallValue(run, BEFORE.killedRatio), {
        measured: round(run.wallMs / lowerBoundMs, 3),
        unit: '× N/R',
        note: `From the job's creation to its completion, the two survivors finishing it; ${describeThrottling(run)} throttled. ${setup}`,
      });
    } catch (error) {
      rows.error(`${n} usernames, 1 of 3 SIGKILLed`, errorMessage(error));
    }
  } catch (error) {
    rows.error('fleet', errorMessage(error));
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    if (appDir) removeTempDir(appDir);
  }
  return rows.rows;
}
