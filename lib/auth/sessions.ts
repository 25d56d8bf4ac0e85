import 'server-only';

import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '@/lib/db/database';
import {
  type AuditEntry,
  deleteExpiredSessions,
  deleteSession,
  deleteSignInFailuresBefore,
  findSessionWithUser,
  insertSession,
  touchSession,
} from '@/lib/db/users';
import { deleteOidcLoginsBefore } from '@/lib/db/users/oidc-logins';
import { isLocale, type Locale } from '@/lib/i18n/locales';
import type { Role } from './roles';

/**
 * Server-side sessions. The browser holds a random token in an httpOnly cookie; the database holds only the
 * token's SHA-256, so a leaked sessions table (or backup) cannot be replayed as cookies. Every sign-in gets
 * a new token, which rules out session fixation.
 */

/** Signed out after this long without a request. */
export const SESSION_IDLE_MS = 30 * 60_000;
/** Signed out this long after sign-in, however active. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** `last_seen_at` is written at most this often, so that reads do not each cost a write. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

const TOKEN_BYTES = 32;
/** 32 bytes in unpadded base64url. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_USER_AGENT_LENGTH = 512;
const MAX_CLIENT_ADDRESS_LENGTH = 64;

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
  /** The interface language the user chose; null: follow the browser. */
  locale: Locale | null;
}

export interface ResolvedSession {
  user: SessionUser;
  /** The stored id (the token's hash): safe to log, useless as a cookie. */
  sessionId: string;
  expiresAt: Date;
}

/** The signed-in user as pages and actions see it, from an account of the users store. */
export function sessionUserOf(user: {
  id: string;
  email: string;
  role: Role;
  locale: string | null;
}): SessionUser {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    locale: isLocale(user.locale) ? user.locale : null,
  };
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function clip(value: string | null | undefined, length: number): string | null {
  return value ? value.slice(0, length) : null;
}

export interface StartSessionInput {
  userId: string;
  userAgent?: string | null;
  clientAddress?: string | null;
  now?: Date;
  /** An event to record with the session, in the same transaction (sign-in records `signed_in`). */
  audit?: AuditEntry;
}

/** A new session: the token goes into the cookie and nowhere else. */
export async function startSession(
  db: Database,
  input: StartSessionInput,
): Promise<{ token: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  await insertSession(
    db,
    {
      id: hashSessionToken(token),
      userId: input.userId,
      createdAt: now,
      expiresAt,
      userAgent: clip(input.userAgent, MAX_USER_AGENT_LENGTH),
      clientAddress: clip(input.clientAddress, MAX_CLIENT_ADDRESS_LENGTH),
    },
    { audit: input.audit },
  );
  return { token, expiresAt };
}

/**
 * The signed-in user of a cookie's token, read fresh from the database (a role change or a disabled account
 * takes effect on the next request), or null. A session that is found but expired or whose user is disabled
 * is deleted.
 */
export async function resolveSession(
  db: Database,
  token: string | null | undefined,
  options: { now?: Date } = {},
): Promise<ResolvedSession | null> {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return null;
  const now = options.now ?? new Date();
  const sessionId = hashSessionToken(token);
  const found = await findSessionWithUser(db, sessionId);
  if (!found) return null;
  const { session, user } = found;
  const idleFor = now.getTime() - session.lastSeenAt.getTime();
  if (session.expiresAt.getTime() <= now.getTime() || idleFor >= SESSION_IDLE_MS || user.disabled) {
    await deleteSession(db, sessionId);
    return null;
  }
  if (idleFor >= SESSION_TOUCH_INTERVAL_MS) await touchSession(db, sessionId, now);
  return {
    user: sessionUserOf(user),
    sessionId,
    expiresAt: session.expiresAt,
  };
}

/**
 * Signs the token's session out (records `signed_out`): whether its account signs in through the identity
 * provider (whose own session the sign-out then ends too); null when there was no such session.
 */
export async function endSession(
  db: Database,
  token: string | null | undefined,
  options: { now?: Date } = {},
): Promise<{ viaIdentityProvider: boolean } | null> {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return null;
  const sessionId = hashSessionToken(token);
  const found = await findSessionWithUser(db, sessionId);
  if (!found) return null;
  const ended = await deleteSession(db, sessionId, {
    audit: { actor: found.user.email, action: 'signed_out' },
    now: options.now,
  });
  return ended ? { viaIdentityProvider: found.user.oidcIssuer !== null } : null;
}

/** `__Host-` makes the browser refuse the cookie unless it is Secure, host-only and for path `/`. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-sag-roam-session' : 'sag-roam-session';
}

export function sessionCookieOptions(secure: boolean, expiresAt: Date) {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt } as const;
}

/**
 * Deletes expired sessions, sign-in failures too old to count and single sign-ins whose time is up. Run it now
 * and then (e.g. hourly).
 */
export async function pruneAuthRecords(
  db: Database,
  options: { now?: Date } = {},
): Promise<{ sessions: number; signInFailures: number; oidcLogins: number }> {
  const now = options.now ?? new Date();
  const [sessions, signInFailures, oidcLogins] = await Promise.all([
    deleteExpiredSessions(db, { idleMs: SESSION_IDLE_MS, now }),
    // A day is far longer than any throttling window.
    deleteSignInFailuresBefore(db, new Date(now.getTime() - 24 * 60 * 60_000)),
    deleteOidcLoginsBefore(db, now),
  ]);
  return { sessions, signInFailures, oidcLogins };
}
