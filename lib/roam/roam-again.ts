import 'server-only';

import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '@/lib/db/database';
import { roamItems, roamJobs } from '@/lib/db/schema';
import { isUuid } from '@/lib/uuid';

/** What the roam form is filled with to roam a job's missing usernames again: the job's route and the names. */
export interface RoamAgainValues {
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
  /** In the job's order; never empty. */
  usernames: string[];
}

/**
 * "Roam the missing again" (`/?again=<jobId>`): the route of a roam job and the usernames of its items that the
 * last look at the target found missing. "Verify on target" records the presence of every item of the job
 * (setPresence); a check the worker makes before sending again records it for that item, so each item's
 * presence is the last thing seen on the target. Nothing is sent from here: the form shows the plan first,
 * which skips whatever is on the target by then. Null for a job that does not exist, an undo job (its
 * missing accounts are the ones it removed) or a job with no username found missing.
 */
export async function roamAgainValues(db: Database, jobId: string): Promise<RoamAgainValues | null> {
  if (!isUuid(jobId)) return null;
  const [job] = await db
    .select({
      kind: roamJobs.kind,
      originRegionId: roamJobs.originRegionId,
      originInstanceId: roamJobs.originInstanceId,
      targetRegionId: roamJobs.targetRegionId,
      targetInstanceId: roamJobs.targetInstanceId,
    })
    .from(roamJobs)
    .where(eq(roamJobs.id, jobId));
  if (job?.kind !== 'roam') return null;
  const missing = await db
    .select({ username: roamItems.username })
    .from(roamItems)
    .where(and(eq(roamItems.jobId, jobId), eq(roamItems.targetPresence, 'missing')))
    .orderBy(asc(roamItems.position));
  if (missing.length === 0) return null;
  const { kind: _kind, ...route } = job;
  return { ...route, usernames: missing.map((item) => item.username) };
}
