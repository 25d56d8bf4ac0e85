import { getConfig } from '@/lib/config';
import { metricsResponse } from '@/lib/observability/metrics-route';

// Prometheus metrics, for a scraper holding METRICS_TOKEN as its bearer token (no session: a scraper has
// none). Without METRICS_TOKEN the route does not exist.

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return metricsResponse(request, getConfig().observability.metricsToken);
}
