import { getJob } from '@/lib/db/jobs';
import { getJobChanges, parseJobCursor } from '@/lib/db/jobs/changes';
import { jsonError, notFound, ok } from '@/lib/http/responses';
import { withRoute } from '@/lib/http/route';
import type { Translate } from '@/lib/i18n/translate';
import { jobChangesView, jobView } from '@/lib/roam/present';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * The job as its page polls it. Without `since`: the whole job (`{ job }`). With `since=<cursor>` (the
 * cursor of the previous answer): its header and only the items changed since (`{ job, items, complete }`),
 * so a poll of a 2,000-item job carries the few items that moved, not all of them.
 */
export const GET = withRoute<{ id: string }>(
  'viewer',
  'reading a job',
  async (request, { id }, { locale, t }) => {
    const given = new URL(request.url).searchParams.getAll('since');
    let since: bigint | null = null;
    if (given.length > 0) {
      // A malformed cursor (or several) is refused before anything is read.
      since = given.length === 1 ? parseJobCursor(given[0] ?? '') : null;
      if (since === null) return badCursor(t);
    }
    const { db } = await getRuntime();
    if (since === null) {
      const job = await getJob(db, id);
      return job ? ok({ job: jobView(job, locale) }) : notFound(t('action.jobMissing'));
    }
    const changes = await getJobChanges(db, id, since);
    return changes ? ok(jobChangesView(changes, locale)) : notFound(t('action.jobMissing'));
  },
);

function badCursor(t: Translate): Response {
  return jsonError(400, 'InvalidCursor', t('jobResults.badCursor'), t('jobResults.badCursorFix'));
}
