import { Badge } from '@/components/ui/badge';
import type { Translate } from '@/lib/i18n/translate';
import { JOB_OUTCOMES, jobOutcome } from '@/lib/roam/job-results';

/**
 * How a job went, as a badge: the job view's header and the history list say it the same way, so a job
 * with failures never reads as a plain success in either. No hooks: it renders on the server too.
 */
export function JobOutcomeBadge({ job, t }: { job: Parameters<typeof jobOutcome>[0]; t: Translate }) {
  const outcome = JOB_OUTCOMES[jobOutcome(job)];
  return <Badge tone={outcome.tone}>{t(outcome.label)}</Badge>;
}
