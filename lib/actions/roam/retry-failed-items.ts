'use server';

import { getJob, retryFailedItems } from '@/lib/db/jobs-repository';
import { jobReferenceSchema } from '@/lib/roam/job-actions-schema';
import { getRuntime } from '@/lib/runtime';
import { ActionFailure, runAction } from '../action';
import type { ActionResult } from '../result';

/** New attempts for the failed (and parked) items of a job, each checked on the target first. */
export async function retryFailedItemsAction(input: unknown): Promise<ActionResult<{ message: string }>> {
  return runAction(
    'retryFailedItems',
    'operator',
    jobReferenceSchema,
    input,
    async ({ jobId }, { actor }) => {
      const runtime = await getRuntime();
      if (!(await getJob(runtime.db, jobId))) throw new ActionFailure('This job does not exist.');
      const count = await retryFailedItems(runtime.db, { jobId, actor });
      runtime.worker.kick();
      return {
        message:
          count === 0
            ? 'No failed item to retry.'
            : `${count} item${count === 1 ? '' : 's'} will be checked on the target and sent again if missing.`,
      };
    },
  );
}
