import { ok } from '@/lib/http/responses';
import { withRoute } from '@/lib/http/route';
import { listRegions } from '@/lib/roam/directory';

export const dynamic = 'force-dynamic';

export const GET = withRoute('operator', 'listing regions', async (_request, _params, { locale }) =>
  ok({ regions: await listRegions(locale) }, 300),
);
