'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type ReactNode, useEffect, useMemo, useRef, useState, useTransition } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { linkClassName } from '@/components/ui/styles';
import { retryFailedItemsAction } from '@/lib/actions/roam/retry-failed-items';
import { type VerifyResult, verifyJobOnTargetAction } from '@/lib/actions/roam/verify-job-on-target';
import { jobQuery, jobQueryPrefix } from '@/lib/query/job';
import { ApiError } from '@/lib/query/options';
import { type ControlAnswer, controlAnswerText } from '@/lib/roam/control-answers';
import { failureGroups, jobSummary, verifyReport } from '@/lib/roam/job-results';
import type { ErrorView, JobView } from '@/lib/roam/view-models';
import { InstanceLabel } from './instance-label';
import { JobControls } from './job-controls';
import { FailureGroups } from './job-results/failure-groups';
import { ItemsTable } from './job-results/items-table';
import { JobOutcomeBadge } from './job-results/outcome-badge';
import { ResultsOverview } from './job-results/results-overview';
import { StoredPlanBlock } from './plan-details';

/** Why the job stopped sending, once for all its items, and how it goes on. */
function StoppedBanner({ stopped }: { stopped: ErrorView }) {
  const { t } = useI18n();
  return (
    <Alert tone="error" title={t('job.stoppedTitle', { title: stopped.title })}>
      <p>{stopped.fix}</p>
      <p className="mt-1 text-xs">
        {t('job.stoppedCode')} <code className="break-all">{stopped.code}</code>
        {stopped.requestId ? (
          <>
            {' · '}
            {t('job.requestId')} <code className="break-all">{stopped.requestId}</code>{' '}
            <CopyButton value={stopped.requestId} label={t('job.copyStoppedRequestId')} />
          </>
        ) : null}
      </p>
      <p className="mt-2">{t('job.stoppedResume')}</p>
    </Alert>
  );
}

/**
 * Live progress and results of one roam job, polled (changes only) until it ends; the same view after a reload
 * or elsewhere. Results read at a glance: how the job went (a badge in the header), the bar and counts by
 * outcome, the failures grouped by cause, then every username a page at a time.
 */
export function JobProgress({
  jobId,
  initialJob,
  canOperate,
  refreshWhenEnded = false,
  pageTitle = false,
  details,
}: {
  jobId: string;
  /** The job as the server rendered it with the page (or answered it), in the language of that moment. */
  initialJob: JobView | null;
  /** Verify and retry are for operators and admins; viewers see the results only. */
  canOperate: boolean;
  /**
   * Renders the page again on the server once the job ends: the job page's attempts are read there, and
   * would otherwise go on listing only the attempts made before the page was opened.
   */
  refreshWhenEnded?: boolean;
  /**
   * The job's title is the page's own (its h1, with the whole job ID): the job page has no other title. Under
   * the roam form it is a section heading, with the short ID linking to the job's page.
   */
  pageTitle?: boolean;
  /** Facts shown under the title (the job page: who started it, when, against what). */
  details?: ReactNode;
}) {
  const { t, locale } = useI18n();
  const router = useRouter();
  // The initial job's texts are in the language it was rendered in: it stands for that language only. After a
  // switch the job is read in the new one, and the one shown stays until it arrives (no "loading" in between).
  const [initialLocale] = useState(locale);
  const query = useQuery({
    ...jobQuery(jobId, locale),
    initialData: initialJob && locale === initialLocale ? { job: initialJob } : undefined,
    placeholderData: (previous) => (previous?.job.id === jobId ? previous : undefined),
  });
  const job = query.data?.job;
  const seenStatus = useRef(job?.status);
  useEffect(() => {
    if (refreshWhenEnded && seenStatus.current === 'running' && job && job.status !== 'running')
      router.refresh();
    seenStatus.current = job?.status;
  }, [refreshWhenEnded, job, router]);
  const items = job?.items;
  // Grouped again only when an item changed: a poll with no change keeps the same items array.
  const groups = useMemo(() => (items ? failureGroups(items) : []), [items]);

  if (query.isPending) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">{t('job.loading')}</p>;
  }
  if (query.isError || !job) {
    return (
      <Alert tone="error" role="alert" title={t('job.cannotShow')}>
        {query.error instanceof ApiError
          ? `${query.error.view.title} ${query.error.view.fix}`
          : t('job.reload')}
      </Alert>
    );
  }

  const Heading = pageTitle ? 'h1' : 'h2';
  return (
    <section aria-labelledby={`job-${job.id}-title`} className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div className="flex min-w-0 flex-col gap-1">
          <Heading
            id={`job-${job.id}-title`}
            className={`flex flex-wrap items-center gap-2 font-semibold ${pageTitle ? 'text-2xl' : 'text-lg'}`}
          >
            <span className="min-w-0 break-words">
              {t(job.kind === 'undo' ? 'job.titleUndo' : 'job.title')}{' '}
              {pageTitle ? (
                <span className="font-mono text-lg break-all">{job.id}</span>
              ) : (
                <Link className={`font-mono text-base ${linkClassName}`} href={`/history/${job.id}`}>
                  {job.id.slice(0, 8)}
                </Link>
              )}
            </span>
            <JobOutcomeBadge job={job} t={t} />
          </Heading>
          {details}
        </div>
        <p className="flex min-w-0 flex-wrap items-baseline gap-x-2 gap-y-1 text-sm text-slate-600 dark:text-slate-400">
          <InstanceLabel
            instanceId={job.originInstanceId}
            name={job.originInstanceName}
            regionId={job.originRegionId}
            t={t}
          />{' '}
          <span>→</span>{' '}
          <InstanceLabel
            instanceId={job.targetInstanceId}
            name={job.targetInstanceName}
            regionId={job.targetRegionId}
            t={t}
          />
        </p>
      </div>
      {job.stopped ? <StoppedBanner stopped={job.stopped} /> : null}
      <ResultsOverview counts={job.counts} />
      <p role="status" aria-live="polite" className="text-sm font-medium">
        {jobSummary(job, t)}
      </p>
      <JobActions job={job} canOperate={canOperate} />
      <FailureGroups groups={groups} headingLevel={pageTitle ? 2 : 3} />
      <ItemsTable job={job} headingLevel={pageTitle ? 2 : 3} />
      {job.plan ? <StoredPlanBlock plan={job.plan} /> : null}
    </section>
  );
}

/**
 * The answer to the last action of the job view. A verify and a retry keep their counts, so they are said in
 * the reader's language, again after a switch; a refusal is the server's text.
 */
type ActionAnswer =
  | { kind: 'verify'; found: VerifyResult }
  | { kind: 'control'; answer: ControlAnswer }
  | { kind: 'message'; tone: 'error'; text: string };

/**
 * What can be done with the job, in one block: verify, retry, export, and the answer to the last of them.
 * Operators and admins only, apart from the export.
 */
function JobActions({ job, canOperate }: { job: JobView; canOperate: boolean }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [pending, startAction] = useTransition();
  const [answer, setAnswer] = useState<ActionAnswer | null>(null);
  const jobId = job.id;
  const run = <Data,>(
    action: () => Promise<{ ok: true; data: Data } | { ok: false; formError: string }>,
    answered: (data: Data) => ActionAnswer,
  ) =>
    startAction(async () => {
      const result = await action();
      setAnswer(
        result.ok ? answered(result.data) : { kind: 'message', tone: 'error', text: result.formError },
      );
      await queryClient.invalidateQueries({ queryKey: jobQueryPrefix(jobId) });
    });

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        {canOperate ? (
          <>
            <Button
              variant="secondary"
              disabled={pending}
              onClick={() =>
                run(
                  () => verifyJobOnTargetAction({ jobId }),
                  (found) => ({ kind: 'verify', found }),
                )
              }
            >
              {t('job.verify')}
            </Button>
            <Button
              variant="secondary"
              disabled={
                pending ||
                // A cancelled roam job is not sent again; a cancelled undo goes on with its cancelled deletes.
                (job.cancelled !== null && job.kind === 'roam') ||
                job.counts.failed +
                  job.counts.unknown +
                  job.counts.notSent +
                  (job.kind === 'undo' ? job.counts.cancelled : 0) ===
                  0
              }
              onClick={() =>
                run(
                  () => retryFailedItemsAction({ jobId }),
                  (data) => ({ kind: 'control', answer: data.answer }),
                )
              }
            >
              {t('job.retry')}
            </Button>
          </>
        ) : null}
        <a
          className="inline-flex items-center rounded-md px-3 py-2 text-sm font-medium text-blue-700 underline hover:bg-blue-50 dark:text-blue-300 dark:hover:bg-slate-800"
          href={`/api/jobs/${job.id}/export`}
        >
          {t('job.export')}
        </a>
      </div>
      {answer?.kind === 'verify' ? <VerifyAnswer job={job} found={answer.found} /> : null}
      {answer?.kind === 'control' ? (
        <Alert tone="success" role="status">
          {controlAnswerText(answer.answer, t)}
        </Alert>
      ) : null}
      {answer?.kind === 'message' ? (
        <Alert tone={answer.tone} role={answer.tone === 'error' ? 'alert' : 'status'}>
          {answer.text}
        </Alert>
      ) : null}
      <JobControls job={job} canOperate={canOperate} />
    </div>
  );
}

/**
 * What "Verify on target" found: a success when the target holds what the job should have left there, a
 * warning otherwise; for a roam job with usernames missing, the way to roam them again (the roam form, filled
 * from the job, shows the plan before anything is sent).
 */
function VerifyAnswer({ job, found }: { job: JobView; found: VerifyResult }) {
  const { t } = useI18n();
  const name = job.targetInstanceName;
  const instance = name ? `${name} (${job.targetInstanceId})` : job.targetInstanceId;
  const report = verifyReport(job, found, instance, t);
  return (
    <Alert
      tone={report.tone}
      role="status"
      title={
        report.roamAgain > 0 ? t('jobResults.verifiedMissingTitle', { count: report.roamAgain }) : undefined
      }
      actions={
        report.roamAgain > 0 ? (
          <>
            <Link className={`font-medium ${linkClassName}`} href={`/?again=${encodeURIComponent(job.id)}`}>
              {t('jobResults.roamAgain', { count: report.roamAgain })}
            </Link>
            <span className="text-xs">{t('jobResults.roamAgainHint')}</span>
          </>
        ) : undefined
      }
    >
      {report.text}
    </Alert>
  );
}
