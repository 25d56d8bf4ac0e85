import 'server-only';

import { cookies, headers } from 'next/headers';
import { getLogger } from '@/lib/observability/logger';
import { getRuntime } from '@/lib/runtime';
import { clientAddress, requestIsSecure } from './guard';
import { asOidcFailure, OIDC_LOGIN_TTL_MS } from './oidc';
import { endSession, sessionCookieName, sessionCookieOptions } from './sessions';

/**
 * The two route handlers of a sign-in through the identity provider (app/api/auth/oidc/*): the start sends the
 * browser to the provider, the callback signs it in. Both answer with a redirect and nothing else: on a failure,
 * to the sign-in page with the failure's code and the reference of its log line (never a token, a code or the
 * library's words). They send the browser only to the provider's authorization address (from its discovery)
 * and to paths of this site.
 */

/** `__Host-` as for the session cookie: Secure, host-only, path `/`. */
function bindingCookieName(secure: boolean): string {
  return secure ? '__Host-sag-roam-oidc' : 'sag-roam-oidc';
}

function redirectTo(location: string): Response {
  return new Response(null, {
    status: 303,
    headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
  });
}

function notConfigured(): Response {
  return new Response('Single sign-on is not configured.\n', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function failed(error: unknown, step: 'start' | 'callback'): Response {
  const failure = asOidcFailure(error);
  getLogger().warn(
    { reference: failure.reference, failure: failure.code, step, cause: failure.causeDetail },
    `sag-roam: single sign-on failed (${failure.code}, reference ${failure.reference}): ${failure.causeDetail}`,
  );
  return redirectTo(`/sign-in?sso=${encodeURIComponent(failure.code)}&ref=${failure.reference}`);
}

export async function startOidcSignIn(request: Request): Promise<Response> {
  const { oidc } = await getRuntime();
  if (!oidc) return notConfigured();
  try {
    const started = await oidc.start(new URL(request.url).searchParams.get('next'));
    const secure = await requestIsSecure();
    (await cookies()).set(bindingCookieName(secure), started.binding, {
      httpOnly: true,
      // Sent with the provider's top-level redirect back to the callback, not with other sites' requests.
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: OIDC_LOGIN_TTL_MS / 1000,
    });
    return redirectTo(started.authorizationUrl);
  } catch (error) {
    return failed(error, 'start');
  }
}

export async function finishOidcSignIn(request: Request): Promise<Response> {
  const { oidc, db } = await getRuntime();
  if (!oidc) return notConfigured();
  const secure = await requestIsSecure();
  const jar = await cookies();
  const binding = jar.get(bindingCookieName(secure))?.value;
  // Whatever happens, this sign-in is over: its binding is of no further use.
  jar.delete(bindingCookieName(secure));
  try {
    const result = await oidc.finish(new URL(request.url).searchParams, binding, {
      userAgent: (await headers()).get('user-agent'),
      clientAddress: await clientAddress(),
    });
    const previous = jar.get(sessionCookieName(secure))?.value;
    if (previous) await endSession(db, previous);
    jar.set(sessionCookieName(secure), result.token, sessionCookieOptions(secure, result.expiresAt));
    getLogger().info(
      { userId: result.user.id, role: result.user.role, created: result.created },
      `sag-roam: ${result.user.email} signed in with single sign-on as ${result.user.role}${result.created ? ' (account created)' : ''}`,
    );
    return redirectTo(result.returnTo);
  } catch (error) {
    return failed(error, 'callback');
  }
}
