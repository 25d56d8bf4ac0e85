'use server';

import { cookies } from 'next/headers';
import { z } from 'zod/mini';
import { requestIsSecure } from '@/lib/auth/guard';
import { setUserLocale } from '@/lib/db/users';
import { LOCALE_COOKIE, LOCALES, type Locale } from '@/lib/i18n/locales';
import { getRuntime } from '@/lib/runtime';
import { runPublicAction } from '../action';
import type { ActionResult } from '../result';

/** Switches the interface language: remembered in a cookie, and on the account of a signed-in user. */
export async function setLocaleAction(locale: unknown): Promise<ActionResult<{ locale: Locale }>> {
  return runPublicAction(
    'setLocale',
    () => z.enum(LOCALES),
    locale,
    async (chosen, { user }) => {
      (await cookies()).set(LOCALE_COOKIE, chosen, {
        path: '/',
        sameSite: 'lax',
        secure: await requestIsSecure(),
        maxAge: 365 * 24 * 60 * 60,
      });
      if (user) await setUserLocale((await getRuntime()).db, user.id, chosen);
      return { locale: chosen };
    },
    { invalidInput: 'action.chooseLocale' },
  );
}
