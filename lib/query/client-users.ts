import { queryOptions } from '@tanstack/react-query';
import type { ClientUserPageView } from '@/lib/roam/view-models';
import { getJson } from './options';

/** The origin instance's client accounts, for the account picker (loaded with it). */

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
