import 'server-only';

import type { Database } from '../database';
import { type JobMode, roamItems, roamJobs } from '../schema';
import { BATCH_SIZE } from './locks';
import type { RoamJob } from './types';

export interface CreateJobInput {
  createdBy: string;
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
  usernames: readonly string[];
  /** Which endpoint serves the job. */
  mode: JobMode;
}

/** The job and one pending item per distinct username, in the order given; all or nothing. */
export async function createJob(db: Database, input: CreateJobInput): Promise<RoamJob> {
  const usernames = [...new Set(input.usernames)];
  if (usernames.length === 0) {
    throw new Error('A roam job needs at least one username');
  }
  return db.transaction(async (tx) => {
    const [job] = await tx
      .insert(roamJobs)
      .values({
        createdBy: input.createdBy,
        originRegionId: input.originRegionId,
        originInstanceId: input.originInstanceId,
        targetRegionId: input.targetRegionId,
        targetInstanceId: input.targetInstanceId,
        mode: input.mode,
        itemCount: usernames.length,
      })
      .returning();
    if (!job) throw new Error('Inserting the roam job returned no row');
    for (let start = 0; start < usernames.length; start += BATCH_SIZE) {
      await tx
        .insert(roamItems)
        .values(
          usernames
            .slice(start, start + BATCH_SIZE)
            .map((username, offset) => ({ jobId: job.id, position: start + offset, username })),
        );
    }
    return job;
  });
}
