'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { clientAddress, requestIsSecure } from '@/lib/auth/guard';
import { safeReturnPath } from '@/lib/auth/redirect';
import { createAuthSchemas } from '@/lib/auth/schema';
import { endSession, sessionCookieName, sessionCookieOptions } from '@/lib/auth/sessions';
import { signIn } from '@/lib/auth/sign-in';
import { getConfig } from '@/lib/config';
import { getRuntime } from '@/lib/runtime';
import { runPublicAction } from '../action';
import type { ActionResult } from '../result';

/**
 * Signs in with e-mail and password. The answer never says whether the account exists, nor which field of
 * malformed input was wrong; repeated failures are throttled (lib/auth/sign-in.ts has the policy). Every
 * sign-in gets a new session token (the previous session of this browser, if any, is ended), set in an
 * httpOnly, SameSite=Lax cookie. On success it redirects, so it only ever returns a failure.
 */
export async function signInAction(input: unknown, returnTo: unknown): Promise<ActionResult<never>> {
  return runPublicAction(
    'signIn',
    (t) => createAuthSchemas(t).signInSchema,
    input,
    async ({ email, password }, { fail }) => {
      const { db } = await getRuntime();
      const result = await signIn(db, {
        email,
        password,
        clientAddress: await clientAddress(),
        userAgent: (await headers()).get('user-agent') ?? undefined,
        adminsOnly: getConfig().oidc?.only === true,
      });
      if (!result.ok) {
        if (result.reason === 'throttled') {
          const minutes = Math.max(1, Math.ceil((result.retryAfterSeconds ?? 900) / 60));
          return fail('signIn.throttled', { count: minutes });
        }
        return fail('signIn.wrong');
      }
      const secure = await requestIsSecure();
      const jar = await cookies();
      const previous = jar.get(sessionCookieName(secure))?.value;
      if (previous) await endSession(db, previous);
      jar.set(sessionCookieName(secure), result.token, sessionCookieOptions(secure, result.expiresAt));
      redirect(safeReturnPath(returnTo));
    },
    { invalidInput: 'signIn.enterBoth', ignoreSession: true },
  );
}
