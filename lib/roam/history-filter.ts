import { z } from 'zod/mini';
import type { Translate } from '@/lib/i18n/translate';
import { ITEM_STATUSES, type ItemStatus, JOB_STATUSES, type JobStatus } from './lifecycle';

/**
 * The history page's filters, read from the URL's query string (also used by the CSV export of a filtered
 * list). Anything malformed is reported per field and ignored, never passed to the database; the form still
 * shows what was asked for, with the reason beside it.
 */

/** Text a person can type: no control characters (a NUL would even break the database query). */
const PRINTABLE = /^[^\p{Cc}]*$/u;

/** Longer than any instance name or ID the console allows. */
export const INSTANCE_FILTER_MAX_LENGTH = 128;

/** Empty, or a real calendar day as YYYY-MM-DD (2024-02-30 is refused, not rolled over). */
function isOptionalDay(value: string): boolean {
  if (value === '') return true;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const createHistoryFilterSchema = (t: Translate) =>
  z.object({
    username: z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.maxLength(64, t('history.filterUsernameTooLong')),
          z.regex(PRINTABLE, t('history.filterUsernameCharacters')),
        ),
    ),
    instance: z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.maxLength(
            INSTANCE_FILTER_MAX_LENGTH,
            t('history.filterInstanceTooLong', { max: INSTANCE_FILTER_MAX_LENGTH }),
          ),
          z.regex(PRINTABLE, t('history.filterInstanceCharacters')),
        ),
    ),
    status: z.optional(z.enum(['', ...JOB_STATUSES], t('history.filterStatus'))),
    item: z.optional(z.enum(['', ...ITEM_STATUSES], t('history.filterItem'))),
    failures: z.optional(z.enum(['', '0', '1'], t('history.filterFailures'))),
    from: z.optional(z.string().check(z.refine(isOptionalDay, t('history.filterFrom')))),
    to: z.optional(z.string().check(z.refine(isOptionalDay, t('history.filterTo')))),
    page: z.optional(z.string().check(z.regex(/^\d{1,6}$/, t('history.filterPage')))),
  });

/** The filter's fields as the form and the query string carry them. */
export interface HistoryFilterValues {
  username: string;
  instance: string;
  status: string;
  item: string;
  /** `1`: only jobs with failures. */
  failures: string;
  from: string;
  to: string;
}

export type HistoryFilterField = keyof HistoryFilterValues | 'page';

export interface HistoryFilter {
  username?: string;
  /** Part of the origin's or the target's ID or name, any case. */
  instance?: string;
  /** Only jobs with a username that failed, was not sent or has an unknown outcome. */
  failures: boolean;
  status?: JobStatus;
  /** Jobs with an item in this state. */
  itemStatus?: ItemStatus;
  from?: Date;
  /** Exclusive: the day after the chosen "to" date. */
  to?: Date;
  page: number;
  /** The filter in force, for links and the export: an ignored value is not in it. */
  values: HistoryFilterValues;
  /** What the form shows: the values in force, and each ignored one as it was given. */
  entered: HistoryFilterValues;
  /** Why each ignored field was ignored. */
  fieldProblems: Partial<Record<HistoryFilterField, string>>;
  /** The same reasons, in the order of the fields. */
  problems: string[];
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function parseHistoryFilter(
  query: Record<string, string | string[] | undefined>,
  t: Translate,
): HistoryFilter {
  const raw: Record<HistoryFilterField, string | undefined> = {
    username: first(query.username),
    // `instanceId` was the parameter's name when it took an exact ID: links and scripts made then keep working.
    instance: first(query.instance) ?? first(query.instanceId),
    status: first(query.status),
    item: first(query.item),
    failures: first(query.failures),
    from: first(query.from),
    to: first(query.to),
    page: first(query.page),
  };
  const schema = createHistoryFilterSchema(t);
  const fieldProblems: HistoryFilter['fieldProblems'] = {};
  const clean: Partial<Record<HistoryFilterField, string>> = {};
  for (const [key, value] of Object.entries(raw) as [HistoryFilterField, string | undefined][]) {
    const result = schema.shape[key].safeParse(value);
    if (result.success) {
      if (result.data) clean[key] = result.data;
    } else {
      fieldProblems[key] = result.error.issues[0]?.message ?? t('action.invalid');
    }
  }
  const day = (value: string | undefined, plusDays = 0) => {
    if (!value) return undefined;
    const date = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return undefined;
    date.setUTCDate(date.getUTCDate() + plusDays);
    return date;
  };
  const failures = clean.failures === '1';
  const values: HistoryFilterValues = {
    username: clean.username ?? '',
    instance: clean.instance ?? '',
    status: clean.status ?? '',
    item: clean.item ?? '',
    failures: failures ? '1' : '',
    from: clean.from ?? '',
    to: clean.to ?? '',
  };
  const entered = { ...values };
  for (const key of Object.keys(values) as (keyof HistoryFilterValues)[]) {
    if (fieldProblems[key]) entered[key] = raw[key] ?? '';
  }
  return {
    username: clean.username,
    instance: clean.instance,
    failures,
    status: clean.status as HistoryFilter['status'],
    itemStatus: clean.item as HistoryFilter['itemStatus'],
    from: day(clean.from),
    to: day(clean.to, 1),
    page: Math.max(1, Number(clean.page ?? '1')),
    values,
    entered,
    fieldProblems,
    // In the order of the fields, as they were checked.
    problems: Object.values(fieldProblems),
  };
}

/** The query string for a filter (without the page), for links and the CSV export. */
export function historyQueryString(values: HistoryFilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...values, ...extra })) if (value) params.set(key, value);
  return params.toString();
}
