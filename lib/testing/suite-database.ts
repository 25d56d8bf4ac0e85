// The database of a test suite that runs once per driver: the embedded PostgreSQL (the app's default) in a
// real temporary data directory, or a throwaway database on the test PostgreSQL server (see postgres.ts).
// Every `*.embedded.test.ts` / `*.postgres.test.ts` pair opens its database here, so the two differ only in
// the driver they name.
import { rm } from 'node:fs/promises';
import { is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Database, type OpenedDatabase, openDatabase } from '@/lib/db/database';
import * as schema from '@/lib/db/schema';
import { startTestPostgres } from './postgres';
import { reachableTempDir } from './temp-dir';

export type SuiteDriver = 'embedded' | 'postgres';

/** An open suite database, reached through two handles as two app processes would reach it. */
export interface SuiteDatabase {
  db: Database;
  /**
   * A second connection pool on the same database. For the embedded database the same handle (a pool of
   * several connections): one process at a time may open a data directory.
   */
  otherDb: Database;
  /** Closes both handles and deletes the database. */
  close(): Promise<void>;
}

/** A suite database that can be closed and opened again, as an app restart (or a crash) would. */
export interface ReopenableSuiteDatabase {
  /** Opens the same database again (and the first time); migrations apply on the first open only. */
  open(): Promise<OpenedDatabase>;
  /** Empties every table of the app's schema, between tests. */
  clear(opened: { db: Database }): Promise<void>;
  /** Deletes the database: the data directory, or the test server's databases. Close every handle first. */
  dispose(): Promise<void>;
}

const appTables = (Object.values(schema) as unknown[]).filter((value): value is PgTable =>
  is(value, PgTable),
);

async function clearAppTables({ db }: { db: Database }): Promise<void> {
  // One statement for all of them, so that foreign keys between them never stand in the way.
  await db.execute(sql`TRUNCATE ${sql.join(appTables, sql`, `)}`);
}

export async function reopenableSuiteDatabase(driver: SuiteDriver): Promise<ReopenableSuiteDatabase> {
  if (driver === 'embedded') {
    const directory = reachableTempDir('sag-roam-suite-');
    return {
      open: () => openDatabase({ dataDir: directory }),
      clear: clearAppTables,
      dispose: () => rm(directory, { recursive: true, force: true }),
    };
  }
  const server = await startTestPostgres();
  return {
    open: () => openDatabase({ databaseUrl: server.databaseUrl }),
    clear: clearAppTables,
    dispose: () => server.stop(),
  };
}

export async function openSuiteDatabase(driver: SuiteDriver): Promise<SuiteDatabase> {
  const database = await reopenableSuiteDatabase(driver);
  const opened: OpenedDatabase[] = [];
  const close = async () => {
    await Promise.all(opened.map((handle) => handle.close()));
    await database.dispose();
  };
  try {
    const first = await database.open();
    opened.push(first);
    const second = driver === 'postgres' ? await database.open() : first;
    if (second !== first) opened.push(second);
    return { db: first.db, otherDb: second.db, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The hooks of a store suite's `describe`: opens its database before the tests (handing it to `opened`), closes
 * it after them, and empties `tables` before each test.
 */
export function useSuiteDatabase(
  open: () => Promise<SuiteDatabase>,
  tables: readonly PgTable[],
  opened: (databases: SuiteDatabase) => void,
): void {
  let databases: SuiteDatabase | undefined;
  beforeAll(async () => {
    databases = await open();
    opened(databases);
  });
  afterAll(async () => {
    await databases?.close();
  });
  beforeEach(async () => {
    await databases?.db.execute(sql`TRUNCATE ${sql.join([...tables], sql`, `)}`);
  });
}
