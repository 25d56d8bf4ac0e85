import { badRequest } from '@/lib/http/responses';
import { withRoute } from '@/lib/http/route';
import { csvResponse } from '@/lib/roam/csv';
import { parseHistoryFilter } from '@/lib/roam/history-filter';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

export const GET = withRoute<Record<string, never>>(
  'viewer',
  'exporting jobs',
  async (request, _params, { t }) => {
    const filter = parseHistoryFilter(Object.fromEntries(new URL(request.url).searchParams), t);
    if (filter.problems.length > 0) return badRequest(filter.problems.join('. '));
    const { db } = await getRuntime();
    const { username, instance, failures, status, itemStatus, from, to } = filter;
    return csvResponse(
      db,
      { username, instance, failures, status, itemStatus, from, to },
      `sag-roam-jobs-${new Date().toISOString().slice(0, 10)}.csv`,
    );
  },
);
