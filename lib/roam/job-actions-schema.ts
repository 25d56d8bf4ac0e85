import { z } from 'zod/mini';
import type { Translate } from '@/lib/i18n/translate';
import { UUID_PATTERN } from '@/lib/uuid';

/** Input of the per-job actions (verify on target, retry failed). No directive: shared by client and server. */
export const createJobReferenceSchema = (t: Translate) =>
  z.object({
    jobId: z.string().check(z.regex(UUID_PATTERN, t('action.notJobId'))),
  });
