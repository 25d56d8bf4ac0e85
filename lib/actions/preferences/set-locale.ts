'use server';

import { cookies } from 'next/headers';
import { getCurrentUser, requestIsSecure } from '@/lib/auth/guard';
import { setUserLocale } from '@/lib/db/users-repository';
import { isLocale, LOCALE_COOKIE } from '@/lib/i18n/locales';
import { getI18n } from '@/lib/i18n/server';
import { getRuntime } from '@/lib/runtime';
import type { ActionResult } from '../result';

/** Switches the interface language: remembered in a cookie, and on the account of a signed-in user. */
export async function setLocaleAction(locale: unknown): Promise<ActionResult<{ locale: string }>> {
  if (!isLocale(locale)) return { ok: false, formError: (await getI18n()).t('action.chooseLocale') };
  (await cookies()).set(LOCALE_COOKIE, locale, {
    path: '/',
    sameSite: 'lax',
    secure: await requestIsSecure(),
    maxAge: 365 * 24 * 60 * 60,
  });
  const user = await getCurrentUser();
  if (user) await setUserLocale((await getRuntime()).db, user.id, locale);
  return { ok: true, data: { locale } };
}
