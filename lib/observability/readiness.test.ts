import { rmSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type OpenedDatabase, openDatabase } from '@/lib/db/database';
import { startEmbeddedPostgres } from '@/lib/db/embedded-postgres';
import * as schema from '@/lib/db/schema';
import { type RoamApi, RoamWorker } from '@/lib/roam/worker';
import { reachableTempDir } from '@/lib/testing/temp-dir';
import { checkReadiness } from './readiness';

// Readiness on real embedded PostgreSQL databases and a real worker: each part that is not ready is named, alone.

const workers: RoamWorker[] = [];
/** Migrated, shared by the tests that leave it as they found it. */
let shared: OpenedDatabase;
const directory = reachableTempDir('sag-roam-readiness-');

beforeAll(async () => {
  shared = await openDatabase({ dataDir: path.join(directory, 'shared') });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
});

afterAll(async () => {
  await shared?.close();
  rmSync(directory, { recursive: true, force: true });
});

// No item is ever claimable in these databases, so the worker never calls the API.
const unusedApi = {} as RoamApi;

function runningWorker(db: Database): RoamWorker {
  const worker = new RoamWorker({ db, api: unusedApi, concurrency: 1, ratePerSecond: 1, pollIntervalMs: 20 });
  worker.start();
  workers.push(worker);
  return worker;
}

describe('checkReadiness', () => {
  it('is ready with a migrated database and a running worker', async () => {
    const { db } = shared;
    expect(await checkReadiness({ db, worker: runningWorker(db) })).toEqual({ ready: true, failing: [] });
  });

  it('names the worker once it is stopped, and is ready again when it starts', async () => {
    const { db } = shared;
    const worker = runningWorker(db);
    await worker.stop();
    expect(worker.isRunning).toBe(false);
    expect(await checkReadiness({ db, worker })).toEqual({ ready: false, failing: ['worker'] });
    worker.start();
    expect(await checkReadiness({ db, worker })).toEqual({ ready: true, failing: [] });
  });

  it('names the database once it is closed', async () => {
    const database = await openDatabase({ dataDir: path.join(directory, 'closed') });
    const worker = runningWorker(database.db);
    await worker.stop();
    await database.close();
    expect(await checkReadiness({ db: database.db, worker })).toEqual({
      ready: false,
      failing: ['database', 'worker'],
    });
  });

  it('names the migrations of a database nobody migrated', async () => {
    // The server alone, as openDatabase starts it, but without the migrations it applies.
    const server = await startEmbeddedPostgres({ dataDir: path.join(directory, 'unmigrated') });
    const pool = new Pool({ ...server.connection, max: 2 });
    try {
      const db = drizzle({ client: pool, schema }) as unknown as Database;
      expect(await checkReadiness({ db, worker: runningWorker(db) })).toEqual({
        ready: false,
        failing: ['migrations'],
      });
    } finally {
      await workers.pop()?.stop();
      await pool.end();
      await server.stop();
    }
  });

  it('names the migrations of a database that lacks the newest one of this build', async () => {
    const { db } = shared;
    const newest = sql`(select max(created_at) from drizzle.__drizzle_migrations)`;
    const { rows } = (await db.execute(
      sql`select id, hash, created_at from drizzle.__drizzle_migrations where created_at = ${newest}`,
    )) as unknown as { rows: { id: number; hash: string; created_at: string }[] };
    await db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = ${newest}`);
    try {
      expect(await checkReadiness({ db, worker: runningWorker(db) })).toEqual({
        ready: false,
        failing: ['migrations'],
      });
    } finally {
      for (const row of rows) {
        await db.execute(
          sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${row.id}, ${row.hash}, ${row.created_at})`,
        );
      }
    }
    expect((await checkReadiness({ db, worker: runningWorker(db) })).failing).toEqual([]);
  });

  it('answers within its time limit when the database never answers, naming it', async () => {
    // A database that accepted the query and went silent (a network partition): nothing short of a stand-in
    // makes a real one hang on cue.
    const hung = { execute: () => new Promise(() => {}) } as unknown as Database;
    const { db } = shared;
    const started = performance.now();
    const readiness = await checkReadiness({ db: hung, worker: runningWorker(db) }, 100);
    expect(readiness).toEqual({ ready: false, failing: ['database'] });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('asks a hung database once however many probes come meanwhile', async () => {
    let queries = 0;
    const hung = {
      execute: () => {
        queries++;
        return new Promise(() => {});
      },
    } as unknown as Database;
    const worker = runningWorker(shared.db);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => checkReadiness({ db: hung, worker }, 100)),
    );
    expect(answers.every((answer) => answer.failing.includes('database'))).toBe(true);
    expect(queries).toBe(1);
  });
});
