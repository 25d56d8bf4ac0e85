import 'server-only';

import { and, count, desc, eq, gt, inArray, lte, max, sql } from 'drizzle-orm';
import type { Database } from '../database';
import { signInFailures } from '../schema';

// Sign-in throttling: failures are rows, so every process sharing the database sees them.

export async function recordSignInFailure(db: Database, keys: readonly string[], at: Date = new Date()) {
  if (keys.length === 0) return;
  await db.insert(signInFailures).values(keys.map((key) => ({ key, at })));
}

/** Failures for `key` after `since`. */
export async function countRecentFailures(db: Database, key: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ failures: count() })
    .from(signInFailures)
    .where(and(eq(signInFailures.key, key), gt(signInFailures.at, since)));
  return row?.failures ?? 0;
}

/** The times of the newest `limit` failures for `key` after `since`, newest first. */
export async function recentFailureTimes(
  db: Database,
  key: string,
  since: Date,
  limit: number,
): Promise<Date[]> {
  const rows = await db
    .select({ at: signInFailures.at })
    .from(signInFailures)
    .where(and(eq(signInFailures.key, key), gt(signInFailures.at, since)))
    .orderBy(desc(signInFailures.at))
    .limit(limit);
  return rows.map((row) => row.at);
}

/**
 * For each key that starts with `prefix` and has failures after `since`: the time of its newest failure,
 * newest first, at most `limit` keys. Counts how many accounts one address failed against.
 */
export async function newestFailurePerKey(
  db: Database,
  prefix: string,
  since: Date,
  limit: number,
): Promise<Date[]> {
  const newest = max(signInFailures.at);
  const rows = await db
    .select({ at: newest })
    .from(signInFailures)
    .where(and(gt(signInFailures.at, since), sql`starts_with(${signInFailures.key}, ${prefix})`))
    .groupBy(signInFailures.key)
    .orderBy(desc(newest))
    .limit(limit);
  return rows.flatMap((row) => (row.at ? [row.at] : []));
}

export async function clearSignInFailures(db: Database, keys: string | readonly string[]): Promise<number> {
  const list = typeof keys === 'string' ? [keys] : [...keys];
  if (list.length === 0) return 0;
  const deleted = await db
    .delete(signInFailures)
    .where(inArray(signInFailures.key, list))
    .returning({ id: signInFailures.id });
  return deleted.length;
}

/** Failures too old to count any more. */
export async function deleteSignInFailuresBefore(db: Database, before: Date): Promise<number> {
  const deleted = await db
    .delete(signInFailures)
    .where(lte(signInFailures.at, before))
    .returning({ id: signInFailures.id });
  return deleted.length;
}
