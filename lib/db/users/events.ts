import 'server-only';

import { desc, eq } from 'drizzle-orm';
import { isUuid } from '@/lib/uuid';
import { clock } from '../clock';
import type { Database } from '../database';
import { type UserEventAction, type UserEventRow, userEvents, users } from '../schema';

// The user audit: one `user_events` row per account change, sign-in and sign-out, written in the same
// transaction as the change it records.

export type UserEventDetails = NonNullable<UserEventRow['details']>;
/** An audit event with the e-mail of the user it is about. */
export type UserEvent = UserEventRow & { userEmail: string };

export interface AuditEntry {
  actor: string;
  action: UserEventAction;
  details?: UserEventDetails;
}

export async function recordUserEvent(
  db: Database,
  event: AuditEntry & { userId: string; now?: Date },
): Promise<void> {
  await db.insert(userEvents).values({
    at: clock(event.now),
    actor: event.actor,
    action: event.action,
    userId: event.userId,
    details: event.details ?? null,
  });
}

/** Newest first, with the e-mail of the user each event is about. */
export async function listUserEvents(
  db: Database,
  input: { userId?: string; limit: number },
): Promise<UserEvent[]> {
  if (input.userId !== undefined && !isUuid(input.userId)) return [];
  const rows = await db
    .select({ event: userEvents, userEmail: users.email })
    .from(userEvents)
    .innerJoin(users, eq(users.id, userEvents.userId))
    .where(input.userId ? eq(userEvents.userId, input.userId) : undefined)
    .orderBy(desc(userEvents.id))
    .limit(Math.max(1, Math.min(1_000, Math.floor(input.limit))));
  return rows.map((row) => ({ ...row.event, userEmail: row.userEmail }));
}
