import 'server-only';

import { and, eq, lte, or, sql } from 'drizzle-orm';
import { isUuid } from '@/lib/uuid';
import { clock } from '../clock';
import type { Database } from '../database';
import { type SessionRow, sessions, userEvents, users } from '../schema';
import { type User, userColumns } from './accounts';
import type { AuditEntry } from './events';

// Server-side sessions, keyed by the hash of their token. A sign-in or sign-out writes its audit event in the
// same transaction as the session row.

export type Session = SessionRow;

export interface NewSession {
  /** The hash of the token, never the token. */
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  userAgent?: string | null;
  clientAddress?: string | null;
}

/** Inserts a session, with an event for its user (e.g. `signed_in`) in the same transaction when given. */
export async function insertSession(
  db: Database,
  session: NewSession,
  options: { audit?: AuditEntry } = {},
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(sessions).values({
      id: session.id,
      userId: session.userId,
      createdAt: session.createdAt,
      lastSeenAt: session.createdAt,
      expiresAt: session.expiresAt,
      userAgent: session.userAgent ?? null,
      clientAddress: session.clientAddress ?? null,
    });
    if (options.audit) {
      await tx.insert(userEvents).values({
        at: session.createdAt,
        actor: options.audit.actor,
        action: options.audit.action,
        userId: session.userId,
        details: options.audit.details ?? null,
      });
    }
  });
}

export async function findSessionWithUser(
  db: Database,
  id: string,
): Promise<{ session: Session; user: User } | null> {
  const [row] = await db
    .select({ session: sessions, user: userColumns })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  return row ?? null;
}

/** Moves `last_seen_at` forward to `at`; never backward. */
export async function touchSession(db: Database, id: string, at: Date): Promise<boolean> {
  const touched = await db
    .update(sessions)
    .set({ lastSeenAt: at })
    .where(and(eq(sessions.id, id), sql`${sessions.lastSeenAt} < ${at.toISOString()}::timestamptz`))
    .returning({ id: sessions.id });
  return touched.length > 0;
}

/** Deletes one session, with an event for its user (e.g. `signed_out`) when given. False when it was gone. */
export async function deleteSession(
  db: Database,
  id: string,
  options: { audit?: AuditEntry; now?: Date } = {},
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(sessions)
      .where(eq(sessions.id, id))
      .returning({ userId: sessions.userId });
    if (!deleted) return false;
    if (options.audit) {
      await tx.insert(userEvents).values({
        at: clock(options.now),
        actor: options.audit.actor,
        action: options.audit.action,
        userId: deleted.userId,
        details: options.audit.details ?? null,
      });
    }
    return true;
  });
}

export async function deleteSessionsOfUser(db: Database, userId: string): Promise<number> {
  if (!isUuid(userId)) return 0;
  const deleted = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
  return deleted.length;
}

/** Sessions past their absolute end, or not seen for `idleMs`. */
export async function deleteExpiredSessions(
  db: Database,
  input: { idleMs: number; now?: Date },
): Promise<number> {
  const at = clock(input.now);
  const deleted = await db
    .delete(sessions)
    .where(
      or(
        lte(sessions.expiresAt, at),
        lte(
          sessions.lastSeenAt,
          sql`${at} - ${Math.round(input.idleMs)}::integer * interval '1 millisecond'`,
        ),
      ),
    )
    .returning({ id: sessions.id });
  return deleted.length;
}
