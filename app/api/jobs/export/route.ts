import { badRequest, errorResponse } from '@/lib/http/responses';
import { csvResponse } from '@/lib/roam/csv';
import { parseHistoryFilter } from '@/lib/roam/history-filter';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  const filter = parseHistoryFilter(Object.fromEntries(new URL(request.url).searchParams));
  if (filter.problems.length > 0) return badRequest(filter.problems.join('. '));
  try {
    const { db } = await getRuntime();
    const stamp = new Date().toISOString().slice(0, 10);
    return csvResponse(
      db,
      {
        username: filter.username,
        instanceId: filter.instanceId,
        status: filter.status,
        from: filter.from,
        to: filter.to,
      },
      `sag-roam-jobs-${stamp}.csv`,
    );
  } catch (error) {
    return errorResponse('exporting jobs', error);
  }
}
