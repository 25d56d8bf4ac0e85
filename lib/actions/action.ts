import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod/mini';
import { authorize, type CurrentUser, denialMessage, getCurrentUser } from '@/lib/auth/guard';
import type { Role } from '@/lib/auth/roles';
import { hasErrorKind, markErrorKind } from '@/lib/errors/kind';
import { logUnexpected } from '@/lib/errors/unexpected';
import type { Locale } from '@/lib/i18n/locales';
import { getI18n } from '@/lib/i18n/server';
import type { Translate, TranslationKey, Values } from '@/lib/i18n/translate';
import type { ActionLink, ActionResult } from './result';

/**
 * The one wrapper every server action goes through: check the session and role (`runAction`, or
 * `runPublicAction` for the few that need no session), parse the input with the shared schema (its messages
 * in the reader's language), run, and return one result shape. A denied call changes nothing and calls
 * nothing. Expected failures are thrown as `ActionFailure` with a message written for a network admin;
 * Next.js's own signals (`redirect()`, `notFound()`) pass through untouched; anything else is logged with a
 * reference and answered with a generic message, so no library's raw error text (which could quote a
 * request) reaches the browser.
 */

export class ActionFailure extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
    /** Where the admin can see what the failure is about, e.g. the job that already holds these usernames. */
    readonly link?: ActionLink,
  ) {
    super(message);
    this.name = 'ActionFailure';
    markErrorKind(this, 'ActionFailure');
  }
}

export interface PublicActionContext {
  /** The signed-in user, if any (always null with `ignoreSession`). */
  user: CurrentUser | null;
  locale: Locale;
  t: Translate;
  /** Throws an expected failure with a message in the reader's language. */
  fail(key: TranslationKey, values?: Values): never;
}

export interface ActionContext extends PublicActionContext {
  /** Who is acting (their e-mail), recorded on jobs, attempts and user changes. */
  actor: string;
  user: CurrentUser;
}

export interface PublicActionOptions {
  /**
   * Answer any invalid input with this one message and no field errors: sign-in must not say which field was
   * wrong, and the language switch has a single value.
   */
  invalidInput?: TranslationKey;
  /**
   * Neither look up nor pass on the browser's current session: sign-in replaces it, so it must not pick the
   * language of the answer either (the locale cookie and the browser's languages do).
   */
  ignoreSession?: boolean;
}

type Schema = z.ZodMiniType;
type Handler<S extends Schema, T, Context> = (input: z.output<S>, context: Context) => Promise<T>;

/** An action for signed-in users with at least `role`; the handler runs only for them. */
export async function runAction<S extends Schema, T>(
  name: string,
  role: Role,
  schemaFor: (t: Translate) => S,
  input: unknown,
  handler: Handler<S, T, ActionContext>,
): Promise<ActionResult<T>> {
  const authorization = await authorize(role);
  const { locale, t } = await getI18n(authorization.ok ? authorization.user : null);
  if (!authorization.ok) {
    return { ok: false, formError: denialMessage(authorization, t), status: authorization.status };
  }
  const { user } = authorization;
  return parseAndRun(name, t, schemaFor, input, {}, (data, fail) =>
    handler(data, { actor: user.email, user, locale, t, fail }),
  );
}

/** An action anyone may call, signed in or not (sign-in, sign-out, the language switch). */
export async function runPublicAction<S extends Schema, T>(
  name: string,
  schemaFor: (t: Translate) => S,
  input: unknown,
  handler: Handler<S, T, PublicActionContext>,
  options: PublicActionOptions = {},
): Promise<ActionResult<T>> {
  const user = options.ignoreSession ? null : await getCurrentUser();
  const { locale, t } = await getI18n(user);
  return parseAndRun(name, t, schemaFor, input, options, (data, fail) =>
    handler(data, { user, locale, t, fail }),
  );
}

function fieldErrorsOf(error: z.core.$ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '_form';
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  return fields;
}

async function parseAndRun<S extends Schema, T>(
  name: string,
  t: Translate,
  schemaFor: (t: Translate) => S,
  input: unknown,
  { invalidInput }: PublicActionOptions,
  run: (input: z.output<S>, fail: PublicActionContext['fail']) => Promise<T>,
): Promise<ActionResult<T>> {
  // Wrong types or missing fields (input no form sends) get the app's own message, never zod's English.
  const parsed = schemaFor(t).safeParse(input, { error: () => t('action.fieldInvalid') });
  if (!parsed.success) {
    if (invalidInput) return { ok: false, formError: t(invalidInput) };
    const fieldErrors = fieldErrorsOf(parsed.error);
    return { ok: false, formError: fieldErrors._form?.[0] ?? t('action.invalid'), fieldErrors };
  }
  const fail = (key: TranslationKey, values?: Values): never => {
    throw new ActionFailure(t(key, values));
  };
  try {
    return { ok: true, data: await run(parsed.data, fail) };
  } catch (error) {
    // redirect() and notFound() work by throwing; they are answers, not failures.
    unstable_rethrow(error);
    if (hasErrorKind(error, 'ActionFailure')) {
      const failure = error as ActionFailure;
      const { message: formError, fieldErrors, link } = failure;
      return { ok: false, formError, ...(fieldErrors ? { fieldErrors } : {}), ...(link ? { link } : {}) };
    }
    return {
      ok: false,
      formError: t('action.unexpected'),
      reference: logUnexpected(`server action ${name}`, error),
    };
  }
}
