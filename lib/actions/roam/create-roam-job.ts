'use server';

import { getConfig } from '@/lib/config';
import { createJob, getJob, isJobOverlap, type RoamJob } from '@/lib/db/jobs';
import { logJobCreated } from '@/lib/observability/job-log';
import { getLogger } from '@/lib/observability/logger';
import { forgetPlanReads } from '@/lib/roam/planner';
import { jobView } from '@/lib/roam/present';
import { createRoamJobSchema } from '@/lib/roam/schema';
import type { JobView } from '@/lib/roam/view-models';
import { getRuntime } from '@/lib/runtime';
import { ActionFailure, runAction } from '../action';
import type { ActionResult } from '../result';
import { planOrFail } from './plan-or-fail';

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
    async (values, { actor, locale, t, fail }) => {
      const runtime = await getRuntime();
      // The plan again, on the server: the browser's copy is never trusted (its reads are cached briefly, so
      // this costs no new call when the admin has just seen the plan).
      const plan = await planOrFail(runtime, values, { locale, fail });
      if (plan.blocked) {
        const reasons = plan.findings.filter((finding) => finding.severity === 'blocking');
        if (reasons.length === 0) return fail('action.planNothingToSend');
        return fail('action.planBlocked', { reasons: reasons.map((finding) => finding.title).join(' ') });
      }
      if (plan.needsConfirmationOfUnknowns && values.sendWithoutChecks !== true) {
        return fail('action.planUnchecked');
      }
      const { items, ...stored } = plan;
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
          plan: stored,
          decisions: new Map(items.map((item) => [item.username, item.decision])),
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
      logJobCreated(getLogger(), { job, actor, plan: plan.counts });
      // The job changes what the target holds: the next plan reads it again.
      forgetPlanReads(runtime.client, {
        regionId: values.targetRegionId,
        smartAGId: values.targetInstanceId,
      });
      runtime.worker.kick();
      if (plan.counts.send <= AWAITED_JOB_SIZE) {
        await runtime.worker.waitForJob(job.id, AWAIT_LIMIT_MS);
      }
      const details = await getJob(runtime.db, job.id);
      return { jobId: job.id, job: details ? jobView(details, locale) : null };
    },
  );
}
