import { z } from 'zod/mini';
import type { Translate } from '@/lib/i18n/translate';

/** Input of the per-job actions (verify on target, retry failed). No directive: shared by client and server. */
export const createJobReferenceSchema = (t: Translate) =>
  z.object({
    jobId: z
      .string()
      .check(
        z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, t('action.notJobId')),
      ),
  });
