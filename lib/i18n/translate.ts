import type { Locale } from './locales';
import type { Messages } from './messages/en';

/**
 * A translator over one locale's messages. Messages are plain strings with `{name}` placeholders, so a
 * locale's messages can be handed from the server to the browser as data. Counted messages have `_one`
 * and `_other` forms, chosen with Intl.PluralRules for `values.count`.
 */

export type MessageKey = keyof Messages;
type PluralBase<Key> = Key extends `${infer Base}_other` ? Base : never;
/** The keys a translator over `Catalogue` takes: each key, and the base of each counted one. */
export type KeyOf<Catalogue> = (keyof Catalogue & string) | PluralBase<keyof Catalogue>;
export type TranslationKey = KeyOf<Messages>;
export type Values = Record<string, string | number>;
export type Translator<Key extends string> = (key: Key, values?: Values) => string;
export type Translate = Translator<TranslationKey>;

/** Over the interface messages unless another catalogue is given (the server-only API error texts). */
export function createTranslator<Catalogue extends Readonly<Record<string, string>> = Messages>(
  locale: Locale,
  messages: Catalogue,
): Translator<KeyOf<Catalogue>> {
  const plurals = new Intl.PluralRules(locale);
  const table: Readonly<Record<string, string>> = messages;
  return (key, values) => {
    let template = table[key];
    if (template === undefined && values && typeof values.count === 'number') {
      template = table[`${key}_${plurals.select(values.count)}`] ?? table[`${key}_other`];
    }
    if (template === undefined) return key;
    if (!values) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) => {
      const value = values[name];
      if (value === undefined) return match;
      return typeof value === 'number' ? value.toLocaleString(locale) : value;
    });
  };
}

/** Dates and times as the locale writes them, always in UTC (jobs are compared across offices). */
export function formatDateTime(locale: Locale, value: Date | string, withMilliseconds = false): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  // English as ISO-like year-month-day (en-CA), not the US month/day order.
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-CA' : locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    ...(withMilliseconds ? { fractionalSecondDigits: 3 } : {}),
    hour12: false,
    timeZone: 'UTC',
  }).format(date);
}
