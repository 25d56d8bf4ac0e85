'use server';

import { getJob, setPresence } from '@/lib/db/jobs-repository';
import { jobReferenceSchema } from '@/lib/roam/job-actions-schema';
import { errorView } from '@/lib/roam/present';
import { getRuntime } from '@/lib/runtime';
import { isSagError } from '@/lib/sag/client';
import { ActionFailure, runAction } from '../action';
import type { ActionResult } from '../result';

/**
 * Lists the target instance's client accounts and marks each item of the job present or missing. Reads
 * only: nothing is roamed.
 */
export async function verifyJobOnTargetAction(input: unknown): Promise<ActionResult<{ message: string }>> {
  return runAction('verifyJobOnTarget', 'operator', jobReferenceSchema, input, async ({ jobId }) => {
    const runtime = await getRuntime();
    const job = await getJob(runtime.db, jobId);
    if (!job) throw new ActionFailure('This job does not exist.');
    const onTarget = new Set<string>();
    try {
      for (let pageNumber = 1; ; pageNumber += 1) {
        const page = await runtime.client.describeSmartAccessGatewayClientUsers({
          regionId: job.targetRegionId,
          smartAGId: job.targetInstanceId,
          pageNumber,
          pageSize: 50,
        });
        for (const user of page.users) onTarget.add(user.userName);
        if (pageNumber * page.pageSize >= page.totalCount || page.users.length === 0) break;
      }
    } catch (error) {
      if (isSagError(error)) {
        const view = errorView(error);
        throw new ActionFailure(
          `The target instance could not be listed: ${view.title} ${view.fix} (${view.code}${
            view.requestId ? `, RequestId ${view.requestId}` : ''
          })`,
        );
      }
      throw error;
    }
    const presence = job.items.map((item) => ({
      username: item.username,
      present: onTarget.has(item.username),
    }));
    await setPresence(runtime.db, { jobId, presence });
    const present = presence.filter((entry) => entry.present).length;
    return {
      message: `${present} of ${presence.length} username${presence.length === 1 ? ' is' : 's are'} on ${
        job.targetInstanceId
      }; ${presence.length - present} missing.`,
    };
  });
}
