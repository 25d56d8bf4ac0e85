'use server';

import {
  cancelJob,
  createUndoJob,
  isJobOverlap,
  isJobRefused,
  type JobRefusalReason,
  undoCandidates,
} from '@/lib/db/jobs';
import type { TranslationKey } from '@/lib/i18n/translate';
import { logJobCancelRequested, logJobCreated, logJobEnded } from '@/lib/observability/job-log';
import { getLogger } from '@/lib/observability/logger';
import type { ControlAnswer } from '@/lib/roam/control-answers';
import { createJobReferenceSchema } from '@/lib/roam/job-actions-schema';
import { getRuntime } from '@/lib/runtime';
import { type ActionContext, ActionFailure, runAction } from '../action';
import type { ActionResult } from '../result';
import { answered, type ControlResult } from './control-answer';

// An operator's control of a job: cancel it while it sends, undo it once it has ended. Each refusal is specific
// and changes nothing; the store re-checks every condition under its locks, so two clicks, or two processes,
// cannot both pass.

const REFUSALS: Record<JobRefusalReason, TranslationKey> = {
  'not-found': 'action.jobMissing',
  finished: 'jobControl.refused.finished',
  cancelled: 'jobControl.refused.cancelled',
  running: 'jobControl.refused.running',
  undone: 'jobControl.refused.undone',
  'undo-of-undo': 'jobControl.refused.undoOfUndo',
  'nothing-to-undo': 'jobControl.refused.nothingToUndo',
};

function refused(error: unknown, context: Pick<ActionContext, 'fail'>): never {
  if (isJobRefused(error)) context.fail(REFUSALS[error.reason]);
  throw error;
}

/** Cancel: no call of the job starts after this; calls in flight finish and are recorded. */
export async function cancelJobAction(
  input: unknown,
): Promise<ActionResult<ControlResult<Extract<ControlAnswer, { kind: 'cancel' }>>>> {
  return runAction('cancelJob', 'operator', createJobReferenceSchema, input, async ({ jobId }, context) => {
    const runtime = await getRuntime();
    const result = await cancelJob(runtime.db, { jobId, actor: context.actor }).catch((error: unknown) =>
      refused(error, context),
    );
    const logger = getLogger();
    logJobCancelRequested(logger, { jobId, actor: context.actor, cancelledItems: result.cancelled });
    // Nothing was in flight, so no worker ends it: its end is logged here, once.
    if (result.jobEnded) {
      await logJobEnded(logger, runtime.db, jobId).catch((error: unknown) =>
        logger.warn({ jobId, err: error }, 'could not read the cancelled job for its log line'),
      );
    }
    return answered({ kind: 'cancel', cancelled: result.cancelled, jobEnded: result.jobEnded }, context);
  });
}

export interface UndoPreview {
  /** The accounts an undo would delete from the target. */
  count: number;
  withoutOwnCall: number;
  roamedAgainLater: number;
}

/** What "Undo this job" would do, for its confirmation; makes no call and changes nothing. */
export async function previewUndoAction(input: unknown): Promise<ActionResult<UndoPreview>> {
  return runAction('previewUndo', 'operator', createJobReferenceSchema, input, async ({ jobId }, context) => {
    const runtime = await getRuntime();
    const candidates = await undoCandidates(runtime.db, jobId).catch((error: unknown) =>
      refused(error, context),
    );
    if (candidates.usernames.length === 0) context.fail(REFUSALS['nothing-to-undo']);
    return {
      count: candidates.usernames.length,
      withoutOwnCall: candidates.withoutOwnCall,
      roamedAgainLater: candidates.roamedAgainLater,
    };
  });
}

/** Undo: an undo job deletes from the target exactly the accounts this job roamed. */
export async function undoJobAction(
  input: unknown,
): Promise<ActionResult<ControlResult<Extract<ControlAnswer, { kind: 'undo' }>> & { undoJobId: string }>> {
  return runAction('undoJob', 'operator', createJobReferenceSchema, input, async ({ jobId }, context) => {
    const runtime = await getRuntime();
    const { job } = await createUndoJob(runtime.db, {
      jobId,
      createdBy: context.actor,
      mode: runtime.mode,
    }).catch((error: unknown) => {
      // Another job is still sending some of these usernames to the target: deleting now could race it.
      if (isJobOverlap(error)) {
        throw new ActionFailure(context.t('jobControl.refused.busy', { count: error.count }), undefined, {
          href: `/history/${error.jobId}`,
          label: context.t('action.openQueuedJob'),
        });
      }
      return refused(error, context);
    });
    logJobCreated(getLogger(), { job, actor: context.actor });
    runtime.worker.kick();
    return { ...answered({ kind: 'undo', removing: job.itemCount }, context), undoJobId: job.id };
  });
}
