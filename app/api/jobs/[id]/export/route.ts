import { getJob } from '@/lib/db/jobs';
import { notFound } from '@/lib/http/responses';
import { withRoute } from '@/lib/http/route';
import { csvResponse } from '@/lib/roam/csv';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

export const GET = withRoute<{ id: string }>('viewer', 'exporting a job', async (_request, { id }, { t }) => {
  const { db } = await getRuntime();
  const job = await getJob(db, id);
  if (!job) return notFound(t('action.jobMissing'));
  return csvResponse(db, { jobId: job.id }, `sag-roam-job-${job.id}.csv`);
});
