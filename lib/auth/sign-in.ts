import 'server-only';

import type { Database } from '@/lib/db/database';
import {
  clearSignInFailures,
  countRecentFailures,
  getUserCredentialsByEmail,
  recentFailureTimes,
  recordSignInFailure,
} from '@/lib/db/users';
import { newestFailurePerKey } from '@/lib/db/users/sign-in-failures';
import { throttledAddressGroup, UNKNOWN_ADDRESS } from '@/lib/security/client-address';
import { verifyAgainstDummy, verifyPassword } from './passwords';
import { EMAIL_MAX_LENGTH, normaliseEmail } from './schema';
import { type SessionUser, sessionUserOf, startSession } from './sessions';

/**
 * Sign-in with throttling kept in the database, so that it holds across processes and restarts.
 *
 * The policy, over a sliding window of 15 minutes:
 *
 * - One account from one address: after 5 failures, that pair is refused, unchecked, until the oldest of
 *   them is 15 minutes old. Someone guessing from one address stops there, and shuts out only that address
 *   from that account.
 * - One address against many accounts (password spraying): once failures from the address concern 20
 *   different accounts, the address is refused, unchecked, whatever the account. An account counts once
 *   however often it failed, so the people behind one proxy or NAT who mistype their own passwords do not add
 *   up to a lock-out of everyone there.
 * - One account from any address: from its 5th failure on, every attempt is answered only after a delay that
 *   doubles with each further failure, from 1 second to at most 10, and is then checked. A correct password
 *   from an address that has not failed is never refused: an attacker rotating addresses slows sign-in to an
 *   account down (the last admin's included) but cannot lock it. The delay depends only on the failures
 *   recorded for the e-mail given, and failures are recorded alike for accounts that do not exist.
 * - An address is counted whole for IPv4 and by its /64 for IPv6 (lib/security/client-address.ts, which also
 *   decides which address a request comes from).
 *
 * A success clears the account's failures and those of its pair with this address; the address's failures
 * against other accounts remain. The answer to a failed or refused attempt is the same, and takes about as
 * long (one scrypt run), whether the account is unknown, disabled, or the password wrong. A failure is
 * recorded before the password is checked (and deleted again on success), so that attempts made at the same
 * moment cannot all pass the limits together: each counts the others, its own included.
 */

export const SIGN_IN_THROTTLE_WINDOW_MS = 15 * 60_000;
/** Failures of one account from one address; the next attempt from there is refused unchecked. */
export const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5;
/** Accounts one address may fail against; then the address is refused unchecked, whatever the account. */
export const MAX_ACCOUNTS_FAILED_PER_ADDRESS = 20;
/** Failures of one account, from anywhere, before its attempts are slowed down. */
export const FAILURES_BEFORE_ACCOUNT_DELAY = 5;
export const ACCOUNT_DELAY_FIRST_MS = 1_000;
export const ACCOUNT_DELAY_MAX_MS = 10_000;

const MAX_CLIENT_ADDRESS_LENGTH = 64;

export interface SignInRequest {
  email: string;
  password: string;
  /** The client's IP address (lib/security/client-address.ts); 'unknown' when there is none. */
  clientAddress: string;
  userAgent?: string | null;
  /** OIDC_ONLY: only an admin may sign in with a password (the break-glass way in); others use the provider. */
  adminsOnly?: boolean;
  now?: Date;
}

export interface SignInOptions {
  /** Waits out an account's delay; tests record it instead of sleeping. */
  wait?: (ms: number) => Promise<void>;
}

export type SignInResult =
  | { ok: true; user: SessionUser; token: string; expiresAt: Date }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** How long an attempt on an account with `failures` recent failures waits before it is checked. */
export function accountDelayMs(failures: number): number {
  if (failures < FAILURES_BEFORE_ACCOUNT_DELAY) return 0;
  const doublings = Math.min(failures - FAILURES_BEFORE_ACCOUNT_DELAY, 30);
  return Math.min(ACCOUNT_DELAY_FIRST_MS * 2 ** doublings, ACCOUNT_DELAY_MAX_MS);
}

/** The failure keys of one attempt. Addresses never hold a space, so `<address> ` prefixes its pairs. */
export function signInFailureKeys(email: string, clientAddress: string) {
  const addressPrefix = `address+account:${throttledAddressGroup(clientAddress)} `;
  return { account: `account:${email}`, pair: `${addressPrefix}${email}`, addressPrefix };
}

/** When a key stops being throttled, given its newest failures (newest first); null when it is not. */
function throttledUntil(newestFailures: Date[], limit: number): number | null {
  const oldestCounted = newestFailures.length >= limit ? newestFailures[limit - 1] : undefined;
  return oldestCounted ? oldestCounted.getTime() + SIGN_IN_THROTTLE_WINDOW_MS : null;
}

/**
 * Until when the pair and the address are refused. `ownFailureRecorded`: the attempt's own failure is in the
 * counts already, so only one more than the limit refuses it.
 */
async function refusedUntil(
  db: Database,
  keys: ReturnType<typeof signInFailureKeys>,
  since: Date,
  ownFailureRecorded: boolean,
): Promise<number> {
  const extra = ownFailureRecorded ? 1 : 0;
  const [pairFailures, accountsFailed] = await Promise.all([
    recentFailureTimes(db, keys.pair, since, MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS + extra),
    newestFailurePerKey(db, keys.addressPrefix, since, MAX_ACCOUNTS_FAILED_PER_ADDRESS + extra),
  ]);
  return Math.max(
    throttledUntil(pairFailures, MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS + extra) ?? 0,
    throttledUntil(accountsFailed, MAX_ACCOUNTS_FAILED_PER_ADDRESS + extra) ?? 0,
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function signIn(
  db: Database,
  request: SignInRequest,
  options: SignInOptions = {},
): Promise<SignInResult> {
  const now = request.now ?? new Date();
  const email = normaliseEmail(typeof request.email === 'string' ? request.email : '').slice(
    0,
    EMAIL_MAX_LENGTH,
  );
  const password = typeof request.password === 'string' ? request.password : '';
  const clientAddress = (request.clientAddress || UNKNOWN_ADDRESS).slice(0, MAX_CLIENT_ADDRESS_LENGTH);
  const keys = signInFailureKeys(email, clientAddress);
  const since = new Date(now.getTime() - SIGN_IN_THROTTLE_WINDOW_MS);

  const refuse = async (until: number): Promise<SignInResult> => {
    // The password is not checked, but the answer takes as long as if it were.
    await verifyAgainstDummy(password);
    const retryAfterSeconds = Math.max(1, Math.ceil((until - now.getTime()) / 1000));
    return { ok: false, reason: 'throttled', retryAfterSeconds };
  };

  const until = await refusedUntil(db, keys, since, false);
  if (until > now.getTime()) return refuse(until);

  const accountFailures = await countRecentFailures(db, keys.account, since);
  await recordSignInFailure(db, [keys.account, keys.pair], now);
  // Attempts of the same pair or address made at this moment recorded theirs too.
  if ((await refusedUntil(db, keys, since, true)) > now.getTime()) {
    return refuse(await refusedUntil(db, keys, since, false));
  }
  const delay = accountDelayMs(accountFailures);
  if (delay > 0) await (options.wait ?? sleep)(delay);

  const account = email === '' ? null : await getUserCredentialsByEmail(db, email);
  const passwordMatches = account
    ? await verifyPassword(password, account.passwordHash)
    : await verifyAgainstDummy(password);
  const refusedRole = request.adminsOnly === true && account?.user.role !== 'admin';
  if (!account || !passwordMatches || account.user.disabled || refusedRole) {
    return { ok: false, reason: 'invalid' };
  }

  const { user } = account;
  await clearSignInFailures(db, [keys.account, keys.pair]);
  const session = await startSession(db, {
    userId: user.id,
    userAgent: request.userAgent,
    clientAddress,
    now,
    audit: { actor: user.email, action: 'signed_in', details: { clientAddress } },
  });
  return { ok: true, user: sessionUserOf(user), ...session };
}
