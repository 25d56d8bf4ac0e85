import { badRequest, ok } from '@/lib/http/responses';
import { withRoute } from '@/lib/http/route';
import { listAppInstances } from '@/lib/roam/directory';
import { REGION_ID_PATTERN } from '@/lib/roam/schema';

export const dynamic = 'force-dynamic';

export const GET = withRoute<{ regionId: string }>(
  'operator',
  'listing SAG APP instances',
  async (_request, { regionId }, { t }) => {
    if (!REGION_ID_PATTERN.test(regionId)) return badRequest(t('api.regionFormat'));
    return ok({ instances: await listAppInstances(regionId) });
  },
);
