import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAppliedMigrations, jobExists, migrationCount } from '@/lib/testing/database-contents';
import { startTestPostgres, type TestPostgres } from '@/lib/testing/postgres';
import { openDatabase } from './database';
import { type CreateJobInput, createJob } from './jobs';

const job: CreateJobInput = {
  createdBy: 'admin@example.com',
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-origin0001',
  targetRegionId: 'cn-hangzhou',
  targetInstanceId: 'sag-target0001',
  usernames: ['alice001'],
  mode: 'emulator',
};

describe('openDatabase with a PostgreSQL server', () => {
  let server: TestPostgres;

  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('migrates once and keeps data when opened again', async () => {
    const first = await openDatabase({ databaseUrl: server.databaseUrl });
    expect(first.driver).toBe('postgres');
    const created = await createJob(first.db, job);
    await first.close();

    const reopened = await openDatabase({ databaseUrl: server.databaseUrl });
    try {
      expect(await countAppliedMigrations(reopened.db)).toBe(migrationCount);
      expect(await jobExists(reopened.db, created.id)).toBe(true);
    } finally {
      await reopened.close();
    }
  });

  it('lets several app processes start at once on an empty database', async () => {
    const databaseUrl = await server.createDatabase();

    const opened = await Promise.all(Array.from({ length: 6 }, () => openDatabase({ databaseUrl })));

    try {
      for (const { db } of opened) expect(await countAppliedMigrations(db)).toBe(migrationCount);
      const created = await createJob(opened[0]?.db ?? expect.unreachable(), job);
      expect(await jobExists(opened[5]?.db ?? expect.unreachable(), created.id)).toBe(true);
    } finally {
      await Promise.all(opened.map(({ close }) => close()));
    }
  });

  it('waits for the migration lock another process holds', async () => {
    const databaseUrl = await server.createDatabase();
    const other = new Client({ connectionString: databaseUrl });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtextextended('sag-roam:migrations', 0))`);
      let settled = false;
      const opening = openDatabase({ databaseUrl }).finally(() => {
        settled = true;
      });
      const waitingOnLock = async () => {
        const result = await other.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'sag-roam' AND wait_event = 'advisory'`,
        );
        return result.rows[0]?.waiting;
      };

      await expect.poll(waitingOnLock, { timeout: 10_000 }).toBe(1);
      expect(settled).toBe(false);

      await other.query(`SELECT pg_advisory_unlock(hashtextextended('sag-roam:migrations', 0))`);
      const opened = await opening;
      expect(await countAppliedMigrations(opened.db)).toBe(migrationCount);
      await opened.close();
    } finally {
      await other.end();
    }
  });

  it('fails to open, without hanging, when the server cannot be reached', async () => {
    await expect(openDatabase({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/none' })).rejects.toThrow();
  });
});
