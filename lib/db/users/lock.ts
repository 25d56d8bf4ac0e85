import 'server-only';

import { sql } from 'drizzle-orm';
import type { Database } from '../database';

/** Serialises changes to user accounts across connections and processes. */
const usersLockKey = 'sag-roam:users';

/**
 * Takes the users' transaction-level advisory lock, so checks such as "not the last active admin" cannot be
 * raced by a second admin or a second process. Call inside the transaction that makes the change.
 */
export async function lockUsers(db: Database): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${usersLockKey}, 0))`);
}
