import 'server-only';

import { sql } from 'drizzle-orm';
import type { Database } from '../database';

/**
 * The channel on which a transaction that gives workers something to do says so (a new job, an undo, a retry):
 * delivered at its commit to every process listening on the database, which wakes its worker at once instead
 * of waiting for its next poll (see OpenedDatabase.listen).
 */
export const WORK_CHANNEL = 'sag_roam_work';

export async function notifyWork(db: Database, jobId: string): Promise<void> {
  await db.execute(sql`SELECT pg_notify(${WORK_CHANNEL}, ${jobId})`);
}
