import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { getRuntime } from '@/lib/runtime';
import { getMetrics } from './metrics';
import { withTimeout } from './time-limit';

/**
 * GET /api/metrics: 404 when METRICS_TOKEN is not set (the route does not exist, and says nothing more),
 * 401 without the right bearer token, else the process's metrics in the Prometheus text format.
 */
export async function metricsResponse(request: Request, token: string | undefined): Promise<Response> {
  if (token === undefined) {
    return new Response('Not Found\n', { status: 404, headers: textHeaders('text/plain; charset=utf-8') });
  }
  if (!bearerMatches(request.headers.get('authorization'), token)) {
    return new Response('A bearer token is required: Authorization: Bearer <METRICS_TOKEN>\n', {
      status: 401,
      headers: {
        ...textHeaders('text/plain; charset=utf-8'),
        'www-authenticate': 'Bearer realm="sag-roam metrics"',
      },
    });
  }
  // The gauges read the runtime's database and worker; a process still starting shows its process metrics
  // and its counters without them rather than keeping the scraper waiting.
  await withTimeout(getRuntime(), 2_000).catch(() => undefined);
  const { registry } = getMetrics();
  return new Response(await registry.metrics(), { headers: textHeaders(registry.contentType) });
}

function textHeaders(contentType: string): Record<string, string> {
  return { 'content-type': contentType, 'cache-control': 'no-store' };
}

/**
 * Compared in constant time, over digests of equal length, so neither the position of the first wrong
 * character nor the token's length shows in the time of the answer.
 */
function bearerMatches(authorization: string | null, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  const given = createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}
