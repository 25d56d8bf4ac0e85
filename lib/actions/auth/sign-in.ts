'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { clientAddress, requestIsSecure } from '@/lib/auth/guard';
import { safeReturnPath } from '@/lib/auth/redirect';
import { signInSchema } from '@/lib/auth/schema';
import { endSession, sessionCookieName, sessionCookieOptions } from '@/lib/auth/sessions';
import { SIGN_IN_MESSAGE, signIn } from '@/lib/auth/sign-in';
import { getRuntime } from '@/lib/runtime';
import type { ActionResult } from '../result';

/**
 * Signs in with e-mail and password. The answer never says whether the account exists; repeated failures
 * are throttled per account and per client address. Every sign-in gets a new session token (the previous
 * session of this browser, if any, is ended), set in an httpOnly, SameSite=Lax cookie.
 */
export async function signInAction(input: unknown, returnTo: unknown): Promise<ActionResult<never>> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, formError: 'Enter your e-mail and password.' };
  }
  const { db } = await getRuntime();
  const result = await signIn(db, {
    email: parsed.data.email,
    password: parsed.data.password,
    clientAddress: await clientAddress(),
    userAgent: (await headers()).get('user-agent') ?? undefined,
  });
  if (!result.ok) {
    if (result.reason === 'throttled') {
      const minutes = Math.max(1, Math.ceil((result.retryAfterSeconds ?? 900) / 60));
      return {
        ok: false,
        formError: `Too many failed sign-ins. Wait ${minutes} minute${minutes === 1 ? '' : 's'}, then try again.`,
      };
    }
    return { ok: false, formError: SIGN_IN_MESSAGE };
  }
  const secure = await requestIsSecure();
  const jar = await cookies();
  const previous = jar.get(sessionCookieName(secure))?.value;
  if (previous) await endSession(db, previous);
  jar.set(sessionCookieName(secure), result.token, sessionCookieOptions(secure, result.expiresAt));
  redirect(safeReturnPath(returnTo));
}
