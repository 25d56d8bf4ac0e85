'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { clientAddress, requestIsSecure } from '@/lib/auth/guard';
import { safeReturnPath } from '@/lib/auth/redirect';
import { createAuthSchemas } from '@/lib/auth/schema';
import { endSession, sessionCookieName, sessionCookieOptions } from '@/lib/auth/sessions';
import { signIn } from '@/lib/auth/sign-in';
import { getI18n } from '@/lib/i18n/server';
import { getRuntime } from '@/lib/runtime';
import type { ActionResult } from '../result';

/**
 * Signs in with e-mail and password. The answer never says whether the account exists; repeated failures
 * are throttled per account and per client address. Every sign-in gets a new session token (the previous
 * session of this browser, if any, is ended), set in an httpOnly, SameSite=Lax cookie.
 */
export async function signInAction(input: unknown, returnTo: unknown): Promise<ActionResult<never>> {
  const { t } = await getI18n(null);
  const parsed = createAuthSchemas(t).signInSchema.safeParse(input, {
    error: () => t('action.fieldInvalid'),
  });
  if (!parsed.success) {
    return { ok: false, formError: t('signIn.enterBoth') };
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
      return { ok: false, formError: t('signIn.throttled', { count: minutes }) };
    }
    return { ok: false, formError: t('signIn.wrong') };
  }
  const secure = await requestIsSecure();
  const jar = await cookies();
  const previous = jar.get(sessionCookieName(secure))?.value;
  if (previous) await endSession(db, previous);
  jar.set(sessionCookieName(secure), result.token, sessionCookieOptions(secure, result.expiresAt));
  redirect(safeReturnPath(returnTo));
}
