import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { JobProgress } from '@/components/roam/job-progress';
import { DataTable, rowClassName } from '@/components/ui/data-table';
import { requirePageUser } from '@/lib/auth/guard';
import { roleAllows } from '@/lib/auth/roles';
import { getJob, listItemAttempts } from '@/lib/db/jobs-repository';
import { jobView } from '@/lib/roam/present';
import { getRuntime } from '@/lib/runtime';

export const metadata: Metadata = { title: 'Roam job' };
export const dynamic = 'force-dynamic';

function formatTime(date: Date | null): string {
  return date ? date.toISOString().replace('T', ' ').slice(0, 23) : '';
}

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser(`/history/${encodeURIComponent(id)}`);
  const { db } = await getRuntime();
  const job = await getJob(db, id);
  if (!job) notFound();
  const attempts = await listItemAttempts(db, id);

  return (
    <div className="flex flex-col gap-8">
      <div>
        <Link href="/history" className="text-sm text-blue-700 underline dark:text-blue-300">
          ← History
        </Link>
        <h1 className="mt-2 text-2xl font-semibold">
          Roam job <span className="font-mono text-xl break-all">{job.id}</span>
        </h1>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          Started {formatTime(job.createdAt)} UTC by {job.createdBy}
          {job.finishedAt ? `, finished ${formatTime(job.finishedAt)} UTC` : ''} · {job.mode}
        </p>
      </div>
      <JobProgress jobId={job.id} initialJob={jobView(job)} canOperate={roleAllows(user.role, 'operator')} />
      <section aria-labelledby="attempts-title" className="flex flex-col gap-3">
        <h2 id="attempts-title" className="text-lg font-semibold">
          Attempts ({attempts.length})
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Every call made for this job, in order: roam calls, and the checks of the target instance made
          before anything was sent again.
        </p>
        <DataTable
          caption="Attempts, oldest first"
          columns={['Started (UTC)', 'Username', 'Kind', 'Outcome', 'RequestId', 'Code', 'By']}
          minWidth="56rem"
        >
          {attempts.map((attempt) => (
            <tr key={attempt.id} className={rowClassName}>
              <td className="px-3 py-2 whitespace-nowrap">{formatTime(attempt.startedAt)}</td>
              <td className="px-3 py-2 font-mono break-all">{attempt.username}</td>
              <td className="px-3 py-2">{attempt.kind === 'roam' ? 'RoamClientUser' : 'check on target'}</td>
              <td className="px-3 py-2">{attempt.outcome ?? 'in flight'}</td>
              <td className="px-3 py-2 font-mono text-xs break-all">{attempt.requestId}</td>
              <td className="px-3 py-2 font-mono text-xs break-all">
                {attempt.errorCode}
                {attempt.httpStatus ? ` (HTTP ${attempt.httpStatus})` : ''}
              </td>
              <td className="px-3 py-2 break-all">{attempt.actor}</td>
            </tr>
          ))}
        </DataTable>
      </section>
    </div>
  );
}
