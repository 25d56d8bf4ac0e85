import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Locale } from '@/lib/i18n/locales';
import type { Translate } from '@/lib/i18n/translate';
import { errorView } from '@/lib/roam/present';
import type { ErrorView } from '@/lib/roam/view-models';
import { isSagError } from '@/lib/sag/client';

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
    const status = error.httpStatus === 403 || /^Forbidden|^NoPermission/.test(error.code) ? 403 : 502;
    return Response.json(
      { error: errorView(error, locale) },
      { status, headers: { 'cache-control': 'no-store' } },
    );
  }
  const reference = randomUUID().slice(0, 8);
  console.error(`${context} failed (reference ${reference}):`, error);
  return jsonError(500, 'InternalError', t('api.unexpected', { reference }), t('api.unexpectedFix'));
}

export function ok(body: unknown, cacheSeconds = 0): Response {
  return Response.json(body, {
    headers: { 'cache-control': cacheSeconds > 0 ? `private, max-age=${cacheSeconds}` : 'no-store' },
  });
}
