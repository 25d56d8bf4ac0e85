import { startOidcSignIn } from '@/lib/auth/oidc-routes';

// "Sign in with <provider>": sends the browser to the identity provider (lib/auth/oidc.ts). 404 when single
// sign-on is not configured.

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return startOidcSignIn(request);
}
