import 'server-only';

import { and, asc, count, desc, eq, gt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Role } from '@/lib/auth/roles';
import type { Database } from './database';
import {
  type SessionRow,
  sessions,
  signInFailures,
  type UserEventAction,
  type UserEventRow,
  type UserRow,
  userEvents,
  users,
} from './schema';

// Users, sessions, sign-in failures and the user audit. Every change to an account is one transaction that
// also writes its `user_events` rows, and all of them take one transaction-level advisory lock, so checks
// such as "not the last active admin" cannot be raced by a second admin or a second process.

/** A user account as the rest of the app sees it: never with its password hash. */
export type User = Omit<UserRow, 'passwordHash'>;
export type Session = SessionRow;
export type UserEventDetails = NonNullable<UserEventRow['details']>;
/** An audit event with the e-mail of the user it is about. */
export type UserEvent = UserEventRow & { userEmail: string };

export interface AuditEntry {
  actor: string;
  action: UserEventAction;
  details?: UserEventDetails;
}

const userColumns = {
  id: users.id,
  email: users.email,
  role: users.role,
  disabled: users.disabled,
  createdAt: users.createdAt,
  createdBy: users.createdBy,
  updatedAt: users.updatedAt,
  passwordChangedAt: users.passwordChangedAt,
  locale: users.locale,
};

/** Serialises changes to user accounts across connections and processes. */
const usersLockKey = 'sag-roam:users';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The database clock, or an explicit instant (tests move time without waiting). */
function clock(now: Date | undefined): SQL<Date> {
  return now ? sql<Date>`${now.toISOString()}::timestamptz` : sql<Date>`now()`;
}

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function lockUsers(db: Database): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${usersLockKey}, 0))`);
}

// ---------------------------------------------------------------------------------------------------------
// Accounts

export interface CreateUserInput {
  email: string;
  passwordHash: string;
  role: Role;
  /** Recorded on the user and as the actor of its `created` event. */
  createdBy: string;
  now?: Date;
}

/** The new user, or null when an account with this e-mail (in any case) exists already. */
export async function createUser(db: Database, input: CreateUserInput): Promise<User | null> {
  return db.transaction(async (tx) => {
    await lockUsers(tx);
    return insertUser(tx, input);
  });
}

/**
 * Creates the user only while there is no user at all: the first account of a new installation. Safe when
 * several processes start at once on one PostgreSQL; null when any user exists.
 */
export async function createFirstUser(db: Database, input: CreateUserInput): Promise<User | null> {
  return db.transaction(async (tx) => {
    await lockUsers(tx);
    const [existing] = await tx.select({ id: users.id }).from(users).limit(1);
    if (existing) return null;
    return insertUser(tx, input);
  });
}

async function insertUser(db: Database, input: CreateUserInput): Promise<User | null> {
  const at = clock(input.now);
  const [user] = await db
    .insert(users)
    .values({
      email: normaliseEmail(input.email),
      passwordHash: input.passwordHash,
      role: input.role,
      createdBy: input.createdBy,
      createdAt: at,
      updatedAt: at,
      passwordChangedAt: at,
    })
    .onConflictDoNothing({ target: users.email })
    .returning(userColumns);
  if (!user) return null;
  await db
    .insert(userEvents)
    .values({ at, actor: input.createdBy, action: 'created', userId: user.id, details: { role: user.role } });
  return user;
}

export async function getUserById(db: Database, id: string): Promise<User | null> {
  if (!uuidPattern.test(id)) return null;
  const [user] = await db.select(userColumns).from(users).where(eq(users.id, id));
  return user ?? null;
}

/** Any case: addresses are stored in lower case. */
export async function getUserByEmail(db: Database, email: string): Promise<User | null> {
  const [user] = await db
    .select(userColumns)
    .from(users)
    .where(eq(users.email, normaliseEmail(email)));
  return user ?? null;
}

/** For sign-in only: the account with its password hash. */
export async function getUserCredentialsByEmail(
  db: Database,
  email: string,
): Promise<{ user: User; passwordHash: string } | null> {
  const [row] = await db
    .select({ user: userColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, normaliseEmail(email)));
  return row ?? null;
}

/** All accounts, by e-mail. */
export async function listUsers(db: Database): Promise<User[]> {
  return db.select(userColumns).from(users).orderBy(asc(users.email));
}

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ users: count() }).from(users);
  return row?.users ?? 0;
}

export async function countActiveAdmins(db: Database): Promise<number> {
  const [row] = await db
    .select({ admins: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.disabled, false)));
  return row?.admins ?? 0;
}

export interface UpdateUserInput {
  userId: string;
  /** Who makes the change, recorded on each event. */
  actor: string;
  role?: Role;
  disabled?: boolean;
  /** A new hash; always recorded as a `password_reset`, even when the password is the same. */
  passwordHash?: string;
  /** Delete the user's sessions when something changed (they must sign in again). */
  endSessions?: boolean;
  now?: Date;
}

export type UpdateUserResult =
  | { ok: true; user: User; changes: UserEventAction[]; sessionsEnded: number }
  | { ok: false; reason: 'not-found' | 'last-active-admin' };

/**
 * Changes role, disabled state and/or password hash in one transaction with one `user_events` row per change.
 * Refuses to leave no enabled admin. Changing nothing is not an error and records nothing.
 */
export async function updateUser(db: Database, input: UpdateUserInput): Promise<UpdateUserResult> {
  if (!uuidPattern.test(input.userId)) return { ok: false, reason: 'not-found' };
  return db.transaction(async (tx): Promise<UpdateUserResult> => {
    await lockUsers(tx);
    const [current] = await tx.select().from(users).where(eq(users.id, input.userId));
    if (!current) return { ok: false, reason: 'not-found' };
    const { passwordHash: _hash, ...unchanged } = current;

    const role = input.role ?? current.role;
    const disabled = input.disabled ?? current.disabled;
    const changes: { action: UserEventAction; details: UserEventDetails }[] = [];
    if (role !== current.role)
      changes.push({ action: 'role_changed', details: { from: current.role, to: role } });
    if (disabled !== current.disabled)
      changes.push({ action: disabled ? 'disabled' : 'enabled', details: {} });
    if (input.passwordHash !== undefined) changes.push({ action: 'password_reset', details: {} });
    if (changes.length === 0) return { ok: true, user: unchanged, changes: [], sessionsEnded: 0 };

    const wasActiveAdmin = current.role === 'admin' && !current.disabled;
    const staysActiveAdmin = role === 'admin' && !disabled;
    if (wasActiveAdmin && !staysActiveAdmin && (await countActiveAdmins(tx)) <= 1) {
      return { ok: false, reason: 'last-active-admin' };
    }

    const at = clock(input.now);
    const [user] = await tx
      .update(users)
      .set({
        role,
        disabled,
        updatedAt: at,
        ...(input.passwordHash !== undefined
          ? { passwordHash: input.passwordHash, passwordChangedAt: at }
          : {}),
      })
      .where(eq(users.id, input.userId))
      .returning(userColumns);
    if (!user) throw new Error(`Updating user ${input.userId} returned no row`);
    const ended = input.endSessions
      ? await tx.delete(sessions).where(eq(sessions.userId, input.userId)).returning({ id: sessions.id })
      : [];
    await tx.insert(userEvents).values(
      changes.map(({ action, details }) => ({
        at,
        actor: input.actor,
        action,
        userId: input.userId,
        details: input.endSessions ? { ...details, sessionsEnded: ended.length } : details,
      })),
    );
    return { ok: true, user, changes: changes.map(({ action }) => action), sessionsEnded: ended.length };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Sessions

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
  if (!uuidPattern.test(userId)) return 0;
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

// ---------------------------------------------------------------------------------------------------------
// Sign-in throttling: failures are rows, so every process sharing the database sees them.

export async function recordSignInFailure(db: Database, keys: readonly string[], at: Date = new Date()) {
  if (keys.length === 0) return;
  await db.insert(signInFailures).values(keys.map((key) => ({ key, at })));
}

/** Failures for `key` after `since`. */
export async function countRecentFailures(db: Database, key: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ failures: count() })
    .from(signInFailures)
    .where(and(eq(signInFailures.key, key), gt(signInFailures.at, since)));
  return row?.failures ?? 0;
}

/** The times of the newest `limit` failures for `key` after `since`, newest first. */
export async function recentFailureTimes(
  db: Database,
  key: string,
  since: Date,
  limit: number,
): Promise<Date[]> {
  const rows = await db
    .select({ at: signInFailures.at })
    .from(signInFailures)
    .where(and(eq(signInFailures.key, key), gt(signInFailures.at, since)))
    .orderBy(desc(signInFailures.at))
    .limit(limit);
  return rows.map((row) => row.at);
}

export async function clearSignInFailures(db: Database, key: string): Promise<number> {
  const deleted = await db
    .delete(signInFailures)
    .where(eq(signInFailures.key, key))
    .returning({ id: signInFailures.id });
  return deleted.length;
}

/** Failures too old to count any more. */
export async function deleteSignInFailuresBefore(db: Database, before: Date): Promise<number> {
  const deleted = await db
    .delete(signInFailures)
    .where(lte(signInFailures.at, before))
    .returning({ id: signInFailures.id });
  return deleted.length;
}

// ---------------------------------------------------------------------------------------------------------
// The audit

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
  if (input.userId !== undefined && !uuidPattern.test(input.userId)) return [];
  const rows = await db
    .select({ event: userEvents, userEmail: users.email })
    .from(userEvents)
    .innerJoin(users, eq(users.id, userEvents.userId))
    .where(input.userId ? eq(userEvents.userId, input.userId) : undefined)
    .orderBy(desc(userEvents.id))
    .limit(Math.max(1, Math.min(1_000, Math.floor(input.limit))));
  return rows.map((row) => ({ ...row.event, userEmail: row.userEmail }));
}

/** Saves the interface language a user chose (null: follow the browser). Not an audited account change. */
export async function setUserLocale(
  db: Database,
  userId: string,
  locale: 'en' | 'zh-CN' | null,
): Promise<void> {
  if (!uuidPattern.test(userId)) return;
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}
