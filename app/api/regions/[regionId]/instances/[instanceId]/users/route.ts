import { badRequest, ok } from '@/lib/http/responses';
import { withRoute } from '@/lib/http/route';
import { createClientUsersQuerySchema, listClientUsers } from '@/lib/roam/directory';

export const dynamic = 'force-dynamic';

export const GET = withRoute<{ regionId: string; instanceId: string }>(
  'operator',
  'listing client accounts',
  async (request, { regionId, instanceId }, { t }) => {
    const search = new URL(request.url).searchParams;
    const parsed = createClientUsersQuerySchema(t).safeParse({
      regionId,
      instanceId,
      search: search.get('search') ?? '',
      page: search.get('page') ?? '1',
      all: search.get('all') ?? undefined,
    });
    if (!parsed.success) return badRequest(parsed.error.issues[0]?.message ?? t('action.invalid'));
    return ok(await listClientUsers(parsed.data, request.signal));
  },
);
