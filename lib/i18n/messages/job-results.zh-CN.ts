import type { jobResultsEn } from './job-results.en';

/** 任务视图（job-results）的简体中文文案；合并进 zh-CN.ts。键与英文一致（类型检查保证）。 */
export const jobResultsZhCN: Record<keyof typeof jobResultsEn, string> = {
  'jobResults.outcome.running': '运行中',
  'jobResults.outcome.succeeded': '已结束：全部完成',
  'jobResults.outcome.partial': '已结束，有失败',
  'jobResults.outcome.failed': '失败：全部未完成',
  'jobResults.outcome.attention': '已结束：有结果未知',
  'jobResults.outcome.cancelled': '已取消',

  'jobResults.summaryPartial': '任务已结束，有失败：{total} 个中有 {problems} 个失败或未发送；{parts}。',
  'jobResults.summaryFailed': '任务失败：{total} 个中有 {problems} 个失败或未发送；{parts}。',
  'jobResults.summaryAttention': '任务已结束，有结果未知：{total} 个中有 {unknown} 个结果未知；{parts}。',

  'jobResults.verifiedAll_one': '该用户名在 {instance} 上。',
  'jobResults.verifiedAll_other': '全部 {count} 个用户名都在 {instance} 上。',
  'jobResults.verifiedMissingTitle_one': '目标实例上缺少 {count} 个用户名',
  'jobResults.verifiedMissingTitle_other': '目标实例上缺少 {count} 个用户名',
  'jobResults.verifiedMissing_one': '{count} 个用户名中有 {present} 个在 {instance} 上；{missing} 个不存在。',
  'jobResults.verifiedMissing_other':
    '{count} 个用户名中有 {present} 个在 {instance} 上；{missing} 个不存在。',
  'jobResults.verifiedUndoAllGone_one': '该用户名已不在 {instance} 上。',
  'jobResults.verifiedUndoAllGone_other': '{count} 个用户名都已不在 {instance} 上。',
  'jobResults.verifiedUndoStillThere_one':
    '{count} 个用户名中仍有 {present} 个在 {instance} 上；{missing} 个已删除。',
  'jobResults.verifiedUndoStillThere_other':
    '{count} 个用户名中仍有 {present} 个在 {instance} 上；{missing} 个已删除。',
  'jobResults.roamAgain_one': '重新漫游缺少的用户名',
  'jobResults.roamAgain_other': '重新漫游缺少的 {count} 个用户名',
  'jobResults.roamAgainHint': '将打开漫游表单并填入这些用户名：发送之前会先显示计划。',

  'jobResults.groupsTitle': '失败原因',
  'jobResults.groupCount': '{count} ×',
  'jobResults.showUsernames_one': '显示该用户名',
  'jobResults.showUsernames_other': '显示这 {count} 个用户名',
  'jobResults.hideUsernames': '隐藏用户名',
  'jobResults.copyUsernames_one': '复制出现 {code} 的用户名',
  'jobResults.copyUsernames_other': '复制出现 {code} 的 {count} 个用户名',
  'jobResults.usernamesOf': '出现 {code} 的用户名',

  'jobResults.itemsTitle': '各用户名的结果',
  'jobResults.filterState': '显示',
  'jobResults.filterAll': '全部（{count}）',
  'jobResults.filterOption': '{state}（{count}）',
  'jobResults.search': '搜索用户名',
  'jobResults.pageSize': '每页',
  'jobResults.showing_one': '显示第 {from}–{to} 个，共 {count} 个用户名。',
  'jobResults.showing_other': '显示第 {from}–{to} 个，共 {count} 个用户名。',
  'jobResults.showingFiltered_one': '显示第 {from}–{to} 个，共 {count} 个匹配的用户名（任务共 {total} 个）。',
  'jobResults.showingFiltered_other':
    '显示第 {from}–{to} 个，共 {count} 个匹配的用户名（任务共 {total} 个）。',
  'jobResults.noMatch': '没有匹配的用户名。',
  'jobResults.showAll': '显示全部',
  'jobResults.pages': '结果分页',
  'jobResults.previous': '上一页',
  'jobResults.next': '下一页',
  'jobResults.pageOf': '第 {page} 页，共 {pages} 页',

  'jobResults.badCursor': 'since 参数不是本服务器给出的游标。',
  'jobResults.badCursorFix': '请原样（一个整数）且只传一次上一次应答给出的游标；或不传 since，读取整个任务。',
};
