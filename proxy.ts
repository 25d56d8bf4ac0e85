import { type NextRequest, NextResponse } from 'next/server';
import {
  type ActionRequestShape,
  checkActionBody,
  isPossibleActionRequest,
  type PayloadProblem,
  readBodyUpTo,
} from '@/lib/security/action-payload';
import { securityHeaders, servedOverHttps } from '@/lib/security/headers';

/**
 * Adds the security headers (with a fresh CSP nonce) to every response, and refuses a server action request
 * whose body Next.js could not decode (lib/security/action-payload.ts): a 400 and one log line instead of
 * Next.js's 500 with a stack trace. The proxy sees a copy of the body; Next.js reads the original after it.
 * Authentication is NOT decided here: every page, route handler and server action checks the session itself.
 */
/**
 * The identity provider's origin (OIDC_ISSUER), read once. lib/config.ts validates the variable at start-up and
 * stops a bad one; here a value that is not a URL only leaves the list empty.
 */
const identityProviderOrigins: string[] = (() => {
  try {
    return process.env.OIDC_ISSUER ? [new URL(process.env.OIDC_ISSUER.trim()).origin] : [];
  } catch {
    return [];
  }
})();

export async function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const headers = securityHeaders({
    nonce,
    https: servedOverHttps(request.nextUrl, request.headers.get('x-forwarded-proto')),
    development: process.env.NODE_ENV === 'development',
    formActionOrigins: identityProviderOrigins,
  });
  const problem = await malformedAction(request);
  if (problem) {
    const refusal = new NextResponse(
      problem.status === 413 ? 'The request is too large.\n' : 'Malformed server action request.\n',
      {
        status: problem.status,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      },
    );
    for (const [name, value] of Object.entries(headers)) refusal.headers.set(name, value);
    return refusal;
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', headers['Content-Security-Policy'] ?? '');
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

async function malformedAction(request: NextRequest): Promise<PayloadProblem | null> {
  const shape: ActionRequestShape = {
    method: request.method,
    actionId: request.headers.get('next-action'),
    contentType: request.headers.get('content-type'),
  };
  if (!isPossibleActionRequest(shape)) return null;
  const problem = await checkActionBody(shape, await readBodyUpTo(request.body));
  if (problem) {
    // One line, and nothing of the body: it is the sender's, not ours.
    console.warn(
      `sag-roam: refused a server action request with ${problem.status}: ${request.method} ${request.nextUrl.pathname}: ${problem.reason}`,
    );
  }
  return problem;
}
