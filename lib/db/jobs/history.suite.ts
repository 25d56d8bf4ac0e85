// The history's instance names and filters, run by one test file per driver (embedded PostgreSQL, PostgreSQL
// server): the names a job keeps (migration 0009 for the jobs made before it), the instance search and the
// failures filter, and the CSV export's columns.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Client, type Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { csvResponse } from '@/lib/roam/csv';
import type { StoredPlan } from '@/lib/roam/plan-view';
import { type SuiteDatabase, useSuiteDatabase } from '@/lib/testing/suite-database';
import { reachableTempDir } from '@/lib/testing/temp-dir';
import { type Database, migrationsFolder } from '../database';
import { roamAttempts, roamItems, roamJobs } from '../schema';
import {
  type CreateJobInput,
  cancelJob,
  claimItems,
  createJob,
  createUndoJob,
  type ExportRow,
  exportRows,
  finishRoamAttempt,
  getJob,
  listJobs,
  startRoamAttempt,
} from '.';

const route = {
  createdBy: 'admin@example.com',
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-shhqisehm13vdzujo497',
  targetRegionId: 'cn-hangzhou',
  targetInstanceId: 'sag-hzrdu7a0kxemg6nf99vr',
  mode: 'emulator' as const,
} satisfies Omit<CreateJobInput, 'usernames'>;

/** A stored plan that read these names for the route's instances (the rest of a plan does not matter here). */
function planNaming(
  origin: { smartAGId: string; name: string },
  target: { smartAGId: string; name: string },
): StoredPlan {
  const side = (instance: { smartAGId: string; name: string }, regionId: string) => ({
    ...instance,
    regionId,
    status: 'Active',
    cidrBlocks: [],
    area: '',
  });
  return {
    origin: side(origin, route.originRegionId),
    target: side(target, route.targetRegionId),
    findings: [],
    blocked: false,
    needsConfirmationOfUnknowns: false,
    counts: { send: 1, alreadyOnTarget: 0, notOnOrigin: 0, overQuota: 0, total: 1 },
    quota: null,
    computedAt: '2026-01-10T10:00:00.000Z',
    describeCalls: 4,
  };
}

const hqToRnd = planNaming(
  { smartAGId: route.originInstanceId, name: 'shanghai-hq-app' },
  { smartAGId: route.targetInstanceId, name: 'hangzhou-rnd-app' },
);

/**
 * The migrations folder as it was before migration `tag`: its SQL files and a journal that ends before it, so
 * that a database can be left as that version left it.
 */
async function migrationsBefore(tag: string): Promise<{ folder: string; dispose: () => Promise<void> }> {
  const journal = JSON.parse(
    await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
  ) as {
    entries: { tag: string }[];
  };
  const index = journal.entries.findIndex((entry) => entry.tag === tag);
  if (index < 0) throw new Error(`no migration ${tag}`);
  const folder = reachableTempDir('sag-roam-migrations-');
  await mkdir(path.join(folder, 'meta'), { recursive: true });
  const entries = journal.entries.slice(0, index);
  for (const entry of entries) {
    await copyFile(path.join(migrationsFolder, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  }
  await writeFile(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return { folder, dispose: () => rm(folder, { recursive: true, force: true }) };
}

/**
 * A new, empty database on the suite's server, reached with the suite's own connection settings (the
 * embedded server's socket, or the test server's URL) and dropped again after `use`.
 */
async function withFreshDatabase(db: Database, use: (client: Client) => Promise<void>): Promise<void> {
  const name = `sag_roam_migration_${process.pid}_${Date.now()}`;
  const options = (db as unknown as { $client: Pool }).$client.options;
  await db.execute(sql.raw(`CREATE DATABASE "${name}"`));
  const connectionString = options.connectionString
    ? Object.assign(new URL(options.connectionString), { pathname: `/${name}` }).toString()
    : undefined;
  const client = new Client({ ...options, connectionString, database: name });
  try {
    await client.connect();
    await use(client);
  } finally {
    await client.end();
    await db.execute(sql.raw(`DROP DATABASE "${name}" WITH (FORCE)`));
  }
}

export function describeHistory(driver: string, open: () => Promise<SuiteDatabase>) {
  describe(`history: instance names and filters on ${driver}`, () => {
    let db: Database;
    useSuiteDatabase(open, [roamAttempts, roamItems, roamJobs], (opened) => {
      db = opened.db;
    });

    /** Sends every item of the job with the given outcome, until none is left to claim. */
    async function finishAll(jobId: string, outcome: 'succeeded' | 'failed' | 'unknown') {
      for (;;) {
        const [item] = await claimItems(db, { jobId, workerId: 'worker-a', limit: 1, leaseMs: 60_000 });
        if (!item) return;
        const attemptId = await startRoamAttempt(db, { itemId: item.id, actor: 'worker-a' });
        await finishRoamAttempt(db, {
          attemptId,
          outcome,
          ...(outcome === 'succeeded'
            ? { requestId: `REQ-${item.id}` }
            : outcome === 'failed'
              ? { errorCode: 'SAG.CidrEmpty', errorMessage: 'no CIDR' }
              : {}),
        });
        if (outcome === 'unknown') return;
      }
    }

    const ids = async (filter: Omit<Parameters<typeof listJobs>[1], 'page' | 'pageSize'>) =>
      (await listJobs(db, { page: 1, pageSize: 50, ...filter })).jobs.map((job) => job.id);

    describe('names kept with a job', () => {
      it('takes them from the plan the server computed, for the instances of the job only', async () => {
        const named = await createJob(db, { ...route, usernames: ['user0001'], plan: hqToRnd });
        expect(named).toMatchObject({
          originInstanceName: 'shanghai-hq-app',
          targetInstanceName: 'hangzhou-rnd-app',
        });

        // A plan of other instances names nothing here; an instance the plan could not read has no name.
        const otherPlan = planNaming(
          { smartAGId: 'sag-someother000000000001', name: 'someone-else' },
          { smartAGId: route.targetInstanceId, name: '  ' },
        );
        const unnamed = await createJob(db, {
          ...route,
          targetInstanceId: 'sag-hzrdu7a0kxemg6nf99vr',
          usernames: ['user0002'],
          plan: otherPlan,
        });
        expect(unnamed).toMatchObject({ originInstanceName: null, targetInstanceName: null });
        const withoutPlan = await createJob(db, { ...route, usernames: ['user0003'] });
        expect(withoutPlan).toMatchObject({ originInstanceName: null, targetInstanceName: null });
        expect(await getJob(db, named.id)).toMatchObject({ targetInstanceName: 'hangzhou-rnd-app' });
      });

      it('gives an undo job the names of the job it undoes', async () => {
        const roamed = await createJob(db, { ...route, usernames: ['user0001', 'user0002'], plan: hqToRnd });
        await finishAll(roamed.id, 'succeeded');

        const { job: undo } = await createUndoJob(db, {
          jobId: roamed.id,
          createdBy: 'ana@example.com',
          mode: 'emulator',
        });

        expect(undo).toMatchObject({
          kind: 'undo',
          originInstanceName: 'shanghai-hq-app',
          targetInstanceName: 'hangzhou-rnd-app',
        });
      });

      it('are filled by migration 0009 for the jobs made before it, from their plan or the job they undo', async () => {
        const before = await migrationsBefore('0009_instance_names');
        try {
          await withFreshDatabase(db, async (client) => {
            const old = drizzle({ client });
            await migrate(old, { migrationsFolder: before.folder });
            const insert = async (values: Record<string, unknown>) => {
              const result = await client.query<{ id: string }>(
                `INSERT INTO roam_jobs (created_by, origin_region_id, origin_instance_id, target_region_id,
                   target_instance_id, status, finished_at, mode, item_count, plan, kind, undoes_job_id)
                 VALUES ($1, $2, $3, $4, $5, 'completed', now(), 'emulator', 1, $6, $7, $8) RETURNING id`,
                [
                  route.createdBy,
                  route.originRegionId,
                  values.originInstanceId ?? route.originInstanceId,
                  route.targetRegionId,
                  route.targetInstanceId,
                  values.plan === undefined ? null : JSON.stringify(values.plan),
                  values.undoes ? 'undo' : 'roam',
                  values.undoes ?? null,
                ],
              );
              const id = result.rows[0]?.id;
              if (!id) throw new Error('no job inserted');
              return id;
            };
            const planned = await insert({ plan: hqToRnd });
            const undo = await insert({ undoes: planned });
            const withoutPlan = await insert({});
            // The origin the plan read was found under no name (empty), and its target by another ID.
            const partly = await insert({
              plan: planNaming(
                { smartAGId: route.originInstanceId, name: '' },
                { smartAGId: 'sag-elsewhere000000000001', name: 'elsewhere-app' },
              ),
            });

            await migrate(old, { migrationsFolder });

            const names = await client.query<{ id: string; origin: string | null; target: string | null }>(
              'SELECT id, origin_instance_name AS origin, target_instance_name AS target FROM roam_jobs',
            );
            const byId = new Map(names.rows.map((row) => [row.id, [row.origin, row.target]]));
            expect(byId.get(planned)).toEqual(['shanghai-hq-app', 'hangzhou-rnd-app']);
            expect(byId.get(undo)).toEqual(['shanghai-hq-app', 'hangzhou-rnd-app']);
            expect(byId.get(withoutPlan)).toEqual([null, null]);
            expect(byId.get(partly)).toEqual([null, null]);
          });
        } finally {
          await before.dispose();
        }
      });
    });

    describe('the instance search', () => {
      it('finds jobs by a part of the origin or target ID or name, in any case', async () => {
        const hq = await createJob(db, { ...route, usernames: ['user0001'], plan: hqToRnd });
        const lab = await createJob(db, {
          ...route,
          originInstanceId: 'sag-hzrdu7a0kxemg6nf99vr',
          targetInstanceId: 'sag-jptk65n2k1jy6rqfktbz',
          usernames: ['user0002'],
          plan: planNaming(
            { smartAGId: 'sag-hzrdu7a0kxemg6nf99vr', name: 'hangzhou-rnd-app' },
            { smartAGId: 'sag-jptk65n2k1jy6rqfktbz', name: 'Tokyo-App' },
          ),
        });
        const unnamed = await createJob(db, {
          ...route,
          targetInstanceId: 'sag-jptk65n2k1jy6rqfktbz',
          usernames: ['user0003'],
        });

        expect(await ids({ instance: 'RND-app' })).toEqual([lab.id, hq.id]);
        expect(await ids({ instance: 'tokyo' })).toEqual([lab.id]);
        expect(await ids({ instance: 'Shanghai-' })).toEqual([hq.id]);
        // By ID: a fragment, in any case, of an origin or a target; the whole ID as before.
        expect(await ids({ instance: 'JPTK65' })).toEqual([unnamed.id, lab.id]);
        expect(await ids({ instance: 'shhqisehm13' })).toEqual([unnamed.id, hq.id]);
        expect(await ids({ instance: 'sag-hzrdu7a0kxemg6nf99vr' })).toEqual([lab.id, hq.id]);
        expect(await ids({ instance: '  tokyo-app  ' })).toEqual([lab.id]);
        expect(await ids({ instance: 'osaka' })).toEqual([]);
      });

      it('takes %, _ and \\ as the characters they are, not as patterns', async () => {
        const named = (name: string, username: string, targetInstanceId: string) =>
          createJob(db, {
            ...route,
            targetInstanceId,
            usernames: [username],
            plan: planNaming(
              { smartAGId: route.originInstanceId, name: 'origin' },
              { smartAGId: targetInstanceId, name },
            ),
          });
        const percent = await named('lab 100%', 'user0001', 'sag-target00000000000001');
        const underscore = await named('lab_one', 'user0002', 'sag-target00000000000002');
        const backslash = await named('lab\\two', 'user0003', 'sag-target00000000000003');
        await named('labXone', 'user0004', 'sag-target00000000000004');

        expect(await ids({ instance: '%' })).toEqual([percent.id]);
        expect(await ids({ instance: 'lab_' })).toEqual([underscore.id]);
        expect(await ids({ instance: 'b\\t' })).toEqual([backslash.id]);
        expect(await ids({ instance: '\\' })).toEqual([backslash.id]);
      });
    });

    describe('the failures filter', () => {
      it('keeps the jobs with a username that failed, was not sent or has an unknown outcome', async () => {
        const target = (index: number) => ({ ...route, targetInstanceId: `sag-target-${index}` });
        const succeeded = await createJob(db, { ...target(1), usernames: ['user0001'] });
        await finishAll(succeeded.id, 'succeeded');
        const failed = await createJob(db, { ...target(2), usernames: ['user0002', 'user0003'] });
        await finishAll(failed.id, 'failed');
        const notSent = await createJob(db, {
          ...target(3),
          usernames: ['user0004', 'absent01'],
          decisions: new Map([['absent01', 'not-on-origin']]),
        });
        const unknown = await createJob(db, { ...target(4), usernames: ['user0005'] });
        await finishAll(unknown.id, 'unknown');
        const cancelled = await createJob(db, { ...target(5), usernames: ['user0006'] });
        await cancelJob(db, { jobId: cancelled.id, actor: 'admin@example.com' });
        const running = await createJob(db, { ...target(6), usernames: ['user0007'] });

        expect(await ids({ failures: true })).toEqual([unknown.id, notSent.id, failed.id]);
        expect(await ids({ failures: false })).toEqual([
          running.id,
          cancelled.id,
          unknown.id,
          notSent.id,
          failed.id,
          succeeded.id,
        ]);
        // With the other filters: the job's other usernames may match them.
        expect(await ids({ failures: true, username: 'user0004' })).toEqual([notSent.id]);
        expect(await ids({ failures: true, instance: 'TARGET-2' })).toEqual([failed.id]);
        expect((await listJobs(db, { page: 1, pageSize: 2, failures: true })).total).toBe(3);

        // The export takes the same filter: every username of those jobs.
        const exported: ExportRow[] = [];
        for await (const row of exportRows(db, { failures: true })) exported.push(row);
        expect(exported.map((row) => row.username).sort()).toEqual([
          'absent01',
          'user0002',
          'user0003',
          'user0004',
          'user0005',
        ]);
      });
    });

    describe('the CSV export', () => {
      it('adds the instance names after every older column, which keep their order', async () => {
        const job = await createJob(db, { ...route, usernames: ['user0001'], plan: hqToRnd });
        const unnamed = await createJob(db, {
          ...route,
          targetInstanceId: 'sag-jptk65n2k1jy6rqfktbz',
          usernames: ['user0002'],
        });

        const text = await csvResponse(db, {}, 'jobs.csv').text();
        const [head = '', ...lines] = text
          .replace(/^\uFEFF/, '')
          .trim()
          .split('\r\n');
        // No cell of these rows holds a comma or a quote: a split is the CSV's reading.
        const cells = (line: string) => line.split(',');
        expect(cells(head)).toEqual([
          'job_id',
          'job_created_at',
          'created_by',
          'mode',
          'origin_region_id',
          'origin_instance_id',
          'target_region_id',
          'target_instance_id',
          'job_status',
          'username',
          'status',
          'verified_on_target',
          'target_presence',
          'request_id',
          'error_code',
          'error_message',
          'error_request_id',
          'attempts',
          'last_attempt_at',
          'last_attempt_by',
          'last_attempt_outcome',
          'job_kind',
          'undoes_job_id',
          'cancelled_by',
          'cancelled_at',
          'origin_instance_name',
          'target_instance_name',
        ]);
        const rows = lines.map(cells);
        const rowOf = (jobId: string) => rows.find((cells) => cells[0] === jobId);
        expect(rowOf(job.id)?.slice(-2)).toEqual(['shanghai-hq-app', 'hangzhou-rnd-app']);
        expect(rowOf(unnamed.id)?.slice(-2)).toEqual(['', '']);

        const filtered = await csvResponse(db, { instance: 'HANGZHOU-rnd' }, 'jobs.csv').text();
        expect(filtered.trim().split('\r\n')).toHaveLength(2);
      });
    });
  });
}
