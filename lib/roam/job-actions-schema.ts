import { z } from 'zod/mini';

/** Input of the per-job actions (verify on target, retry failed). No directive: shared by client and server. */
export const jobReferenceSchema = z.object({
  jobId: z
    .string()
    .check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'Not a job ID')),
});
