import { getJob } from '@/lib/db/jobs-repository';
import { errorResponse, notFound } from '@/lib/http/responses';
import { csvResponse } from '@/lib/roam/csv';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  try {
    const { db } = await getRuntime();
    const job = await getJob(db, id);
    if (!job) return notFound('There is no job with this ID');
    return csvResponse(db, { jobId: job.id }, `sag-roam-job-${job.id}.csv`);
  } catch (error) {
    return errorResponse(`exporting job ${id}`, error);
  }
}
