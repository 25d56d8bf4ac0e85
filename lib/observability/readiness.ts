import 'server-only';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { type Database, migrationsFolder } from '@/lib/db/database';
import { withTimeout } from './time-limit';

/**
 * Whether this process can do its work now, for GET /api/ready (a load balancer's or an orchestrator's
 * probe): the database answers, its schema has every migration this build ships, and the roam worker is
 * running. The answer names the parts that are not ready, and nothing else: no address, no error text.
 */

export type ReadinessPart = 'database' | 'migrations' | 'worker';

export interface Readiness {
  ready: boolean;
  failing: ReadinessPart[];
}

/** The probe's whole budget: a probe that hangs is a failed probe, and it must answer before its caller gives up. */
export const READINESS_LIMIT_MS = 2_000;

export interface ReadinessSubject {
  db: Database;
  /** RoamWorker: true between start() and stop(). */
  worker: { readonly isRunning: boolean };
}

// Probes asked for while one is under way share its answer, so a hung database meets one query per process
// at a time, not one per probe of every load balancer.
const probes = new WeakMap<Database, Promise<Pick<Readiness, 'failing'>>>();

export async function checkReadiness(
  subject: ReadinessSubject,
  limitMs: number = READINESS_LIMIT_MS,
): Promise<Readiness> {
  let probe = probes.get(subject.db);
  if (!probe) {
    probe = probeDatabase(subject.db, limitMs).finally(() => probes.delete(subject.db));
    probes.set(subject.db, probe);
  }
  const failing = [...(await probe).failing];
  if (!subject.worker.isRunning) failing.push('worker');
  return { ready: failing.length === 0, failing };
}

async function probeDatabase(db: Database, limitMs: number): Promise<Pick<Readiness, 'failing'>> {
  const deadline = Date.now() + limitMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  try {
    await withTimeout(db.execute(sql`select 1`), remaining());
  } catch {
    return { failing: ['database'] };
  }
  try {
    const [expected, result] = await Promise.all([
      latestShippedMigration(),
      withTimeout(
        db.execute(sql`select max(created_at) as latest from drizzle.__drizzle_migrations`),
        remaining(),
      ),
    ]);
    const latest = Number(rowsOf(result)[0]?.latest ?? 0);
    return { failing: latest >= expected ? [] : ['migrations'] };
  } catch {
    // No migrations table (a database nobody migrated), or no answer in time after `select 1` did answer.
    return { failing: ['migrations'] };
  }
}

/** node-postgres answers `{ rows }`, PGlite too; both drivers pass through drizzle's `execute`. */
function rowsOf(result: unknown): { latest?: unknown }[] {
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? rows : [];
}

let shipped: Promise<number> | undefined;

/**
 * When the newest migration of this build was made: drizzle records it (`created_at`) for every migration it
 * applies, so a database that holds it has them all. Read once; the journal only changes with a new build.
 */
function latestShippedMigration(): Promise<number> {
  shipped ??= readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8').then((text) => {
    const journal = JSON.parse(text) as { entries?: { when?: unknown }[] };
    const latest = Math.max(...(journal.entries ?? []).map((entry) => Number(entry.when)));
    if (!Number.isFinite(latest)) throw new Error('the migration journal lists no migration');
    return latest;
  });
  shipped.catch(() => {
    shipped = undefined;
  });
  return shipped;
}
