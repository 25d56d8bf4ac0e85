import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getConfig } from '@/lib/config';
import type { Translate } from '@/lib/i18n/translate';
import { getRuntime } from '@/lib/runtime';
import { clientAddressFrom, PEER_ADDRESS_HEADER, readPeerAddress } from '@/lib/security/client-address';
import { type Role, roleAllows } from './roles';
import { resolveSession, type SessionUser, sessionCookieName } from './sessions';

/**
 * The checks every page, route handler and server action makes itself (the proxy decides nothing).
 * The session token lives only in an httpOnly cookie; the database keeps its SHA-256.
 */

export type { SessionUser as CurrentUser } from './sessions';

/** Whether this request reached us over https (directly, or through a proxy that says so). */
export async function requestIsSecure(): Promise<boolean> {
  const proto = (await headers()).get('x-forwarded-proto');
  return proto?.split(',')[0]?.trim().toLowerCase() === 'https';
}

/**
 * The client's address, for sign-in throttling: the socket's, or with TRUSTED_PROXY_HOPS the one the
 * nearest trusted proxy recorded; never an entry the client wrote itself (lib/security/client-address.ts).
 */
export async function clientAddress(): Promise<string> {
  const requestHeaders = await headers();
  return clientAddressFrom({
    peer: readPeerAddress(requestHeaders.get(PEER_ADDRESS_HEADER)),
    forwardedFor: requestHeaders.get('x-forwarded-for'),
    trustedProxyHops: getConfig().trustedProxyHops,
  });
}

/**
 * The signed-in user of this request. Looked up once per page render (React's `cache`), however many of the
 * layout, the page, its metadata and the language choice ask.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const secure = await requestIsSecure();
  const token = (await cookies()).get(sessionCookieName(secure))?.value;
  if (!token) return null;
  const { db } = await getRuntime();
  const session = await resolveSession(db, token);
  return session ? session.user : null;
});

/** For pages: the signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export async function requirePageUser(returnTo: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return user;
}

export type Denial = { ok: false; status: 401 } | { ok: false; status: 403; role: Role; needed: Role };
export type Authorization = { ok: true; user: SessionUser } | Denial;

/** For route handlers and actions: the user if signed in with at least `role`, else why not. */
export async function authorize(role: Role): Promise<Authorization> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, status: 401 };
  if (!roleAllows(user.role, role)) return { ok: false, status: 403, role: user.role, needed: role };
  return { ok: true, user };
}

/** Why a request was refused, in the reader's language. */
export function denialMessage(denial: Denial, t: Translate): string {
  if (denial.status === 401) return t('auth.sessionEnded');
  return t('auth.roleDenied', { role: t(`role.${denial.role}`), needed: t(`role.${denial.needed}`) });
}
