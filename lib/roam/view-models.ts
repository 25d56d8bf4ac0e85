/**
 * The shapes the route handlers send to the browser. Types only, no secrets by construction: nothing here
 * carries credentials, and errors carry the admin-facing text, the raw code and the request ID.
 */

export interface RegionView {
  regionId: string;
  localName: string;
}

export interface InstanceView {
  smartAGId: string;
  name: string;
  status: string;
  cidrBlock: string;
  /** The client account quota (UserCount, inferred; see quotaOf), null when the API gives none. */
  quota: number | null;
}

export interface ClientUserView {
  userName: string;
  userMail: string;
  clientIp: string;
  state: 'enabled' | 'disabled';
}

export interface ClientUserPageView {
  users: ClientUserView[];
  totalCount: number;
  pageNumber: number;
  pageSize: number;
}

/** An error as the admin sees it: what happened, what to do, and the raw facts for a support ticket. */
export interface ErrorView {
  code: string;
  title: string;
  fix: string;
  message: string;
  requestId: string | null;
}

export type { ItemStatus, JobKind, JobStatus } from './lifecycle';

import type { ItemStatus, JobKind, JobStatus } from './lifecycle';
import type { StoredPlan } from './plan-view';

export interface JobItemView {
  username: string;
  status: ItemStatus;
  requestId: string | null;
  verified: boolean;
  /** Parked: its outcome is unknown and the target could not be checked; an admin decides. */
  held: boolean;
  targetPresence: 'present' | 'missing' | null;
  attemptCount: number;
  error: ErrorView | null;
}

export interface JobCountsView {
  total: number;
  succeeded: number;
  /** On the target before the job: found there, not roamed by it. */
  alreadyPresent: number;
  /** No call: skipped by the plan, or stopped with the job. */
  notSent: number;
  /** No call: the job was cancelled before it was sent. */
  cancelled: number;
  failed: number;
  inProgress: number;
  unknown: number;
}

/** A job without its items and plan: what every poll of a running job carries. */
export interface JobHeaderView {
  id: string;
  createdAt: string;
  createdBy: string;
  finishedAt: string | null;
  status: JobStatus;
  mode: string;
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
  /** The instances' names when the job was created; null when none was read (the ID alone is shown). */
  originInstanceName: string | null;
  targetInstanceName: string | null;
  counts: JobCountsView;
  /**
   * Why the job's sending stopped (an answer that holds for every remaining username), until "retry failed";
   * null while it sends.
   */
  stopped: ErrorView | null;
  /** `undo`: the job deletes from the target the accounts of the job `undoesJobId` roamed. */
  kind: JobKind;
  undoesJobId: string | null;
  /** The undo job made of this roam job, if any (a job is undone once). */
  undoneBy: { id: string; status: JobStatus } | null;
  /** Who cancelled the job and when (it ends once its calls in flight are recorded); null if nobody did. */
  cancelled: { by: string; at: string } | null;
  /** Opaque to the browser: sent back as `?since=` to get only what changed after this read. */
  cursor: string;
}

export interface JobView extends JobHeaderView {
  /** The plan the job was created from; null for jobs created before plans were kept. */
  plan: StoredPlan | null;
  items: JobItemView[];
}

/**
 * The answer to `GET /api/jobs/[id]?since=<cursor>`: the job's header (new counts and cursor) and the items
 * changed since the cursor, to be merged by username (some may be repeats). `complete`: the cursor could not
 * be used, and `items` is every item.
 */
export interface JobChangesView {
  job: JobHeaderView;
  items: JobItemView[];
  complete: boolean;
}

export interface AttemptView {
  username: string;
  kind: 'roam' | 'check';
  actor: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: string | null;
  requestId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  httpStatus: number | null;
}
