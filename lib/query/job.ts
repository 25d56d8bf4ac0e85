import { queryOptions } from '@tanstack/react-query';
import type { Locale } from '@/lib/i18n/locales';
import { mergeJobChanges } from '@/lib/roam/job-changes';
import type { JobChangesView, JobView } from '@/lib/roam/view-models';
import { getJson } from './options';

/**
 * A job, polled every second while it runs. The first read is the whole job (or the server-rendered one);
 * each poll after it sends the cursor of the job shown and gets only what changed since, merged here. An
 * answer that cannot be merged (an item the job shown does not have) is followed by a whole read.
 *
 * The server writes the job's error texts in the reader's language, so the language is part of the key: after
 * a switch the job is read again in the new one (a whole read, as nothing of it is cached in that language),
 * even when it has ended and is no longer polled. `['job', jobId]` still matches every language's copy, for
 * an invalidation after an action.
 */
export const jobQuery = (jobId: string, locale: Locale) =>
  queryOptions({
    queryKey: ['job', jobId, locale],
    queryFn: async ({ signal, client, queryKey }) => {
      const path = `/api/jobs/${encodeURIComponent(jobId)}`;
      const shown = client.getQueryData<{ job: JobView }>(queryKey)?.job;
      if (shown) {
        const changes = await getJson<JobChangesView>(
          `${path}?${new URLSearchParams({ since: shown.cursor })}`,
          signal,
        );
        const merged = mergeJobChanges(shown, changes);
        if (merged) return { job: merged };
      }
      return getJson<{ job: JobView }>(path, signal);
    },
    // Poll while the job runs; stop once it has ended.
    refetchInterval: (query) => (query.state.data?.job.status === 'running' ? 1000 : false),
  });

/** What invalidates a job after an action, in every language it was read in. */
export const jobQueryPrefix = (jobId: string) => ['job', jobId] as const;
