import 'server-only';

import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { Role } from '@/lib/auth/roles';
import { isUuid } from '@/lib/uuid';
import { clock } from '../clock';
import type { Database } from '../database';
import { sessions, type UserEventAction, type UserRow, userEvents, users } from '../schema';
import type { UserEventDetails } from './events';
import { lockUsers } from './lock';

// User accounts. Every change to an account is one transaction that also writes its `user_events` rows, under
// the users' advisory lock (see lock.ts).

/** A user account as the rest of the app sees it: never with its password hash. */
export type User = Omit<UserRow, 'passwordHash'>;

/** The columns of `User`: every read but the sign-in's leaves the password hash in the database. */
export const userColumns = {
  id: users.id,
  email: users.email,
  role: users.role,
  disabled: users.disabled,
  createdAt: users.createdAt,
  createdBy: users.createdBy,
  updatedAt: users.updatedAt,
  passwordChangedAt: users.passwordChangedAt,
  locale: users.locale,
  oidcIssuer: users.oidcIssuer,
  oidcSubject: users.oidcSubject,
};

/** Local accounts: the e-mail is their identity (an identity provider's account may share an address). */
const isLocal = isNull(users.oidcIssuer);

/** The label recorded as the actor of what the identity provider's sign-in does to an account. */
export const SINGLE_SIGN_ON_ACTOR = 'single sign-on';

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

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
    .onConflictDoNothing({ target: users.email, where: isLocal })
    .returning(userColumns);
  if (!user) return null;
  await db
    .insert(userEvents)
    .values({ at, actor: input.createdBy, action: 'created', userId: user.id, details: { role: user.role } });
  return user;
}

export async function getUserById(db: Database, id: string): Promise<User | null> {
  if (!isUuid(id)) return null;
  const [user] = await db.select(userColumns).from(users).where(eq(users.id, id));
  return user ?? null;
}

/** The local account of an e-mail address, in any case: addresses are stored in lower case. */
export async function getUserByEmail(db: Database, email: string): Promise<User | null> {
  const [user] = await db
    .select(userColumns)
    .from(users)
    .where(and(eq(users.email, normaliseEmail(email)), isLocal));
  return user ?? null;
}

/** For sign-in only: the local account with its password hash. */
export async function getUserCredentialsByEmail(
  db: Database,
  email: string,
): Promise<{ user: User; passwordHash: string } | null> {
  const [row] = await db
    .select({ user: userColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.email, normaliseEmail(email)), isLocal));
  return row?.passwordHash ? { user: row.user, passwordHash: row.passwordHash } : null;
}

export interface ProviderSignInInput {
  issuer: string;
  subject: string;
  /** For display and attribution; the identity is issuer and subject. */
  email: string;
  /** From the person's groups at this sign-in. */
  role: Role;
  now?: Date;
}

export type ProviderSignInResult =
  | { ok: true; user: User; created: boolean; changes: UserEventAction[] }
  | { ok: false; reason: 'disabled' };

/**
 * The account of a person the identity provider vouched for: created at their first sign-in, and at each
 * later one given the role their groups give now and the e-mail the provider states now (each change audited
 * as done by single sign-on). A disabled account stays disabled: an admin's decision outranks the provider.
 */
export async function signInProviderUser(
  db: Database,
  input: ProviderSignInInput,
): Promise<ProviderSignInResult> {
  const email = normaliseEmail(input.email);
  return db.transaction(async (tx): Promise<ProviderSignInResult> => {
    await lockUsers(tx);
    const at = clock(input.now);
    const [current] = await tx
      .select(userColumns)
      .from(users)
      .where(and(eq(users.oidcIssuer, input.issuer), eq(users.oidcSubject, input.subject)));
    if (!current) {
      const [user] = await tx
        .insert(users)
        .values({
          email,
          passwordHash: null,
          oidcIssuer: input.issuer,
          oidcSubject: input.subject,
          role: input.role,
          createdBy: SINGLE_SIGN_ON_ACTOR,
          createdAt: at,
          updatedAt: at,
          passwordChangedAt: at,
        })
        .returning(userColumns);
      if (!user) throw new Error('Creating the account of a single sign-on returned no row');
      await tx.insert(userEvents).values({
        at,
        actor: SINGLE_SIGN_ON_ACTOR,
        action: 'created',
        userId: user.id,
        details: { role: user.role },
      });
      return { ok: true, user, created: true, changes: ['created'] };
    }
    if (current.disabled) return { ok: false, reason: 'disabled' };
    const changes: { action: UserEventAction; details: UserEventDetails }[] = [];
    if (current.role !== input.role) {
      changes.push({ action: 'role_changed', details: { from: current.role, to: input.role } });
    }
    if (current.email !== email) {
      changes.push({ action: 'email_changed', details: { from: current.email, to: email } });
    }
    if (changes.length === 0) return { ok: true, user: current, created: false, changes: [] };
    const [user] = await tx
      .update(users)
      .set({ role: input.role, email, updatedAt: at })
      .where(eq(users.id, current.id))
      .returning(userColumns);
    if (!user) throw new Error(`Updating user ${current.id} returned no row`);
    await tx.insert(userEvents).values(
      changes.map(({ action, details }) => ({
        at,
        actor: SINGLE_SIGN_ON_ACTOR,
        action,
        userId: current.id,
        details,
      })),
    );
    return { ok: true, user, created: false, changes: changes.map(({ action }) => action) };
  });
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
  | { ok: false; reason: 'not-found' | 'last-active-admin' | 'managed-by-provider' };

/**
 * Changes role, disabled state and/or password hash in one transaction with one `user_events` row per change.
 * Refuses to leave no enabled admin. Changing nothing is not an error and records nothing.
 */
export async function updateUser(db: Database, input: UpdateUserInput): Promise<UpdateUserResult> {
  if (!isUuid(input.userId)) return { ok: false, reason: 'not-found' };
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
    // The identity provider decides the role (from the groups, at each sign-in) and holds the credentials of
    // its accounts; an admin here may only disable or enable them.
    const managed = changes.some(({ action }) => action === 'role_changed' || action === 'password_reset');
    if (current.oidcIssuer !== null && managed) return { ok: false, reason: 'managed-by-provider' };

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

/** Saves the interface language a user chose (null: follow the browser). Not an audited account change. */
export async function setUserLocale(
  db: Database,
  userId: string,
  locale: 'en' | 'zh-CN' | null,
): Promise<void> {
  if (!isUuid(userId)) return;
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}
