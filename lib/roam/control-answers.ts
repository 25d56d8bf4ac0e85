import type { Translate } from '@/lib/i18n/translate';

/**
 * What a job control (cancel, retry failed, undo) answered, as counts rather than words: the job view says it
 * in the reader's language, again after a language switch, like a verify's answer (job-results.ts
 * verifyReport). Pure, no directive: the actions say it too, in the request's language, for a log or a script.
 */
export type ControlAnswer =
  /** `cancelled` usernames will not be sent; `jobEnded`: nothing was in flight, so the job has ended already. */
  | { kind: 'cancel'; cancelled: number; jobEnded: boolean }
  /** `retried` usernames get a new attempt (each checked on the target first); 0: nothing to retry. */
  | { kind: 'retry'; retried: number }
  /** An undo job was started that deletes `removing` accounts from the target. */
  | { kind: 'undo'; removing: number };

export function controlAnswerText(answer: ControlAnswer, t: Translate): string {
  switch (answer.kind) {
    case 'cancel':
      return t(answer.jobEnded ? 'jobControl.cancelled' : 'jobControl.cancelling', {
        count: answer.cancelled,
      });
    case 'retry':
      return answer.retried === 0 ? t('action.noFailed') : t('action.retrying', { count: answer.retried });
    case 'undo':
      return t('jobControl.undoStarted', { count: answer.removing });
  }
}
