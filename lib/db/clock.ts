import 'server-only';

import { type SQL, sql } from 'drizzle-orm';

/** The database clock, or an explicit instant (tests move time without waiting). */
export function clock(now: Date | undefined): SQL<Date> {
  return now ? sql<Date>`${now.toISOString()}::timestamptz` : sql<Date>`now()`;
}
