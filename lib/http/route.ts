import 'server-only';
import { authorize, type CurrentUser } from '@/lib/auth/guard';
import type { Role } from '@/lib/auth/roles';
import { errorResponse, jsonError } from './responses';

/**
 * The one wrapper every route handler goes through: check the session and role first (a denied request
 * makes no outbound call and reads nothing), then run; unexpected errors are logged with a reference.
 */
export function withRoute<Params>(
  role: Role,
  name: string,
  handler: (request: Request, params: Params, user: CurrentUser) => Promise<Response>,
): (request: Request, context: { params: Promise<Params> }) => Promise<Response> {
  return async (request, context) => {
    const authorization = await authorize(role);
    if (!authorization.ok) {
      return jsonError(
        authorization.status,
        authorization.status === 401 ? 'Unauthenticated' : 'Forbidden',
        authorization.message,
        authorization.status === 401
          ? 'Sign in, then try again.'
          : 'Ask an admin for a role that allows this.',
      );
    }
    try {
      return await handler(request, await context.params, authorization.user);
    } catch (error) {
      return errorResponse(name, error);
    }
  };
}
