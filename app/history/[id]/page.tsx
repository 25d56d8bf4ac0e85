import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { JobProgress } from '@/components/roam/job-progress';
import { cellClassName, DataTable, rowClassName } from '@/components/ui/data-table';
import { linkClassName } from '@/components/ui/styles';
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
      <div className="flex flex-col gap-2">
        <Link href="/history" className={`self-start text-sm ${linkClassName}`}>
          {t('jobPage.back')}
        </Link>
        {/* The job view's title is the page's one title (h1), with the whole job ID. */}
        <JobProgress
          jobId={job.id}
          initialJob={jobView(job, locale)}
          canOperate={roleAllows(user.role, 'operator')}
          refreshWhenEnded
          pageTitle
          details={
            <p className="text-sm text-slate-700 dark:text-slate-300">
              {t('jobPage.started', { at: formatDateTime(locale, job.createdAt), by: job.createdBy })}
              {job.finishedAt ? t('jobPage.finished', { at: formatDateTime(locale, job.finishedAt) }) : ''} ·{' '}
              {mode}
            </p>
          }
        />
      </div>
      <section aria-labelledby="attempts-title" className="flex flex-col gap-3">
        <h2 id="attempts-title" className="text-lg font-semibold">
          {t('jobPage.attempts', { count: total })}
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t('jobPage.attemptsIntro')}</p>
        <DataTable
          caption={t('jobPage.attemptsCaption')}
          columns={[
            { label: t('jobPage.columnStarted'), className: 'whitespace-nowrap' },
            t('jobPage.columnUsername'),
            t('jobPage.columnKind'),
            { label: t('jobPage.columnOutcome'), className: 'whitespace-nowrap' },
            t('jobPage.columnRequestId'),
            t('jobPage.columnCode'),
            t('jobPage.columnBy'),
          ]}
          minWidthClass="min-w-[60rem]"
        >
          {/*
            Usernames and e-mails stay whole, not even broken at a hyphen (the table scrolls sideways inside its
            frame rather than break them); only the RequestId, a long monospace ID, wraps where the column ends.
          */}
          {attempts.map((attempt) => (
            <tr key={attempt.id} className={rowClassName}>
              <td className={`${cellClassName} whitespace-nowrap tabular-nums`}>
                {formatDateTime(locale, attempt.startedAt, true)}
              </td>
              <td className={`${cellClassName} font-mono whitespace-nowrap`}>{attempt.username}</td>
              <td className={`${cellClassName} break-words`}>{t(ATTEMPT_KIND_LABELS[attempt.kind])}</td>
              <td className={`${cellClassName} whitespace-nowrap`}>
                {attempt.outcome ? t(`jobPage.outcome.${attempt.outcome}`) : t('jobPage.inFlight')}
              </td>
              <td className={`${cellClassName} font-mono text-xs`}>
                {/* At least a third of an ID a line, so it never stands one character a line. */}
                <span className="block min-w-40 [overflow-wrap:anywhere]">{attempt.requestId}</span>
              </td>
              <td className={`${cellClassName} font-mono text-xs break-words`}>
                {attempt.errorCode}
                {attempt.httpStatus ? ` (HTTP ${attempt.httpStatus})` : ''}
              </td>
              <td className={`${cellClassName} whitespace-nowrap`}>{attempt.actor}</td>
            </tr>
          ))}
        </DataTable>
        {pages > 1 ? (
          <nav aria-label={t('jobPage.attemptPages')} className="flex flex-wrap items-center gap-3 text-sm">
            {page > 1 ? (
              <Link className={linkClassName} href={`/history/${job.id}?attempts=${page - 1}`}>
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
              <Link className={linkClassName} href={`/history/${job.id}?attempts=${page + 1}`}>
                {t('jobPage.attemptsLater')}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
