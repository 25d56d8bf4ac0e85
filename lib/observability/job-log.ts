import 'server-only';
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/database';
import { getJob, type RoamJob } from '@/lib/db/jobs';

/**
 * One log line per moment of a job's life that an operator asks about: created, retried, cancelled, and
 * ended (finished, stopped early by an answer that held for every remaining username, or cancelled), with the
 * job's id, kind, counts and the RequestId that stopped it. The actor is the e-mail of the person who acted, as
 * the history shows it; no username of a job, no secret.
 */

export interface CreatedJob {
  job: Pick<RoamJob, 'id' | 'kind' | 'itemCount' | 'status' | 'targetInstanceId' | 'undoesJobId'>;
  actor: string;
  /** What the plan decided for the usernames: how many are sent, how many skipped and why. */
  plan?: { send: number; alreadyOnTarget: number; notOnOrigin: number; overQuota: number };
}

export function logJobCreated(logger: Logger, { job, actor, plan }: CreatedJob): void {
  logger.info(
    {
      event: 'job-created',
      jobId: job.id,
      kind: job.kind,
      actor,
      items: job.itemCount,
      ...(plan ? { plan } : {}),
      targetInstanceId: job.targetInstanceId,
      ...(job.undoesJobId ? { undoesJobId: job.undoesJobId } : {}),
    },
    // Every username skipped by the plan: the job was done as it was made.
    job.status === 'running' ? 'job created' : 'job created with nothing to send',
  );
}

export function logJobRetried(logger: Logger, input: { jobId: string; actor: string; items: number }): void {
  logger.info({ event: 'job-retried', ...input }, 'job retried: failed items sent again after a check');
}

export function logJobCancelRequested(
  logger: Logger,
  input: { jobId: string; actor: string; cancelledItems: number },
): void {
  logger.info({ event: 'job-cancel-requested', ...input }, 'job cancel requested');
}

/**
 * The line of a job that ended, read once from the store: which way it ended and its counts. Called by the
 * process that ended it (on the worker's `job-completed`, or by a cancel that ended it at once), so a fleet
 * writes one line per job.
 */
export async function logJobEnded(logger: Logger, db: Database, jobId: string): Promise<void> {
  const job = await getJob(db, jobId);
  if (!job) return;
  const { items: _items, cursor: _cursor, undoneBy: _undoneBy, ...summary } = job;
  const stoppedEarly = summary.stoppedAt !== null && summary.cancelledAt === null;
  const fields = {
    event: 'job-ended',
    jobId: summary.id,
    kind: summary.kind,
    status: summary.status,
    counts: summary.counts,
    ...(summary.cancelledAt ? { cancelledBy: summary.cancelledBy } : {}),
    ...(stoppedEarly
      ? { stoppedCode: summary.stoppedCode, stoppedRequestId: summary.stoppedRequestId ?? undefined }
      : {}),
    // From the last start: a retried job's earlier run ended long before.
    durationSeconds: summary.finishedAt
      ? Math.round(
          (summary.finishedAt.getTime() - (summary.retriedAt ?? summary.createdAt).getTime()) / 100,
        ) / 10
      : undefined,
  };
  if (summary.status === 'cancelled') logger.info(fields, 'job cancelled');
  else if (stoppedEarly) logger.warn(fields, 'job stopped early: the rest were not sent');
  else if (summary.counts.failed > 0 || summary.counts.unknown > 0)
    logger.warn(fields, 'job finished with failures');
  else logger.info(fields, 'job finished');
}

/** Logs every job this worker ends; returns the unsubscribe. */
export function watchJobEnds(
  worker: { events: NodeJS.EventEmitter },
  db: Database,
  logger: Logger,
): () => void {
  const onCompleted = (jobId: string) => {
    logJobEnded(logger, db, jobId).catch((error: unknown) =>
      logger.warn({ jobId, err: error }, 'could not read the job that ended for its log line'),
    );
  };
  worker.events.on('job-completed', onCompleted);
  return () => worker.events.off('job-completed', onCompleted);
}
