'use server';

import { getJob, retryFailedItems } from '@/lib/db/jobs';
import { logJobRetried } from '@/lib/observability/job-log';
import { getLogger } from '@/lib/observability/logger';
import type { ControlAnswer } from '@/lib/roam/control-answers';
import { createJobReferenceSchema } from '@/lib/roam/job-actions-schema';
import { getRuntime } from '@/lib/runtime';
import { runAction } from '../action';
import type { ActionResult } from '../result';
import { answered, type ControlResult } from './control-answer';

/** New attempts for the failed (and parked) items of a job, each checked on the target first. */
export async function retryFailedItemsAction(
  input: unknown,
): Promise<ActionResult<ControlResult<Extract<ControlAnswer, { kind: 'retry' }>>>> {
  return runAction(
    'retryFailedItems',
    'operator',
    createJobReferenceSchema,
    input,
    async ({ jobId }, context) => {
      const runtime = await getRuntime();
      if (!(await getJob(runtime.db, jobId))) context.fail('action.jobMissing');
      const count = await retryFailedItems(runtime.db, { jobId, actor: context.actor });
      if (count > 0) logJobRetried(getLogger(), { jobId, actor: context.actor, items: count });
      runtime.worker.kick();
      return answered({ kind: 'retry', retried: count }, context);
    },
  );
}
