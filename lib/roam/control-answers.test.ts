import { describe, expect, it } from 'vitest';
import { MESSAGES } from '@/lib/i18n/messages';
import { createTranslator } from '@/lib/i18n/translate';
import { type ControlAnswer, controlAnswerText } from './control-answers';

const en = createTranslator('en', MESSAGES.en);
const zh = createTranslator('zh-CN', MESSAGES['zh-CN']);

describe("a job control's answer, said from its counts", () => {
  it.each<[ControlAnswer, string, string]>([
    [
      { kind: 'cancel', cancelled: 3, jobEnded: true },
      'Job cancelled: 3 usernames were not sent.',
      '任务已取消：3 个用户名未发送。',
    ],
    [
      { kind: 'cancel', cancelled: 1, jobEnded: false },
      'Cancelling: 1 username will not be sent; the calls already sent finish and are recorded first.',
      '正在取消：1 个用户名不会发送；已发出的调用先完成并记录。',
    ],
    [
      { kind: 'retry', retried: 3 },
      '3 items will be checked on the target and sent again if missing.',
      '3 个条目将先在目标实例上核对，不存在时重新发送。',
    ],
    [{ kind: 'retry', retried: 0 }, 'No failed item to retry.', '没有需要重试的失败项。'],
    [
      { kind: 'undo', removing: 1200 },
      'Undo started: 1,200 accounts are being removed from the target.',
      '撤销已开始：正在从目标实例删除 1,200 个账号。',
    ],
  ])('%o in English and in Chinese', (answer, english, chinese) => {
    expect(controlAnswerText(answer, en)).toBe(english);
    expect(controlAnswerText(answer, zh)).toBe(chinese);
  });
});
