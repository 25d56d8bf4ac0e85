import 'server-only';
import type { PlanView } from '@/lib/roam/plan-view';
import { planRoamJob } from '@/lib/roam/planner';
import { errorView } from '@/lib/roam/present';
import type { RoamJob } from '@/lib/roam/schema';
import type { Runtime } from '@/lib/runtime';
import { isSagError } from '@/lib/sag/client';
import type { PublicActionContext } from '../action';

/**
 * The plan of a roam job for an action: showing it (planRoamJobAction) and checking it again when the job is
 * created (createRoamJobAction). An Alibaba Cloud error that stops the plan fails the action with the admin's
 * text, code and RequestId.
 */
export async function planOrFail(
  runtime: Runtime,
  values: RoamJob,
  context: Pick<PublicActionContext, 'locale' | 'fail'>,
): Promise<PlanView> {
  try {
    return await planRoamJob(runtime, values, context.locale);
  } catch (error) {
    if (!isSagError(error)) throw error;
    const view = errorView(error, context.locale);
    return context.fail(view.requestId ? 'plan.cannotReadWithId' : 'plan.cannotRead', {
      title: view.title,
      fix: view.fix,
      code: view.code,
      requestId: view.requestId ?? '',
    });
  }
}
