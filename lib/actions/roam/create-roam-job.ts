'use server';

import { getConfig } from '@/lib/config';
import { createJob, getJob, isJobOverlap, type RoamJob } from '@/lib/db/jobs';
import { jobView } from '@/lib/roam/present';
import { createRoamJobSchema } from '@/lib/roam/schema';
import type { JobView } from '@/lib/roam/view-models';
import { getRuntime } from '@/lib/runtime';
import { ActionFailure, runAction } from '../action';
import type { ActionResult } from '../result';

/** Jobs this small are awaited inside the action, so a single roam answers with its RequestId at once. */
const AWAITED_JOB_SIZE = 5;
const AWAIT_LIMIT_MS = 8_000;

export async function createRoamJobAction(
  input: unknown,
): Promise<ActionResult<{ jobId: string; job: JobView | null }>> {
  return runAction(
    'createRoamJob',
    'operator',
    (t) => createRoamJobSchema(getConfig().roam.maxUsernamesPerJob, t),
    input,
    async (values, { actor, locale, t }) => {
      const runtime = await getRuntime();
      let job: RoamJob;
      try {
        job = await createJob(runtime.db, {
          createdBy: actor,
          originRegionId: values.originRegionId,
          originInstanceId: values.originInstanceId,
          targetRegionId: values.targetRegionId,
          targetInstanceId: values.targetInstanceId,
          usernames: values.usernames,
          mode: runtime.mode,
        });
      } catch (error) {
        // A second submission of the same names: sending them again could roam them twice.
        if (!isJobOverlap(error)) throw error;
        throw new ActionFailure(
          t('action.alreadyQueued', {
            count: error.count,
            usernames: error.usernames.join(', '),
            instance: values.targetInstanceId,
          }),
          undefined,
          { href: `/?job=${error.jobId}`, label: t('action.openQueuedJob') },
        );
      }
      runtime.worker.kick();
      if (values.usernames.length <= AWAITED_JOB_SIZE) {
        await runtime.worker.waitForJob(job.id, AWAIT_LIMIT_MS);
      }
      const details = await getJob(runtime.db, job.id);
      return { jobId: job.id, job: details ? jobView(details, locale) : null };
    },
  );
}
