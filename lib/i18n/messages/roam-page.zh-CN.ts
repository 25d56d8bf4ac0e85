import type { roamPageEn } from './roam-page.en';

/** 漫游页面表单周边的文案（运行中的任务、结果栏）；并入 zh-CN.ts。 */
export const roamPageZhCN: Record<keyof typeof roamPageEn, string> = {
  'roamPage.runningTitle': '你的运行中任务',
  'roamPage.runningNone': '你没有正在运行的任务。',
  'roamPage.runningRow': '已完成 {done}/{total}',
  'roamPage.runningOpen': '打开任务 {id}',
  'roamPage.runningMore_one': '这里只列出你最新的 {count} 个运行中任务；历史中可查看全部。',
  'roamPage.runningMore_other': '这里只列出你最新的 {count} 个运行中任务；历史中可查看全部。',
  'roamPage.runningHistory': '在历史中查看所有运行中任务',
  'roamPage.outcomeTitle': '计划与进度',
  'roamPage.outcomeHint':
    '选择源和目标实例、添加用户名并点击“漫游”：发送前计划会显示在这里，之后显示任务进度。',
  'roamPage.jobRegion': '刚开始的任务',
  'roamPage.againNotice_one': '任务 {id} 核对时目标实例上缺失的 {count} 个用户名。请查看计划，然后重新漫游。',
  'roamPage.againNotice_other':
    '任务 {id} 核对时目标实例上缺失的 {count} 个用户名。请查看计划，然后重新漫游。',
  'roamPage.againNone': '任务 {id} 没有在目标实例上缺失、需要重新漫游的用户名。',
};
