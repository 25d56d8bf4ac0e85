import { type NextRequest, NextResponse } from 'next/server';
import { securityHeaders, servedOverHttps } from '@/lib/security/headers';

/**
 * Adds the security headers (with a fresh CSP nonce) to every response. Authentication is NOT decided
 * here: every page, route handler and server action checks the session itself.
 */
export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const headers = securityHeaders({
    nonce,
    https: servedOverHttps(request.nextUrl, request.headers.get('x-forwarded-proto')),
    development: process.env.NODE_ENV === 'development',
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', headers['Content-Security-Policy'] ?? '');
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
