import 'server-only';
import type { ControlAnswer } from '@/lib/roam/control-answers';
import { controlAnswerText } from '@/lib/roam/control-answers';
import type { ActionContext } from '../action';

/**
 * A job control's answer (cancel, retry failed, undo): its counts, which the job view says in the reader's
 * language (again after a switch), and the same in words in the language of the request, for a log or a script.
 */
export interface ControlResult<Answer extends ControlAnswer = ControlAnswer> {
  answer: Answer;
  message: string;
}

export function answered<Answer extends ControlAnswer>(
  answer: Answer,
  context: Pick<ActionContext, 't'>,
): ControlResult<Answer> {
  return { answer, message: controlAnswerText(answer, context.t) };
}
