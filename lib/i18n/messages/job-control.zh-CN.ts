import type { jobControlEn } from './job-control.en';

/** 任务视图（job-control）的简体中文文案；合并进 zh-CN.ts。键与英文一致（类型检查保证）。 */
export const jobControlZhCN: Record<keyof typeof jobControlEn, string> = {};
