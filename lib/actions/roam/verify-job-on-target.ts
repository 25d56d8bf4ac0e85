'use server';

import { getJob, setPresence } from '@/lib/db/jobs';
import { createJobReferenceSchema } from '@/lib/roam/job-actions-schema';
import { errorView } from '@/lib/roam/present';
import { getRuntime } from '@/lib/runtime';
import { isSagError } from '@/lib/sag/client';
import { listAllClientUsers } from '@/lib/sag/client-user-pages';
import { runAction } from '../action';
import type { ActionResult } from '../result';

/** What a verify found: the counts, from which the job view says it in the reader's language at any time. */
export interface VerifyResult {
  /** The same in words, in the language of the request (for a log or a script). */
  message: string;
  count: number;
  present: number;
  missing: number;
}

/**
 * Lists the target instance's client accounts and marks each item of the job present or missing. Reads
 * only: nothing is roamed.
 */
export async function verifyJobOnTargetAction(input: unknown): Promise<ActionResult<VerifyResult>> {
  return runAction(
    'verifyJobOnTarget',
    'operator',
    createJobReferenceSchema,
    input,
    async ({ jobId }, context) => {
      const runtime = await getRuntime();
      const job = await getJob(runtime.db, jobId);
      if (!job) return context.fail('action.jobMissing');
      let onTarget: Set<string>;
      try {
        const listing = await listAllClientUsers(
          runtime.client,
          { regionId: job.targetRegionId, smartAGId: job.targetInstanceId },
          // Every page is a call on the account's budget, shared with the roam worker.
          { beforePage: () => runtime.worker.limiter.acquire() },
        );
        onTarget = new Set(listing.users.map((user) => user.userName));
      } catch (error) {
        if (!isSagError(error)) throw error;
        const view = errorView(error, context.locale);
        return context.fail(view.requestId ? 'action.cannotListWithId' : 'action.cannotList', {
          title: view.title,
          fix: view.fix,
          code: view.code,
          requestId: view.requestId ?? '',
        });
      }
      const presence = job.items.map((item) => ({
        username: item.username,
        present: onTarget.has(item.username),
      }));
      await setPresence(runtime.db, { jobId, presence });
      const present = presence.filter((entry) => entry.present).length;
      const counts = { count: presence.length, present, missing: presence.length - present };
      return {
        message: context.t('action.verified', { ...counts, instance: job.targetInstanceId }),
        ...counts,
      };
    },
  );
}
