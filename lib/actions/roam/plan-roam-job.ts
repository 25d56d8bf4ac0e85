'use server';

import { getConfig } from '@/lib/config';
import type { PlanView } from '@/lib/roam/plan-view';
import { createRoamJobSchema } from '@/lib/roam/schema';
import { getRuntime } from '@/lib/runtime';
import { runAction } from '../action';
import type { ActionResult } from '../result';
import { planOrFail } from './plan-or-fail';

/**
 * The plan of a roam job, before anything is sent: both instances and every username checked with Describe*
 * calls only. The same schema as creating the job, so input the job would refuse is refused here, with the
 * same field messages and without a call.
 */
export async function planRoamJobAction(input: unknown): Promise<ActionResult<PlanView>> {
  return runAction(
    'planRoamJob',
    'operator',
    (t) => createRoamJobSchema(getConfig().roam.maxUsernamesPerJob, t),
    input,
    async (values, context) => planOrFail(await getRuntime(), values, context),
  );
}
