import 'server-only';

import type { Database } from '@/lib/db/database';
import {
  clearSignInFailures,
  getUserCredentialsByEmail,
  recentFailureTimes,
  recordSignInFailure,
} from '@/lib/db/users';
import { isLocale } from '@/lib/i18n/locales';
import { verifyAgainstDummy, verifyPassword } from './passwords';
import { EMAIL_MAX_LENGTH, normaliseEmail } from './schema';
import { type SessionUser, startSession } from './sessions';

/**
 * Sign-in with throttling kept in the database, so it holds across processes and restarts. The answer to a
 * failed attempt is the same, and takes about as long, whether the account is unknown, disabled, or the
 * password wrong: one scrypt run each time, and one failure recorded each time.
 */

export const SIGN_IN_THROTTLE_WINDOW_MS = 15 * 60_000;
/** Failed attempts for one account within the window; the next attempt is refused unchecked. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** Failed attempts from one client address within the window (password spraying across accounts). */
export const MAX_FAILURES_PER_ADDRESS = 20;

const MAX_CLIENT_ADDRESS_LENGTH = 64;

export interface SignInRequest {
  email: string;
  password: string;
  /** The client's IP address as the app's trusted proxy reports it; 'unknown' when there is none. */
  clientAddress: string;
  userAgent?: string | null;
  now?: Date;
}

export type SignInResult =
  | { ok: true; user: SessionUser; token: string; expiresAt: Date }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** When a key stops being throttled, given its newest `limit` failures (newest first); null when it is not. */
function throttledUntil(newestFailures: Date[], limit: number): number | null {
  const oldestCounted = newestFailures.length >= limit ? newestFailures[limit - 1] : undefined;
  return oldestCounted ? oldestCounted.getTime() + SIGN_IN_THROTTLE_WINDOW_MS : null;
}

export async function signIn(db: Database, request: SignInRequest): Promise<SignInResult> {
  const now = request.now ?? new Date();
  const email = normaliseEmail(typeof request.email === 'string' ? request.email : '').slice(
    0,
    EMAIL_MAX_LENGTH,
  );
  const password = typeof request.password === 'string' ? request.password : '';
  const clientAddress = (request.clientAddress || 'unknown').slice(0, MAX_CLIENT_ADDRESS_LENGTH);
  const accountKey = `account:${email}`;
  const addressKey = `address:${clientAddress}`;

  const since = new Date(now.getTime() - SIGN_IN_THROTTLE_WINDOW_MS);
  const [accountFailures, addressFailures] = await Promise.all([
    recentFailureTimes(db, accountKey, since, MAX_FAILURES_PER_ACCOUNT),
    recentFailureTimes(db, addressKey, since, MAX_FAILURES_PER_ADDRESS),
  ]);
  const until = Math.max(
    throttledUntil(accountFailures, MAX_FAILURES_PER_ACCOUNT) ?? 0,
    throttledUntil(addressFailures, MAX_FAILURES_PER_ADDRESS) ?? 0,
  );
  if (until > now.getTime()) {
    // The password is not checked, but the answer takes as long as if it were.
    await verifyAgainstDummy(password);
    return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil((until - now.getTime()) / 1000) };
  }

  const account = email === '' ? null : await getUserCredentialsByEmail(db, email);
  const passwordMatches = account
    ? await verifyPassword(password, account.passwordHash)
    : await verifyAgainstDummy(password);
  if (!account || !passwordMatches || account.user.disabled) {
    await recordSignInFailure(db, [accountKey, addressKey], now);
    return { ok: false, reason: 'invalid' };
  }

  const { user } = account;
  await clearSignInFailures(db, accountKey);
  const session = await startSession(db, {
    userId: user.id,
    userAgent: request.userAgent,
    clientAddress,
    now,
    audit: { actor: user.email, action: 'signed_in', details: { clientAddress } },
  });
  const locale = isLocale(user.locale) ? user.locale : null;
  return { ok: true, user: { id: user.id, email: user.email, role: user.role, locale }, ...session };
}
