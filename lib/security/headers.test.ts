import { describe, expect, it } from 'vitest';
import { securityHeaders } from './headers';

const policyOf = (options: Partial<Parameters<typeof securityHeaders>[0]> = {}) =>
  (
    securityHeaders({ nonce: 'bm9uY2U=', https: false, development: false, ...options })[
      'Content-Security-Policy'
    ] ?? ''
  )
    .split('; ')
    .reduce<Record<string, string>>((directives, directive) => {
      const [name = '', ...values] = directive.split(' ');
      directives[name] = values.join(' ');
      return directives;
    }, {});

describe('security headers', () => {
  it('lets forms go to this site only, unless an identity provider is named', () => {
    expect(policyOf()['form-action']).toBe("'self'");
    // A sign-out without script posts a form that is redirected to the provider's end-session endpoint.
    expect(policyOf({ formActionOrigins: ['https://login.example.com'] })['form-action']).toBe(
      "'self' https://login.example.com",
    );
  });

  it('allows scripts by nonce only, and no framing', () => {
    const policy = policyOf();
    expect(policy['script-src']).toBe("'self' 'nonce-bm9uY2U=' 'strict-dynamic'");
    expect(policy['frame-ancestors']).toBe("'none'");
  });
});
