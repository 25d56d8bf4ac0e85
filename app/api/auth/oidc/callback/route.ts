import { finishOidcSignIn } from '@/lib/auth/oidc-routes';

// Where the identity provider sends the browser back (the redirect URI: APP_URL/api/auth/oidc/callback).
// 404 when single sign-on is not configured.

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return finishOidcSignIn(request);
}
