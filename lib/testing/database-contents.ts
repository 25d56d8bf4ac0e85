// What a database holds, read without the stores: drizzle's applied migrations and whether a job exists.
// For the tests of openDatabase on both drivers.
import { count, eq } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { pgSchema, serial, text } from 'drizzle-orm/pg-core';
import { type Database, migrationsFolder } from '@/lib/db/database';
import { roamJobs } from '@/lib/db/schema';

/** drizzle's own bookkeeping table, one row per applied migration. */
const appliedMigrations = pgSchema('drizzle').table('__drizzle_migrations', {
  id: serial('id').primaryKey(),
  hash: text('hash').notNull(),
});

export const migrationCount = readMigrationFiles({ migrationsFolder }).length;

export async function countAppliedMigrations(db: Database): Promise<number> {
  const [row] = await db.select({ applied: count() }).from(appliedMigrations);
  return row?.applied ?? 0;
}

export async function jobExists(db: Database, id: string): Promise<boolean> {
  const rows = await db.select({ id: roamJobs.id }).from(roamJobs).where(eq(roamJobs.id, id));
  return rows.length === 1;
}
