import 'server-only';

import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './database';
import { migrationsFolder } from './database';
import * as schema from './schema';

/** Where versions before the embedded PostgreSQL kept their data: `<DATA_DIR>/pglite`. */
export const LEGACY_PGLITE_DIRECTORY = 'pglite';

/** Rows per statement: bounded memory whatever the size of the history. */
const BATCH_ROWS = 2_000;

const appTables = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableName(table));

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Copies the PGlite database an earlier version left in `<dataDir>/pglite` into the embedded PostgreSQL,
 * once: users, sessions, jobs, items, attempts, every table of the schema, with their sequences. Both sides
 * are migrated to the same schema first, and the rows travel as PostgreSQL's own JSON of each row (read by
 * `json_populate_recordset` on the other side), so every type keeps its exact value. One transaction: a crash
 * halfway leaves the new database empty and the old one in place, and the next start copies again. The old
 * directory is then renamed `pglite.imported-<time>` (kept, not deleted) so that the copy never runs twice;
 * a database that already holds data is never written over.
 */
export async function importLegacyPglite(
  db: Database,
  dataDir: string,
  log: (line: string) => void = (line) => console.error(`sag-roam: ${line}`),
): Promise<{ imported: boolean; rows: number }> {
  const legacy = path.join(dataDir, LEGACY_PGLITE_DIRECTORY);
  if (!existsSync(path.join(legacy, 'PG_VERSION'))) return { imported: false, rows: 0 };
  const aside = path.join(
    dataDir,
    `${LEGACY_PGLITE_DIRECTORY}.imported-${new Date().toISOString().replaceAll(':', '-')}`,
  );
  if (!(await isEmpty(db))) {
    log(`${legacy} was imported before (the database holds data); it is renamed ${path.basename(aside)}`);
    await rename(legacy, aside);
    return { imported: false, rows: 0 };
  }
  log(`copying the PGlite database of an earlier version (${legacy}) into the embedded PostgreSQL`);
  // Loaded only here: a start without an old directory does not pay for PGlite's module.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const source = await PGlite.create(legacy);
  let rows = 0;
  try {
    await migratePglite(drizzlePglite({ client: source, schema }), { migrationsFolder });
    await db.transaction(async (tx) => {
      // Foreign keys and triggers are not checked while rows arrive table by table (the superuser may).
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      for (const table of appTables) {
        for (let offset = 0; ; offset += BATCH_ROWS) {
          const result = await source.query<{ batch: string | null }>(
            `SELECT json_agg(t)::text AS batch FROM (SELECT * FROM ${quoted(table)} ORDER BY ctid LIMIT ${BATCH_ROWS} OFFSET ${offset}) t`,
          );
          const batch = result.rows[0]?.batch;
          if (!batch) break;
          await tx.execute(
            sql`INSERT INTO ${sql.raw(quoted(table))} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::${sql.raw(quoted(table))}, ${batch}::json)`,
          );
          rows += (JSON.parse(batch) as unknown[]).length;
        }
      }
      await resetSequences(tx);
    });
  } finally {
    await source.close();
  }
  await rename(legacy, aside);
  log(`copied ${rows} rows from PGlite; the old directory is kept as ${aside}`);
  return { imported: true, rows };
}

async function isEmpty(db: Database): Promise<boolean> {
  for (const table of appTables) {
    const result = await db.execute(sql`SELECT 1 FROM ${sql.raw(quoted(table))} LIMIT 1`);
    if (rowsOf(result).length > 0) return false;
  }
  return true;
}

/** Each sequence owned by a column of the schema continues after the highest value copied. */
async function resetSequences(tx: Pick<Database, 'execute'>): Promise<void> {
  const owned = await tx.execute(sql`
    SELECT seq.oid::regclass::text AS sequence, tbl.relname AS "table", att.attname AS "column"
    FROM pg_class seq
    JOIN pg_depend dep ON dep.objid = seq.oid AND dep.deptype IN ('a', 'i')
    JOIN pg_class tbl ON tbl.oid = dep.refobjid
    JOIN pg_attribute att ON att.attrelid = tbl.oid AND att.attnum = dep.refobjsubid
    WHERE seq.relkind = 'S' AND tbl.relnamespace = 'public'::regnamespace`);
  for (const row of rowsOf(owned) as { sequence: string; table: string; column: string }[]) {
    await tx.execute(
      sql.raw(
        `SELECT setval('${row.sequence.replaceAll("'", "''")}', COALESCE((SELECT max(${quoted(row.column)}) FROM ${quoted(row.table)}), 1), (SELECT max(${quoted(row.column)}) FROM ${quoted(row.table)}) IS NOT NULL)`,
      ),
    );
  }
}

/** drizzle's `execute` answers node-postgres's `{ rows }`. */
function rowsOf(result: unknown): unknown[] {
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? rows : [];
}
