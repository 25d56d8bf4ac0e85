/**
 * The interface languages. No directive: used by the proxy-free server code and by the browser.
 * The choice is, in order: the signed-in user's saved choice, the locale cookie (set by the switcher), the
 * browser's Accept-Language, then English.
 */

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';
export const LOCALE_COOKIE = 'sag-roam-locale';

export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The best interface language for an Accept-Language header: any Chinese → zh-CN, otherwise English. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const quality = parameters
        .map((parameter) => parameter.trim())
        .find((parameter) => parameter.startsWith('q='));
      const q = quality ? Number(quality.slice(2)) : 1;
      return { tag: tag.toLowerCase(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((left, right) => right.q - left.q || left.index - right.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return DEFAULT_LOCALE;
}

/** The language DescribeRegions is asked for, so region names match the interface. */
export function regionLanguage(locale: Locale): 'zh-CN' | 'en-US' {
  return locale === 'zh-CN' ? 'zh-CN' : 'en-US';
}
