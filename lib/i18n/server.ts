import 'server-only';
import { cookies, headers } from 'next/headers';
import { getCurrentUser } from '@/lib/auth/guard';
import type { SessionUser } from '@/lib/auth/sessions';
import { isLocale, LOCALE_COOKIE, type Locale, negotiateLocale } from './locales';
import { MESSAGES } from './messages';
import { createTranslator, type Translate } from './translate';

/** The language of this request: the user's saved choice, the switcher's cookie, the browser, English. */
export async function getLocale(signedIn?: SessionUser | null): Promise<Locale> {
  const user = signedIn === undefined ? await getCurrentUser() : signedIn;
  if (user?.locale) return user.locale;
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(chosen)) return chosen;
  return negotiateLocale((await headers()).get('accept-language'));
}

export interface ServerI18n {
  locale: Locale;
  t: Translate;
}

/** Pass the signed-in user when it is known already, to save a session lookup. */
export async function getI18n(signedIn?: SessionUser | null): Promise<ServerI18n> {
  const locale = await getLocale(signedIn);
  return { locale, t: createTranslator(locale, MESSAGES[locale]) };
}
