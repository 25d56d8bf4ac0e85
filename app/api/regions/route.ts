import { errorResponse, ok } from '@/lib/http/responses';
import { listRegions } from '@/lib/roam/directory';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    return ok({ regions: await listRegions() }, 300);
  } catch (error) {
    return errorResponse('listing regions', error);
  }
}
