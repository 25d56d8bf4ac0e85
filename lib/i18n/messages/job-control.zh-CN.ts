import type { jobControlEn } from './job-control.en';

/** 取消与撤销任务的简体中文文案；合并进 zh-CN.ts。键与英文一致（类型检查保证）。 */
export const jobControlZhCN: Record<keyof typeof jobControlEn, string> = {
  'job.status.cancelled': '已取消',
  'job.undoStatus.succeeded': '已从目标实例删除',
  'job.undoStatus.already_present': '目标实例上已不存在',
  'job.undoNotRemovedByThis': '核对时已不存在；并非本次撤销删除',

  'job.partCancelled': '{count} 个已取消',
  'job.summaryCancelled': '任务已取消：已完成 {done}/{total}，{parts}。',
  'history.statusCancelled': '已取消',
  'history.undoOf': '撤销任务',
  'jobPage.kindDelete': 'DeleteSmartAccessGatewayClientUser',
  'jobPage.attemptPages': '调用记录分页',
  'jobPage.attemptsEarlier': '更早的调用记录',
  'jobPage.attemptsLater': '更晚的调用记录',
  'jobPage.attemptsPage': '第 {from}–{to} 条，共 {total} 条（导出包含全部）',
  'job.titleUndo': '撤销任务',
  'jobPage.titleUndo': '撤销任务',
  'jobControl.region': '取消与撤销',
  'job.jobStatus.running': '运行中',
  'job.jobStatus.completed': '已完成',
  'job.jobStatus.cancelled': '已取消',
  'jobControl.cancel': '取消任务',
  'jobControl.cancelConfirm':
    '确定取消此任务？不会再发起新的调用；已发出的调用会完成并记录；尚未发送的用户名将标记为“已取消”。取消后不能继续。',
  'jobControl.cancelConfirmButton': '确定取消任务',
  'jobControl.keepRunning': '继续运行',
  'jobControl.cancelled_one': '任务已取消：{count} 个用户名未发送。',
  'jobControl.cancelled_other': '任务已取消：{count} 个用户名未发送。',
  'jobControl.cancelling_one': '正在取消：{count} 个用户名不会发送；已发出的调用先完成并记录。',
  'jobControl.cancelling_other': '正在取消：{count} 个用户名不会发送；已发出的调用先完成并记录。',
  'jobControl.cancelledBy': '由 {actor} 于 {at} 取消。',
  'jobControl.cancelRequestedBy': '{actor} 于 {at} 请求取消：已发出的调用会完成并记录，不再发起新的调用。',

  'jobControl.undo': '撤销此任务',
  'jobControl.undoChecking': '正在统计撤销将删除的账号…',
  'jobControl.undoConfirm_one':
    '从 {target} 删除此任务漫游的 {count} 个账号？只删除由本任务自己被接受的调用漫游的账号。',
  'jobControl.undoConfirm_other':
    '从 {target} 删除此任务漫游的 {count} 个账号？只删除由本任务自己被接受的调用漫游的账号。',
  'jobControl.undoKeptWithoutCall_one':
    '{count} 个在应答丢失后于目标实例上找到的用户名将保留：无法证明是本任务漫游的。',
  'jobControl.undoKeptWithoutCall_other':
    '{count} 个在应答丢失后于目标实例上找到的用户名将保留：无法证明是本任务漫游的。',
  'jobControl.undoKeptRoamedAgain_one': '{count} 个已被之后的任务再次漫游的用户名将保留。',
  'jobControl.undoKeptRoamedAgain_other': '{count} 个已被之后的任务再次漫游的用户名将保留。',
  'jobControl.undoConfirmButton': '从目标实例删除',
  'jobControl.undoBack': '返回',
  'jobControl.undoStarted_one': '撤销已开始：正在从目标实例删除 {count} 个账号。',
  'jobControl.undoStarted_other': '撤销已开始：正在从目标实例删除 {count} 个账号。',
  'jobControl.undoneBy': '已由任务 {id} 撤销（{status}）。',
  'jobControl.openUndo': '打开撤销任务',
  'jobControl.undoOf': '任务 {id} 的撤销：从 {target} 删除该任务漫游的账号。',
  'jobControl.openUndone': '打开被撤销的任务',

  'jobControl.refused.finished': '此任务已结束：没有可取消的内容。',
  'jobControl.refused.cancelled': '此任务已取消：已取消的任务不会再次发送。',
  'jobControl.refused.running': '此任务仍在运行：请先取消，或等待其结束后再撤销。',
  'jobControl.refused.undone': '此任务已被撤销（每个任务只能撤销一次）。',
  'jobControl.refused.undoOfUndo': '撤销不能再被撤销：请通过计划用新任务重新漫游这些用户名。',
  'jobControl.refused.nothingToUndo':
    '没有可撤销的内容：本任务没有被接受的调用漫游过任何账号（或之后的任务已再次漫游）。',
  'jobControl.refused.busy_one':
    '一个运行中的任务仍在向目标实例发送其中 {count} 个用户名：请等待其结束后再撤销。',
  'jobControl.refused.busy_other':
    '一个运行中的任务仍在向目标实例发送其中 {count} 个用户名：请等待其结束后再撤销。',
};
