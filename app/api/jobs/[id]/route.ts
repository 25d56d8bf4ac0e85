import { getJob } from '@/lib/db/jobs-repository';
import { errorResponse, notFound, ok } from '@/lib/http/responses';
import { jobView } from '@/lib/roam/present';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  try {
    const { db } = await getRuntime();
    const job = await getJob(db, id);
    return job ? ok({ job: jobView(job) }) : notFound('There is no job with this ID');
  } catch (error) {
    return errorResponse(`reading job ${id}`, error);
  }
}
