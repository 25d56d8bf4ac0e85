import type { jobResultsEn } from './job-results.en';

/** 任务视图（job-results）的简体中文文案；合并进 zh-CN.ts。键与英文一致（类型检查保证）。 */
export const jobResultsZhCN: Record<keyof typeof jobResultsEn, string> = {};
