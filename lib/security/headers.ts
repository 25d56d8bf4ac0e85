/**
 * The security headers of every response, built once per request by proxy.ts. No directive and no Node
 * APIs: the proxy runs this on every request.
 *
 * - Scripts: only ours, by nonce ('strict-dynamic' lets them load the chunks they need); no inline or eval
 *   script in production. Next.js reads the nonce from the request's CSP header and puts it on its scripts.
 * - Styles: 'unsafe-inline' for style attributes (progress bar widths); styles cannot run code.
 * - Forms: only to this site, and to the identity provider when single sign-on is configured.
 * - Framing forbidden, MIME sniffing off, a strict referrer policy, HSTS only when served over https.
 */
export function securityHeaders(options: {
  nonce: string;
  https: boolean;
  development: boolean;
  /**
   * Other origins a form may lead to: the identity provider's, since a sign-out without script (a plain form
   * post) is redirected to its end-session endpoint, and browsers hold form-action to the redirect too.
   */
  formActionOrigins?: readonly string[];
}): Record<string, string> {
  const scriptSource = [`'self'`, `'nonce-${options.nonce}'`, `'strict-dynamic'`];
  if (options.development) scriptSource.push(`'unsafe-eval'`);
  const policy = [
    `default-src 'self'`,
    `script-src ${scriptSource.join(' ')}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action ${["'self'", ...(options.formActionOrigins ?? [])].join(' ')}`,
    `frame-ancestors 'none'`,
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(options.https ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

/** Whether the browser reached us over https, directly or through a TLS-terminating proxy. */
export function servedOverHttps(url: URL, forwardedProto: string | null): boolean {
  if (url.protocol === 'https:') return true;
  return forwardedProto?.split(',')[0]?.trim().toLowerCase() === 'https';
}
