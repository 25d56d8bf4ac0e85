import { queryOptions } from '@tanstack/react-query';
import type { ErrorView, InstanceView, RegionView } from '@/lib/roam/view-models';

/**
 * The reads the roam form's first screen makes (regions, instances), as TanStack Query options; the others are
 * beside it, in the modules of the views that make them (./client-users for the account picker, ./job for a
 * job), so that they load with those views. Each goes to a route handler under /api; a failed answer becomes
 * an `ApiError` carrying the admin-facing error the handler sent.
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

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
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
