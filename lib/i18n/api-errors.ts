import 'server-only';
import { DEFAULT_LOCALE, isLocale, type Locale } from './locales';
import { type ApiErrorMessages, apiErrorsEn } from './messages/api-errors.en';
import { apiErrorsZhCN } from './messages/api-errors.zh-CN';
import { createTranslator, type KeyOf, type Translator } from './translate';

/**
 * The texts of Alibaba Cloud API errors, translated on the server only: they reach the browser rendered
 * into an error view, never as a catalogue (server-only keeps them out of every client bundle).
 */

export const API_ERROR_MESSAGES: Record<Locale, ApiErrorMessages> = {
  en: apiErrorsEn,
  'zh-CN': apiErrorsZhCN,
};

export type ApiErrorKey = KeyOf<ApiErrorMessages>;
export type TranslateApiError = Translator<ApiErrorKey>;

const translators = new Map<Locale, TranslateApiError>();

/** The API error translator for `locale`; English for a locale the catalogues do not know. */
export function apiErrorTranslator(locale: Locale): TranslateApiError {
  const known = isLocale(locale) ? locale : DEFAULT_LOCALE;
  let translate = translators.get(known);
  if (!translate) {
    translate = createTranslator(known, API_ERROR_MESSAGES[known]);
    translators.set(known, translate);
  }
  return translate;
}
