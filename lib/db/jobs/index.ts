// The roam job store: jobs, their items (one per username) and every attempt (roam calls and checks of
// the target). The rules of an item are lib/roam/lifecycle.ts; this store persists its transitions under
// locks (see locks.ts), one transaction each.

export {
  type FinishRoamAttemptInput,
  type FinishRoamAttemptResult,
  finishRoamAttempt,
  type RecordCheckInput,
  type RecordCheckResult,
  recordCheck,
  type StartRoamAttemptInput,
  startRoamAttempt,
} from './attempts';
export {
  type CreateJobInput,
  createJob,
  createUndoJob,
  isJobOverlap,
  JobOverlapError,
  type UndoCandidates,
  undoCandidates,
} from './create';
export { type ExportRow, exportRows } from './export';
export type { JobFilter } from './filters';
export {
  type ClaimedItem,
  type ClaimItemsInput,
  claimItems,
  type HoldItemInput,
  type HoldItemResult,
  holdItem,
  type MarkInterruptedInput,
  markInterruptedAttempts,
  type ReleaseItemInput,
  type RenewLeasesInput,
  releaseItem,
  renewLeases,
} from './leases';
export { notifyWork, WORK_CHANNEL } from './notify';
export {
  type CancelJobResult,
  cancelJob,
  retryFailedItems,
  type SetPresenceInput,
  type StopJobSendingInput,
  setPresence,
  stopJobSending,
} from './operator';
export {
  countJobAttempts,
  getJob,
  getJobItems,
  listItemAttempts,
  listJobs,
  listRunningJobIds,
} from './queries';
export type { JobCounts, JobDetails, JobSummary, Page, RoamAttempt, RoamItem, RoamJob } from './types';
export {
  type AttemptWithUsername,
  ItemNotSendableError,
  isItemNotSendable,
  isJobRefused,
  type JobRefusalReason,
  JobRefusedError,
  RecordNotFoundError,
} from './types';
