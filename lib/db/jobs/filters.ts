import 'server-only';

import { and, eq, gte, ilike, lt, or, type SQL } from 'drizzle-orm';
import type { ItemStatus, JobStatus } from '@/lib/roam/lifecycle';
import { roamItems, roamJobs } from '../schema';
import type { Page } from './types';

// The filters of the history page and the CSV export, shared so that both select the same jobs.

export interface JobFilter {
  /** Jobs (listJobs) or rows (exportRows) with a username containing this text, any case. */
  username?: string;
  /** Jobs (listJobs) or rows (exportRows) with an item in this state (with the username above, if given). */
  itemStatus?: ItemStatus;
  /** Origin or target instance. */
  instanceId?: string;
  status?: JobStatus;
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
}

export function jobConditions(filter: JobFilter): SQL | undefined {
  return and(
    filter.status ? eq(roamJobs.status, filter.status) : undefined,
    filter.instanceId
      ? or(eq(roamJobs.originInstanceId, filter.instanceId), eq(roamJobs.targetInstanceId, filter.instanceId))
      : undefined,
    filter.from ? gte(roamJobs.createdAt, filter.from) : undefined,
    filter.to ? lt(roamJobs.createdAt, filter.to) : undefined,
  );
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
  return ilike(roamItems.username, `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
}

export function offsetOf(page: Page): number {
  return (Math.max(1, Math.floor(page.page)) - 1) * page.pageSize;
}
