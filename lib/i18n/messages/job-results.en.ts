/** English messages of the job results part of the job view; merged into en.ts. */
export const jobResultsEn = {} as const;
