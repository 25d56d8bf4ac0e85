/** English messages of the job control part of the job view; merged into en.ts. */
export const jobControlEn = {} as const;
