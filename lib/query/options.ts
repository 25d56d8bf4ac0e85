import { queryOptions } from '@tanstack/react-query';
import { mergeJobChanges } from '@/lib/roam/job-changes';
import type {
  ClientUserPageView,
  ErrorView,
  InstanceView,
  JobChangesView,
  JobView,
  RegionView,
} from '@/lib/roam/view-models';

/**
 * Every read the browser makes, as TanStack Query options in one place. Each goes to a route handler under
 * /api; a failed answer becomes an `ApiError` carrying the admin-facing error the handler sent.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly view: ErrorView,
  ) {
    super(view.title);
    this.name = 'ApiError';
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  const body = (await response.json().catch(() => null)) as { error?: ErrorView } | null;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      body?.error ?? {
        code: `HTTP${response.status}`,
        title: response.statusText || `HTTP ${response.status}`,
        fix: '',
        message: response.statusText,
        requestId: null,
      },
    );
  }
  return body as T;
}

/** Region names come in the interface language (the server reads it from the request). */
export const regionsQuery = (locale: string) =>
  queryOptions({
    queryKey: ['regions', locale],
    queryFn: ({ signal }) => getJson<{ regions: RegionView[] }>('/api/regions', signal),
    staleTime: 60 * 60 * 1000,
  });

export const instancesQuery = (regionId: string) =>
  queryOptions({
    queryKey: ['instances', regionId],
    queryFn: ({ signal }) =>
      getJson<{ instances: InstanceView[] }>(
        `/api/regions/${encodeURIComponent(regionId)}/instances`,
        signal,
      ),
    enabled: regionId !== '',
    staleTime: 60 * 1000,
    retry: false,
  });

export const clientUsersQuery = (regionId: string, instanceId: string, search: string, page: number) =>
  queryOptions({
    queryKey: ['client-users', regionId, instanceId, search, page],
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ page: String(page) });
      if (search) params.set('search', search);
      return getJson<ClientUserPageView>(
        `/api/regions/${encodeURIComponent(regionId)}/instances/${encodeURIComponent(instanceId)}/users?${params}`,
        signal,
      );
    },
    enabled: regionId !== '' && instanceId !== '',
    staleTime: 30 * 1000,
    retry: false,
  });

/** Every account of the instance matching `search`, listed by the server (the picker's "select all"). */
export const allClientUsersQuery = (regionId: string, instanceId: string, search: string) =>
  queryOptions({
    queryKey: ['client-users', regionId, instanceId, search, 'all'],
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ all: 'true' });
      if (search) params.set('search', search);
      return getJson<ClientUserPageView>(
        `/api/regions/${encodeURIComponent(regionId)}/instances/${encodeURIComponent(instanceId)}/users?${params}`,
        signal,
      );
    },
    staleTime: 30 * 1000,
    retry: false,
  });

/**
 * A job, polled every second while it runs. The first read is the whole job (or the server-rendered one);
 * each poll after it sends the cursor of the job shown and gets only what changed since, merged here. An
 * answer that cannot be merged (an item the job shown does not have) is followed by a whole read.
 */
export const jobQuery = (jobId: string) =>
  queryOptions({
    queryKey: ['job', jobId],
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
