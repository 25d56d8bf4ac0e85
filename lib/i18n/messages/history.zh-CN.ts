import type { historyEn } from './history.en';

/** 历史页面的实例名称、失败标记和被忽略的筛选条件；合并进 zh-CN.ts。 */
export const historyZhCN: Record<keyof typeof historyEn, string> = {
  'history.instanceHint': '名称或 ID 的一部分，不区分大小写',
  'history.failures': '仅显示有失败的任务',
  'history.failuresHint': '有用户名失败、未发送或结果未知',
  'history.filterInstanceTooLong': '实例筛选最多 {max} 个字符',
  'history.filterInstanceCharacters': '实例筛选不能包含控制字符',
  'history.filterFailures': '失败筛选只能是 1（开启）或留空（关闭）',
  'history.ignoredValue': '已忽略“{value}”：{reason}',
  'history.ignoredHint': '列表未按这些条件筛选。请修正或清除标出的字段。',
  'history.usernameCount_one': '{count} 个用户名',
  'history.usernameCount_other': '{count} 个用户名',
  'history.byOnPhone': '操作人：{email}',
  'instanceLabel.historyLink': '源或目标为 {id} 的任务',
};
