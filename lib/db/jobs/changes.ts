import 'server-only';

import { and, asc, eq } from 'drizzle-orm';
import { isUuid } from '@/lib/uuid';
import type { Database } from '../database';
import { roamItems, roamJobs } from '../schema';
import { changedSince, cursorComparable, cursorSelection } from './cursor';
import { countsSelection, emptyCounts, undoneBy } from './queries';
import type { JobSummary, RoamItem } from './types';

export { parseJobCursor } from './cursor';

/** What changed in a job since a cursor (cursor.ts says why a cursor, not a clock). */
export interface JobChanges {
  /** The job and its counts, as of this read. */
  job: JobSummary;
  /** To ask from next time. */
  cursor: string;
  /** Items changed since the cursor asked, in position order; every item when `complete`. */
  items: RoamItem[];
  /** The cursor asked could not be compared with this read's, so every item is sent. */
  complete: boolean;
}

/**
 * The job, its counts and the items changed since `since`, all of one snapshot (a read-only repeatable-read
 * transaction): counts and items agree, and the cursor handed back is that snapshot's.
 */
export async function getJobChanges(db: Database, id: string, since: bigint): Promise<JobChanges | null> {
  if (!isUuid(id)) return null;
  return db.transaction(
    async (tx) => {
      const [row] = await tx
        .select({ job: roamJobs, cursor: cursorSelection })
        .from(roamJobs)
        .where(eq(roamJobs.id, id));
      if (!row) return null;
      const complete = !cursorComparable(since, BigInt(row.cursor));
      const [counts] = await tx.select(countsSelection).from(roamItems).where(eq(roamItems.jobId, id));
      const items = await tx
        .select()
        .from(roamItems)
        .where(and(eq(roamItems.jobId, id), complete ? undefined : changedSince(since)))
        .orderBy(asc(roamItems.position));
      return {
        job: { ...row.job, counts: counts ?? emptyCounts, undoneBy: await undoneBy(tx, id) },
        cursor: row.cursor,
        items,
        complete,
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
