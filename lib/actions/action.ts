import 'server-only';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod/mini';
import { authorize, type CurrentUser, denialMessage } from '@/lib/auth/guard';
import type { Role } from '@/lib/auth/roles';
import type { Locale } from '@/lib/i18n/locales';
import { getI18n } from '@/lib/i18n/server';
import type { Translate, TranslationKey, Values } from '@/lib/i18n/translate';
import type { ActionResult } from './result';

/**
 * The one wrapper every server action goes through: check the session and role, parse the input with the
 * shared schema (its messages in the reader's language), run, and return one result shape. A denied call
 * changes nothing and calls nothing. Expected failures are thrown as `ActionFailure` with a message written
 * for a network admin; anything else is logged with a reference id and answered with a generic message, so
 * no library's raw error text (which could quote a request) reaches the browser.
 */

export class ActionFailure extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = 'ActionFailure';
  }
}

export interface ActionContext {
  /** Who is acting (their e-mail), recorded on jobs, attempts and user changes. */
  actor: string;
  user: CurrentUser;
  locale: Locale;
  t: Translate;
  /** Throws an expected failure with a message in the reader's language. */
  fail(key: TranslationKey, values?: Values): never;
}

function fieldErrorsOf(error: z.core.$ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '_form';
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  return fields;
}

export async function runAction<Schema extends z.ZodMiniType, T>(
  name: string,
  role: Role,
  schemaFor: (t: Translate) => Schema,
  input: unknown,
  handler: (input: z.output<Schema>, context: ActionContext) => Promise<T>,
): Promise<ActionResult<T>> {
  const authorization = await authorize(role);
  const { locale, t } = await getI18n(authorization.ok ? authorization.user : null);
  if (!authorization.ok) {
    return { ok: false, formError: denialMessage(authorization, t), status: authorization.status };
  }
  const { user } = authorization;
  // Wrong types or missing fields (input no form sends) get the app's own message, never zod's English.
  const parsed = schemaFor(t).safeParse(input, { error: () => t('action.fieldInvalid') });
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return { ok: false, formError: fieldErrors._form?.[0] ?? t('action.invalid'), fieldErrors };
  }
  const fail = (key: TranslationKey, values?: Values): never => {
    throw new ActionFailure(t(key, values));
  };
  try {
    return { ok: true, data: await handler(parsed.data, { actor: user.email, user, locale, t, fail }) };
  } catch (error) {
    if (error instanceof ActionFailure) {
      return { ok: false, formError: error.message, fieldErrors: error.fieldErrors };
    }
    const reference = randomUUID().slice(0, 8);
    console.error(`server action ${name} failed (reference ${reference}):`, error);
    return { ok: false, formError: t('action.unexpected'), reference };
  }
}
