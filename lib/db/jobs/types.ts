import { hasErrorKind, markErrorKind } from '@/lib/errors/kind';
import type { NotSendableReason } from '@/lib/roam/lifecycle';
import type { RoamAttemptRow, RoamItemRow, RoamJobRow } from '../schema';

export type RoamJob = RoamJobRow;
export type RoamItem = RoamItemRow;
export type RoamAttempt = RoamAttemptRow;

export interface JobCounts {
  succeeded: number;
  /** On the target before this job: found there, not roamed by it. */
  alreadyPresent: number;
  failed: number;
  /** No call, and none will be made: skipped by the plan, or stopped with the job. */
  notSent: number;
  /** No call: an operator cancelled the job before it was sent. */
  cancelled: number;
  /** Pending or in progress: not yet attempted to the end. */
  inProgress: number;
  unknown: number;
  total: number;
}

export type JobSummary = RoamJob & {
  counts: JobCounts;
  /** The undo job of this roam job, if one was made (read with a job, not with the history list). */
  undoneBy?: { id: string; status: RoamJob['status'] } | null;
};
export type JobDetails = JobSummary & { items: RoamItem[] };
export type AttemptWithUsername = RoamAttempt & { username: string };

export interface Page {
  /** From 1. */
  page: number;
  pageSize: number;
}

/** Something the worker must not do; the message is for logs, not for the page. */
export class ItemNotSendableError extends Error {
  constructor(
    readonly itemId: number,
    readonly reason: 'not-found' | NotSendableReason,
  ) {
    super(`Roam item ${itemId} cannot be sent: ${reason}`);
    this.name = 'ItemNotSendableError';
    markErrorKind(this, 'ItemNotSendableError');
  }
}

/** Also true for one made by another server bundle's copy of the store (see lib/errors/kind.ts). */
export function isItemNotSendable(error: unknown): error is ItemNotSendableError {
  return hasErrorKind(error, 'ItemNotSendableError');
}

export class RecordNotFoundError extends Error {
  constructor(
    readonly entity: 'job' | 'item' | 'attempt',
    readonly id: string | number,
  ) {
    super(`No ${entity} with id ${id}`);
    this.name = 'RecordNotFoundError';
  }
}

/**
 * Why an operator's request on a job was refused; nothing was changed. `not-found`: no such job; `finished`:
 * cancel of a job that has ended; `cancelled`: retry of a cancelled job; `running`: undo of a job still sending;
 * `undone`: a second undo; `undo-of-undo`: an undo job cannot be undone; `nothing-to-undo`: no account was
 * roamed by the job's own accepted call.
 */
export type JobRefusalReason =
  | 'not-found'
  | 'finished'
  | 'cancelled'
  | 'running'
  | 'undone'
  | 'undo-of-undo'
  | 'nothing-to-undo';

export class JobRefusedError extends Error {
  constructor(
    readonly jobId: string,
    readonly reason: JobRefusalReason,
  ) {
    super(`Job ${jobId} refused the request: ${reason}`);
    this.name = 'JobRefusedError';
    markErrorKind(this, 'JobRefusedError');
  }
}

/** Also true for one made by another server bundle's copy of the store (see lib/errors/kind.ts). */
export function isJobRefused(error: unknown): error is JobRefusedError {
  return hasErrorKind(error, 'JobRefusedError');
}
