'use client';

import { createContext, type ReactNode, useContext, useMemo } from 'react';
import type { Locale } from '@/lib/i18n/locales';
import type { Messages } from '@/lib/i18n/messages/en';
import { createTranslator, formatDateTime, type Translate } from '@/lib/i18n/translate';

interface I18n {
  locale: Locale;
  t: Translate;
  formatDateTime: (value: Date | string) => string;
}

const I18nContext = createContext<I18n | null>(null);

/** Hands the request's language and its messages (data, from the server) to the client components. */
export function I18nProvider({
  locale,
  messages,
  children,
}: {
  locale: Locale;
  messages: Messages;
  children: ReactNode;
}) {
  const value = useMemo<I18n>(
    () => ({
      locale,
      t: createTranslator(locale, messages),
      formatDateTime: (date) => formatDateTime(locale, date),
    }),
    [locale, messages],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs an I18nProvider above it');
  return value;
}
