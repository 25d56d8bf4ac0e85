// Liveness: the process answers HTTP. No sign-in and no detail, so a load balancer or an orchestrator may ask
// as often as it likes; whether the process can do its work is /api/ready.

export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
