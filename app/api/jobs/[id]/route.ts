import { getJob } from '@/lib/db/jobs';
import { notFound, ok } from '@/lib/http/responses';
import { withRoute } from '@/lib/http/route';
import { jobView } from '@/lib/roam/present';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

export const GET = withRoute<{ id: string }>(
  'viewer',
  'reading a job',
  async (_request, { id }, { locale, t }) => {
    const { db } = await getRuntime();
    const job = await getJob(db, id);
    return job ? ok({ job: jobView(job, locale) }) : notFound(t('action.jobMissing'));
  },
);
