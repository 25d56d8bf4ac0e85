import 'server-only';

import { and, eq, gte, ilike, lt, or, type SQL, sql } from 'drizzle-orm';
import type { ItemStatus, JobStatus } from '@/lib/roam/lifecycle';
import { roamItems, roamJobs } from '../schema';
import type { Page } from './types';

// The filters of the history page and the CSV export, shared so that both select the same jobs.

export interface JobFilter {
  /** Jobs (listJobs) or rows (exportRows) with a username containing this text, any case. */
  username?: string;
  /** Jobs (listJobs) or rows (exportRows) with an item in this state (with the username above, if given). */
  itemStatus?: ItemStatus;
  /** Jobs whose origin or target instance has an ID or a name containing this text, any case. */
  instance?: string;
  /** Jobs with at least one username that failed, was not sent or has an unknown outcome (FAILURE_STATUSES). */
  failures?: boolean;
  status?: JobStatus;
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
}

/**
 * The item states that make a job one "with failures": what the job's outcome counts against it (a job with
 * any of them never reads as a plain success), and what "retry failed" acts on. Cancelled is the operator's
 * choice, not a failure.
 */
export const FAILURE_STATUSES = ['failed', 'not_sent', 'unknown'] as const satisfies readonly ItemStatus[];

export function jobConditions(filter: JobFilter): SQL | undefined {
  const instance = filter.instance?.trim();
  return and(
    filter.status ? eq(roamJobs.status, filter.status) : undefined,
    instance ? instanceMatches(instance) : undefined,
    filter.failures ? hasFailures() : undefined,
    filter.from ? gte(roamJobs.createdAt, filter.from) : undefined,
    filter.to ? lt(roamJobs.createdAt, filter.to) : undefined,
  );
}

function instanceMatches(text: string): SQL | undefined {
  const pattern = containing(text);
  return or(
    ilike(roamJobs.originInstanceId, pattern),
    ilike(roamJobs.originInstanceName, pattern),
    ilike(roamJobs.targetInstanceId, pattern),
    ilike(roamJobs.targetInstanceName, pattern),
  );
}

/**
 * An item of the job in a failure state. Its own table reference, so that it reads the job's items also where
 * the statement around it selects from roam_items (the export).
 */
function hasFailures(): SQL {
  const statuses = sql.join(
    FAILURE_STATUSES.map((status) => sql`${status}`),
    sql`, `,
  );
  return sql`EXISTS (SELECT 1 FROM ${roamItems} AS "failure" WHERE "failure"."job_id" = ${roamJobs.id} AND "failure"."status" IN (${statuses}))`;
}

/** The conditions on an item: its username and its state. */
export function itemConditions(filter: JobFilter): SQL | undefined {
  const username = filter.username?.trim();
  return and(
    username ? usernameMatches(username) : undefined,
    filter.itemStatus ? eq(roamItems.status, filter.itemStatus) : undefined,
  );
}

function usernameMatches(text: string): SQL {
  return ilike(roamItems.username, containing(text));
}

/** An ILIKE pattern for text anywhere in the value, its `%`, `_` and `\` taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export function offsetOf(page: Page): number {
  return (Math.max(1, Math.floor(page.page)) - 1) * page.pageSize;
}
