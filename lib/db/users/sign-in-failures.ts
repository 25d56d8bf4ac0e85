import 'server-only';

import { and, count, desc, eq, gt, lte } from 'drizzle-orm';
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

export async function clearSignInFailures(db: Database, key: string): Promise<number> {
  const deleted = await db
    .delete(signInFailures)
    .where(eq(signInFailures.key, key))
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
