import 'server-only';
import { logUnexpected } from '@/lib/errors/unexpected';
import type { Locale } from '@/lib/i18n/locales';
import type { Translate } from '@/lib/i18n/translate';
import { errorView } from '@/lib/roam/present';
import type { ErrorView } from '@/lib/roam/view-models';
import { isSagError, type SagError } from '@/lib/sag/client';
import { CLIENT_ERROR_CODES, lookupErrorCode } from '@/lib/sag/error-messages';

/** JSON answers of the route handlers: data, or `{ error: ErrorView }` with a fitting status. */

export function jsonError(status: number, code: string, title: string, fix: string): Response {
  const error: ErrorView = { code, title, fix, message: title, requestId: null };
  return Response.json({ error }, { status, headers: { 'cache-control': 'no-store' } });
}

export function badRequest(title: string, fix = ''): Response {
  return jsonError(400, 'InvalidRequest', title, fix);
}

export function notFound(title: string): Response {
  return jsonError(404, 'NotFound', title, '');
}

/**
 * A failure while serving a read. SAG errors are shown as the admin-facing message with their code and
 * RequestId (403 when Alibaba Cloud refused the identity, 502 otherwise); anything else is logged with a
 * reference and answered generically.
 */
export function errorResponse(context: string, error: unknown, locale: Locale, t: Translate): Response {
  if (isSagError(error)) {
    const status = statusFor(error);
    return Response.json(
      { error: errorView(error, locale) },
      { status, headers: { 'cache-control': 'no-store' } },
    );
  }
  const reference = logUnexpected(context, error);
  return jsonError(500, 'InternalError', t('api.unexpected', { reference }), t('api.unexpectedFix'));
}

/**
 * The status of a read that Alibaba Cloud refused: the request's own values were wrong (400: an unknown
 * region or instance, a value the client refused to send), the identity may not do it (403), the account is
 * rate-limited (429), or the upstream failed (502).
 */
function statusFor(error: SagError): number {
  if (error.code === CLIENT_ERROR_CODES.invalidInput) return 400;
  const { category } = lookupErrorCode(error.code, error.httpStatus);
  if (category === 'permission' || error.httpStatus === 403) return 403;
  if (category === 'throttling') return 429;
  if (category === 'bad-request' || category === 'roam') return 400;
  return 502;
}

export function ok(body: unknown, cacheSeconds = 0): Response {
  return Response.json(body, {
    headers: { 'cache-control': cacheSeconds > 0 ? `private, max-age=${cacheSeconds}` : 'no-store' },
  });
}
