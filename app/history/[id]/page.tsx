import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { JobProgress } from '@/components/roam/job-progress';
import { DataTable, rowClassName } from '@/components/ui/data-table';
import { requirePageUser } from '@/lib/auth/guard';
import { roleAllows } from '@/lib/auth/roles';
import { countJobAttempts, getJob, listItemAttempts } from '@/lib/db/jobs';
import { getI18n } from '@/lib/i18n/server';
import { formatDateTime, type TranslationKey } from '@/lib/i18n/translate';
import { jobView } from '@/lib/roam/present';
import { getRuntime } from '@/lib/runtime';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('jobPage.title') };
}
export const dynamic = 'force-dynamic';

const ATTEMPT_KIND_LABELS = {
  roam: 'jobPage.kindRoam',
  delete: 'jobPage.kindDelete',
  check: 'jobPage.kindCheck',
} as const satisfies Record<string, TranslationKey>;

/** Attempts shown a page at a time: a job of 2,000 usernames has thousands, and the export has them all. */
const ATTEMPTS_PAGE_SIZE = 200;

export default async function JobPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams?: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const query = (await searchParams) ?? {};
  const user = await requirePageUser(`/history/${encodeURIComponent(id)}`);
  const { locale, t } = await getI18n(user);
  const { db } = await getRuntime();
  const job = await getJob(db, id);
  if (!job) notFound();
  const total = await countJobAttempts(db, id);
  const pages = Math.max(1, Math.ceil(total / ATTEMPTS_PAGE_SIZE));
  // Anything but a whole number in range shows the first page.
  const asked =
    typeof query.attempts === 'string' && /^[1-9][0-9]{0,6}$/.test(query.attempts)
      ? Number(query.attempts)
      : 1;
  const page = Math.min(asked, pages);
  const attempts = await listItemAttempts(db, id, { page: { page, pageSize: ATTEMPTS_PAGE_SIZE } });
  const mode = t(`jobPage.mode.${job.mode}` as TranslationKey);

  return (
    <div className="flex flex-col gap-8">
      <div>
        <Link href="/history" className="text-sm text-blue-700 underline dark:text-blue-300">
          {t('jobPage.back')}
        </Link>
        <h1 className="mt-2 text-2xl font-semibold">
          {t(job.kind === 'undo' ? 'jobPage.titleUndo' : 'jobPage.title')}{' '}
          <span className="font-mono text-xl break-all">{job.id}</span>
        </h1>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          {t('jobPage.started', { at: formatDateTime(locale, job.createdAt), by: job.createdBy })}
          {job.finishedAt ? t('jobPage.finished', { at: formatDateTime(locale, job.finishedAt) }) : ''} ·{' '}
          {mode}
        </p>
      </div>
      <JobProgress
        jobId={job.id}
        initialJob={jobView(job, locale)}
        canOperate={roleAllows(user.role, 'operator')}
        refreshWhenEnded
      />
      <section aria-labelledby="attempts-title" className="flex flex-col gap-3">
        <h2 id="attempts-title" className="text-lg font-semibold">
          {t('jobPage.attempts', { count: total })}
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t('jobPage.attemptsIntro')}</p>
        <DataTable
          caption={t('jobPage.attemptsCaption')}
          columns={[
            t('jobPage.columnStarted'),
            t('jobPage.columnUsername'),
            t('jobPage.columnKind'),
            t('jobPage.columnOutcome'),
            t('jobPage.columnRequestId'),
            t('jobPage.columnCode'),
            t('jobPage.columnBy'),
          ]}
          minWidthClass="min-w-[56rem]"
        >
          {attempts.map((attempt) => (
            <tr key={attempt.id} className={rowClassName}>
              <td className="px-3 py-2 whitespace-nowrap">
                {formatDateTime(locale, attempt.startedAt, true)}
              </td>
              <td className="px-3 py-2 font-mono break-all">{attempt.username}</td>
              <td className="px-3 py-2">{t(ATTEMPT_KIND_LABELS[attempt.kind])}</td>
              <td className="px-3 py-2">
                {attempt.outcome ? t(`jobPage.outcome.${attempt.outcome}`) : t('jobPage.inFlight')}
              </td>
              <td className="px-3 py-2 font-mono text-xs break-all">{attempt.requestId}</td>
              <td className="px-3 py-2 font-mono text-xs break-all">
                {attempt.errorCode}
                {attempt.httpStatus ? ` (HTTP ${attempt.httpStatus})` : ''}
              </td>
              <td className="px-3 py-2 break-all">{attempt.actor}</td>
            </tr>
          ))}
        </DataTable>
        {pages > 1 ? (
          <nav aria-label={t('jobPage.attemptPages')} className="flex flex-wrap items-center gap-3 text-sm">
            {page > 1 ? (
              <Link
                className="text-blue-700 underline dark:text-blue-300"
                href={`/history/${job.id}?attempts=${page - 1}`}
              >
                {t('jobPage.attemptsEarlier')}
              </Link>
            ) : null}
            <span>
              {t('jobPage.attemptsPage', {
                from: (page - 1) * ATTEMPTS_PAGE_SIZE + 1,
                to: (page - 1) * ATTEMPTS_PAGE_SIZE + attempts.length,
                total,
              })}
            </span>
            {page < pages ? (
              <Link
                className="text-blue-700 underline dark:text-blue-300"
                href={`/history/${job.id}?attempts=${page + 1}`}
              >
                {t('jobPage.attemptsLater')}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
