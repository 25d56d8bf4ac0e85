import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { authorize, type CurrentUser, denialMessage } from '@/lib/auth/guard';
import type { Role } from '@/lib/auth/roles';
import type { Locale } from '@/lib/i18n/locales';
import { getI18n } from '@/lib/i18n/server';
import type { Translate } from '@/lib/i18n/translate';
import { errorResponse, jsonError } from './responses';

export interface RouteContext {
  user: CurrentUser;
  locale: Locale;
  t: Translate;
}

/**
 * The one wrapper every route handler goes through: check the session and role first (a denied request
 * makes no outbound call and reads nothing), then run; unexpected errors are logged with a reference, while
 * Next.js's own signals (`redirect()`, `notFound()`) pass through as in server actions. Messages are in the
 * reader's language.
 */
export function withRoute<Params>(
  role: Role,
  name: string,
  handler: (request: Request, params: Params, context: RouteContext) => Promise<Response>,
): (request: Request, context: { params: Promise<Params> }) => Promise<Response> {
  return async (request, context) => {
    const authorization = await authorize(role);
    const { locale, t } = await getI18n(authorization.ok ? authorization.user : null);
    if (!authorization.ok) {
      return jsonError(
        authorization.status,
        authorization.status === 401 ? 'Unauthenticated' : 'Forbidden',
        denialMessage(authorization, t),
        authorization.status === 401 ? t('auth.signInFix') : t('auth.askAdmin'),
      );
    }
    try {
      return await handler(request, await context.params, { user: authorization.user, locale, t });
    } catch (error) {
      unstable_rethrow(error);
      return errorResponse(name, error, locale, t);
    }
  };
}
