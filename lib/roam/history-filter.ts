import { z } from 'zod/mini';
import type { Translate } from '@/lib/i18n/translate';
import { ITEM_STATUSES, type ItemStatus, JOB_STATUSES, type JobStatus } from './lifecycle';

/**
 * The history page's filters, read from the URL's query string (also used by the CSV export of a filtered
 * list). Anything malformed is reported per field and ignored, never passed to the database.
 */

/** Text a person can type: no control characters (a NUL would even break the database query). */
const PRINTABLE = /^[^\p{Cc}]*$/u;

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
    instanceId: z.optional(
      z.string().check(z.trim(), z.regex(/^(sag-[a-z0-9]{1,32})?$/, t('history.filterInstance'))),
    ),
    status: z.optional(z.enum(['', ...JOB_STATUSES], t('history.filterStatus'))),
    item: z.optional(z.enum(['', ...ITEM_STATUSES], t('history.filterItem'))),
    from: z.optional(z.string().check(z.refine(isOptionalDay, t('history.filterFrom')))),
    to: z.optional(z.string().check(z.refine(isOptionalDay, t('history.filterTo')))),
    page: z.optional(z.string().check(z.regex(/^\d{1,6}$/, t('history.filterPage')))),
  });

export interface HistoryFilter {
  username?: string;
  instanceId?: string;
  status?: JobStatus;
  /** Jobs with an item in this state. */
  itemStatus?: ItemStatus;
  from?: Date;
  /** Exclusive: the day after the chosen "to" date. */
  to?: Date;
  page: number;
  /** The filter as the form shows it. */
  values: { username: string; instanceId: string; status: string; item: string; from: string; to: string };
  problems: string[];
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function parseHistoryFilter(
  query: Record<string, string | string[] | undefined>,
  t: Translate,
): HistoryFilter {
  const raw = {
    username: first(query.username),
    instanceId: first(query.instanceId),
    status: first(query.status),
    item: first(query.item),
    from: first(query.from),
    to: first(query.to),
    page: first(query.page),
  };
  const schema = createHistoryFilterSchema(t);
  const problems: string[] = [];
  const clean: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(raw)) {
    const shape = schema.shape[key as keyof typeof raw];
    const result = shape.safeParse(value);
    if (result.success) clean[key] = result.data || undefined;
    else problems.push(result.error.issues[0]?.message ?? t('action.invalid'));
  }
  const day = (value: string | undefined, plusDays = 0) => {
    if (!value) return undefined;
    const date = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return undefined;
    date.setUTCDate(date.getUTCDate() + plusDays);
    return date;
  };
  return {
    username: clean.username,
    instanceId: clean.instanceId,
    status: clean.status as HistoryFilter['status'],
    itemStatus: clean.item as HistoryFilter['itemStatus'],
    from: day(clean.from),
    to: day(clean.to, 1),
    page: Math.max(1, Number(clean.page ?? '1')),
    values: {
      username: clean.username ?? '',
      instanceId: clean.instanceId ?? '',
      status: clean.status ?? '',
      item: clean.item ?? '',
      from: clean.from ?? '',
      to: clean.to ?? '',
    },
    problems,
  };
}

/** The query string for a filter (without the page), for links and the CSV export. */
export function historyQueryString(
  values: HistoryFilter['values'],
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...values, ...extra })) if (value) params.set(key, value);
  return params.toString();
}
