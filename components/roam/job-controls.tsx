'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type ReactNode, type RefObject, useEffect, useRef, useState, useTransition } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { cancelJobAction, previewUndoAction, undoJobAction } from '@/lib/actions/roam/control-job';
import { jobQueryPrefix } from '@/lib/query/job';
import { type ControlAnswer, controlAnswerText } from '@/lib/roam/control-answers';
import type { JobView } from '@/lib/roam/view-models';

/**
 * The answer to the last control. A success keeps its counts, so it is said in the reader's language, again
 * after a switch; a refusal is the server's text.
 */
type Answer = { tone: 'success'; answer: ControlAnswer } | { tone: 'error'; text: string };

type Step =
  | { kind: 'idle' }
  | { kind: 'confirm-cancel' }
  | { kind: 'confirm-undo'; count: number; withoutOwnCall: number; roamedAgainLater: number };

/**
 * Cancel (a running job) and undo (a finished roam job), each asked once in words before anything changes,
 * and the record of both: who cancelled and when, which job undid this one, which job an undo undoes. The
 * server decides again under its locks; a refusal (ended meanwhile, undone by someone else) is shown as is.
 */
export function JobControls({ job, canOperate }: { job: JobView; canOperate: boolean }) {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [pending, startAction] = useTransition();
  const [message, setMessage] = useState<Answer | null>(null);
  const confirmRef = useRef<HTMLElement>(null);

  // The question comes into view with the keyboard on it, so that it is answered before anything else.
  useEffect(() => {
    if (step.kind !== 'idle') confirmRef.current?.focus();
  }, [step.kind]);

  // The name the job keeps: its plan's (migration 0009 filled it for older jobs), or for an undo job, which has
  // no plan of its own, that of the job it undoes.
  const target = job.targetInstanceName
    ? t('planPanel.instance', { name: job.targetInstanceName, id: job.targetInstanceId })
    : job.targetInstanceId;
  const running = job.status === 'running';
  const canCancel = canOperate && running && job.cancelled === null;
  const canUndo = canOperate && !running && job.kind === 'roam' && job.undoneBy === null;
  const refresh = () => queryClient.invalidateQueries({ queryKey: jobQueryPrefix(job.id) });

  const cancel = () =>
    startAction(async () => {
      const result = await cancelJobAction({ jobId: job.id });
      setStep({ kind: 'idle' });
      setMessage(
        result.ok
          ? { tone: 'success', answer: result.data.answer }
          : { tone: 'error', text: result.formError },
      );
      await refresh();
    });

  const askUndo = () =>
    startAction(async () => {
      setMessage(null);
      const result = await previewUndoAction({ jobId: job.id });
      if (!result.ok) {
        setMessage({ tone: 'error', text: result.formError });
        return;
      }
      setStep({ kind: 'confirm-undo', ...result.data });
    });

  const undo = () =>
    startAction(async () => {
      const result = await undoJobAction({ jobId: job.id });
      setStep({ kind: 'idle' });
      if (!result.ok) {
        setMessage({ tone: 'error', text: result.formError });
        await refresh();
        return;
      }
      setMessage({ tone: 'success', answer: result.data.answer });
      router.push(`/history/${result.data.undoJobId}`);
    });

  return (
    <section aria-label={t('jobControl.region')} className="space-y-3">
      {job.kind === 'undo' && job.undoesJobId ? (
        <p className="text-sm">
          {t('jobControl.undoOf', { id: job.undoesJobId.slice(0, 8), target })}{' '}
          <Link className="text-blue-700 underline dark:text-blue-300" href={`/history/${job.undoesJobId}`}>
            {t('jobControl.openUndone')}
          </Link>
        </p>
      ) : null}
      {job.undoneBy ? (
        <p className="text-sm">
          {t('jobControl.undoneBy', {
            id: job.undoneBy.id.slice(0, 8),
            status: t(`job.jobStatus.${job.undoneBy.status}`),
          })}{' '}
          <Link className="text-blue-700 underline dark:text-blue-300" href={`/history/${job.undoneBy.id}`}>
            {t('jobControl.openUndo')}
          </Link>
        </p>
      ) : null}
      {job.cancelled ? (
        <p className="text-sm">
          {t(running ? 'jobControl.cancelRequestedBy' : 'jobControl.cancelledBy', {
            actor: job.cancelled.by,
            at: formatDateTime(job.cancelled.at),
          })}
        </p>
      ) : null}

      {step.kind === 'confirm-cancel' ? (
        <Confirmation
          ref={confirmRef}
          label={t('jobControl.cancel')}
          pending={pending}
          confirm={{ label: t('jobControl.cancelConfirmButton'), onClick: cancel }}
          back={{ label: t('jobControl.keepRunning'), onClick: () => setStep({ kind: 'idle' }) }}
        >
          <p className="text-sm">{t('jobControl.cancelConfirm')}</p>
        </Confirmation>
      ) : null}

      {step.kind === 'confirm-undo' ? (
        <Confirmation
          ref={confirmRef}
          label={t('jobControl.undo')}
          pending={pending}
          confirm={{ label: t('jobControl.undoConfirmButton'), onClick: undo }}
          back={{ label: t('jobControl.undoBack'), onClick: () => setStep({ kind: 'idle' }) }}
        >
          <p className="text-sm font-medium">{t('jobControl.undoConfirm', { count: step.count, target })}</p>
          {step.withoutOwnCall > 0 ? (
            <p className="text-sm">{t('jobControl.undoKeptWithoutCall', { count: step.withoutOwnCall })}</p>
          ) : null}
          {step.roamedAgainLater > 0 ? (
            <p className="text-sm">{t('jobControl.undoKeptRoamedAgain', { count: step.roamedAgainLater })}</p>
          ) : null}
        </Confirmation>
      ) : null}

      {step.kind === 'idle' && (canCancel || canUndo) ? (
        <div className="flex flex-wrap gap-2">
          {canCancel ? (
            <Button
              variant="secondary"
              disabled={pending}
              onClick={() => setStep({ kind: 'confirm-cancel' })}
            >
              {t('jobControl.cancel')}
            </Button>
          ) : null}
          {canUndo ? (
            <Button variant="secondary" disabled={pending} onClick={askUndo}>
              {pending ? t('jobControl.undoChecking') : t('jobControl.undo')}
            </Button>
          ) : null}
        </div>
      ) : null}

      {message ? (
        <Alert tone={message.tone} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.tone === 'success' ? controlAnswerText(message.answer, t) : message.text}
        </Alert>
      ) : null}
    </section>
  );
}

/** A question asked in words before something that cannot be taken back, with the keyboard on it. */
function Confirmation({
  ref,
  label,
  pending,
  confirm,
  back,
  children,
}: {
  ref: RefObject<HTMLElement | null>;
  label: string;
  pending: boolean;
  confirm: { label: string; onClick: () => void };
  back: { label: string; onClick: () => void };
  children: ReactNode;
}) {
  return (
    <section
      ref={ref}
      tabIndex={-1}
      aria-label={label}
      className="space-y-2 rounded-md border border-red-300 p-3 dark:border-red-800"
    >
      {children}
      <div className="flex flex-wrap gap-2">
        <Button variant="danger" disabled={pending} onClick={confirm.onClick}>
          {confirm.label}
        </Button>
        <Button variant="secondary" disabled={pending} onClick={back.onClick}>
          {back.label}
        </Button>
      </div>
    </section>
  );
}
