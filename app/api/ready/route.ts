import { checkReadiness, READINESS_LIMIT_MS, type ReadinessPart } from '@/lib/observability/readiness';
import { withTimeout } from '@/lib/observability/time-limit';
import { getRuntime } from '@/lib/runtime';

// Readiness, for a load balancer or an orchestrator: 200 while the database answers, is migrated and the roam
// worker runs; 503 naming the parts that are not ready. No sign-in: it says nothing but those names.

export const dynamic = 'force-dynamic';

const EVERY_PART: ReadinessPart[] = ['database', 'migrations', 'worker'];

export async function GET(): Promise<Response> {
  const headers = { 'cache-control': 'no-store' };
  // A process still starting (or failing to) has nothing ready yet.
  const runtime = await withTimeout(getRuntime(), READINESS_LIMIT_MS).catch(() => undefined);
  const readiness = runtime ? await checkReadiness(runtime) : { ready: false, failing: EVERY_PART };
  if (readiness.ready) return Response.json({ status: 'ready' }, { headers });
  return Response.json({ status: 'not-ready', failing: readiness.failing }, { status: 503, headers });
}
