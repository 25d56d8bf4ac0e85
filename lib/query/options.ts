import { queryOptions } from '@tanstack/react-query';
import type {
  ClientUserPageView,
  ErrorView,
  InstanceView,
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

export const jobQuery = (jobId: string) =>
  queryOptions({
    queryKey: ['job', jobId],
    queryFn: ({ signal }) => getJson<{ job: JobView }>(`/api/jobs/${encodeURIComponent(jobId)}`, signal),
    // Poll while the job runs; stop once it has completed.
    refetchInterval: (query) => (query.state.data?.job.status === 'completed' ? false : 1000),
  });
