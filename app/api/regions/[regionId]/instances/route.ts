import { badRequest, errorResponse, ok } from '@/lib/http/responses';
import { listAppInstances } from '@/lib/roam/directory';
import { REGION_ID_PATTERN } from '@/lib/roam/schema';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ regionId: string }> }) {
  const { regionId } = await params;
  if (!REGION_ID_PATTERN.test(regionId))
    return badRequest('The region ID looks like cn-shanghai or ap-southeast-1');
  try {
    return ok({ instances: await listAppInstances(regionId) });
  } catch (error) {
    return errorResponse(`listing the SAG APP instances of ${regionId}`, error);
  }
}
