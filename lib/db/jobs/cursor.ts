import 'server-only';

import { type SQL, sql } from 'drizzle-orm';
import { roamItems } from '../schema';

/**
 * The cursor of a job read: from it, the page that polls a job asks only for the items changed since.
 *
 * A clock cannot be the cursor. `updated_at` is written with the transaction's start time, and a transaction
 * that started before a read may commit after it: its rows carry a time before the cursor that read handed
 * out, and a poll asking "changed after the cursor" would never see them. A safety margin only narrows that
 * window (a transaction waiting on a lock can outlast any margin), and tests move `updated_at` at will.
 *
 * So the cursor is the database's own horizon of visibility: the xmin of the read's snapshot, the oldest
 * transaction still running when the read began (`pg_snapshot_xmin(pg_current_snapshot())`, a 64-bit xid8).
 * Every transaction below it had ended before the read, so its rows were visible to the read. A row the read
 * did not see was written by a transaction at or above it, and a new row version carries its writer's ID in
 * `xmin`. "Changed since the cursor" is therefore "xmin at or above the cursor", and no row committed late can
 * be missed. It may repeat rows the client has already seen (those of transactions above the horizon that
 * ended before the read); the client merges by username, so a repeat changes nothing.
 *
 * `xmin` is the 32-bit form of the ID: it is compared with the cursor modulo 2^32, which is exact while the
 * two are less than 2^31 transactions apart (a cursor that old, or one ahead of the database, is answered with
 * every item). A transaction left open elsewhere on the server holds the horizon back: polls then repeat more
 * rows, never fewer. PGlite is PostgreSQL, so the same holds there (where transactions run one at a time).
 */

const XID_SPACE = 2n ** 32n;
const XID_HALF_SPACE = 2n ** 31n;
const MAX_XID8 = 2n ** 64n - 1n;

/** The cursor of a read, as a column of its first statement. */
export const cursorSelection: SQL<string> = sql<string>`pg_snapshot_xmin(pg_current_snapshot())::text`;

/** A cursor as the browser sends it back: a decimal xid8, nothing else (no sign, spaces or leading zeros). */
export function parseJobCursor(value: string): bigint | null {
  if (!/^(0|[1-9][0-9]{0,19})$/.test(value)) return null;
  const cursor = BigInt(value);
  return cursor <= MAX_XID8 ? cursor : null;
}

/**
 * Whether changes since `since` can be read against a read whose cursor is `now`: not from a cursor ahead of
 * the database (another database, or one restored from a backup), and not across half the 32-bit xid space.
 */
export function cursorComparable(since: bigint, now: bigint): boolean {
  return since <= now && now - since < XID_HALF_SPACE;
}

/** Items whose current version was written at or after `since` (see above for the modular comparison). */
export function changedSince(since: bigint): SQL {
  const low = Number(since % XID_SPACE);
  return sql`((${roamItems}.xmin::text::bigint - ${low}::bigint) & 4294967295) < 2147483648`;
}
