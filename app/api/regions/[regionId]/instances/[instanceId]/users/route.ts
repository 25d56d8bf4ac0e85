import { badRequest, errorResponse, ok } from '@/lib/http/responses';
import { clientUsersQuerySchema, listClientUsers } from '@/lib/roam/directory';

export const dynamic = 'force-dynamic';

export async function GET(
  request: Request,
  { params }: { params: Promise<{ regionId: string; instanceId: string }> },
) {
  const { regionId, instanceId } = await params;
  const search = new URL(request.url).searchParams;
  const parsed = clientUsersQuerySchema.safeParse({
    regionId,
    instanceId,
    search: search.get('search') ?? '',
    page: search.get('page') ?? '1',
  });
  if (!parsed.success) return badRequest(parsed.error.issues[0]?.message ?? 'The request is not valid');
  try {
    return ok(await listClientUsers(parsed.data));
  } catch (error) {
    return errorResponse(`listing the client accounts of ${instanceId}`, error);
  }
}
