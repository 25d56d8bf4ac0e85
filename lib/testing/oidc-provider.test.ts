// The single sign-on test harness, driven by openid-client as the app drives it: the test OpenID provider
// (sign-in, claims, cancel, logout, public clients) and the tampering proxy, whose every mode must make
// openid-client refuse the sign-in. The errors asserted here are the ones the app maps to messages.
import net from 'node:net';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderBrowser, ProviderPageError, signInAtProvider } from './oidc-browser';
import {
  startTestOidcProvider,
  type TestOidcProvider,
  type TestOidcUser,
  testOidcSubject,
  WRONG_CREDENTIALS_MESSAGE,
} from './oidc-provider';
import { startTamperingProxy, type TamperingProxy, type TamperMode } from './oidc-tampering-proxy';

// Nothing listens here: the browser stops at the redirect to the app and openid-client only reads the URL.
const APP = 'http://127.0.0.1:3999';
const REDIRECT_URI = `${APP}/auth/callback`;
const POST_LOGOUT_URI = `${APP}/signed-out`;
const SCOPE = 'openid email profile groups';

const alice: TestOidcUser = {
  username: 'alice',
  password: 'alice-password',
  email: 'alice@example.com',
  name: 'Alice Admin',
  groups: ['sag-admins', 'sag-operators'],
};
const bob: TestOidcUser = {
  username: 'bob',
  password: 'bob-password',
  email: 'bob@example.com',
  emailVerified: false,
};
const carol: TestOidcUser = { username: 'carol', password: 'carol-password', groups: ['sag-viewers'] };

const confidential = { clientId: 'sag-roam', clientSecret: 'sag-roam-secret' };
const publicClientId = 'sag-roam-public';

let provider: TestOidcProvider;
let proxy: TamperingProxy;

beforeAll(async () => {
  provider = await startTestOidcProvider({
    clients: [
      { ...confidential, redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [POST_LOGOUT_URI] },
      { clientId: publicClientId, redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [POST_LOGOUT_URI] },
    ],
    users: [alice, bob, carol],
  });
  proxy = await startTamperingProxy({ upstream: provider });
});

afterAll(async () => {
  await proxy?.close();
  await provider?.close();
});

/** openid-client as the app configures it: discovery, http allowed for 127.0.0.1. */
function discover(
  issuer: string,
  { clientId, clientSecret }: { clientId: string; clientSecret?: string } = confidential,
  execute: ((config: client.Configuration) => void)[] = [],
) {
  return client.discovery(new URL(issuer), clientId, clientSecret, undefined, {
    execute: [client.allowInsecureRequests, ...execute],
  });
}

async function authorizationRequest(config: client.Configuration, scope = SCOPE) {
  const pkceCodeVerifier = client.randomPKCECodeVerifier();
  const expectedState = client.randomState();
  const expectedNonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: expectedState,
    nonce: expectedNonce,
  });
  return { url: url.href, checks: { pkceCodeVerifier, expectedState, expectedNonce } };
}

/** Signs in at the provider and redeems the code, as the app's callback does. */
async function signIn(
  config: client.Configuration,
  user: TestOidcUser,
  browser = new ProviderBrowser(),
  scope = SCOPE,
) {
  const request = await authorizationRequest(config, scope);
  const callback = await browser.signIn(request.url, user);
  return client.authorizationCodeGrant(config, callback, request.checks);
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('test OpenID provider', () => {
  it('publishes discovery for the authorization code flow with PKCE S256 and RP-initiated logout', async () => {
    const metadata = (await discover(provider.issuer)).serverMetadata();
    expect(provider.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metadata.issuer).toBe(provider.issuer);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'email', 'profile', 'groups']),
    );
    expect(metadata.end_session_endpoint).toBe(`${provider.issuer}/session/end`);
    expect(metadata.id_token_signing_alg_values_supported).toEqual(
      expect.arrayContaining(['RS256', 'ES256']),
    );
  });

  it('puts email, email_verified and groups in the ID token of a user with groups, and in userinfo', async () => {
    const config = await discover(provider.issuer);
    const tokens = await signIn(config, alice);
    const claims = tokens.claims();
    expect(claims).toMatchObject({
      iss: provider.issuer,
      aud: confidential.clientId,
      sub: testOidcSubject('alice'),
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice Admin',
      preferred_username: 'alice',
      groups: ['sag-admins', 'sag-operators'],
    });
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, testOidcSubject('alice'));
    expect(userinfo).toMatchObject({
      email: 'alice@example.com',
      email_verified: true,
      groups: alice.groups,
    });
  });

  it('sends no groups claim at all for a user without groups, and email_verified as the user has it', async () => {
    const config = await discover(provider.issuer);
    const tokens = await signIn(config, bob);
    const claims = tokens.claims();
    expect(claims).toMatchObject({ email: 'bob@example.com', email_verified: false });
    expect(claims).not.toHaveProperty('groups');
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, testOidcSubject('bob'));
    expect(userinfo).not.toHaveProperty('groups');
  });

  it('sends only the claims of the scopes asked for', async () => {
    const config = await discover(provider.issuer);
    const claims = (await signIn(config, alice, new ProviderBrowser(), 'openid email')).claims();
    expect(claims).toMatchObject({ email: 'alice@example.com', email_verified: true });
    expect(claims).not.toHaveProperty('groups');
    expect(claims).not.toHaveProperty('name');
  });

  it('issues the groups a user has at each sign-in (setUser between sign-ins)', async () => {
    const config = await discover(provider.issuer);
    expect((await signIn(config, carol)).claims()?.groups).toEqual(['sag-viewers']);
    provider.setUser({ ...carol, groups: ['sag-admins'] });
    try {
      expect((await signIn(config, carol)).claims()?.groups).toEqual(['sag-admins']);
    } finally {
      provider.setUser(carol);
    }
  });

  it('names the groups claim as configured', async () => {
    const rolesProvider = await startTestOidcProvider({
      clients: [{ ...confidential, redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [] }],
      users: [alice],
      groupsClaim: 'roles',
    });
    try {
      const claims = (await signIn(await discover(rolesProvider.issuer), alice)).claims();
      expect(claims).toMatchObject({ roles: alice.groups });
      expect(claims).not.toHaveProperty('groups');
    } finally {
      await rolesProvider.close();
    }
  });

  it('refuses an authorization request without PKCE', async () => {
    const config = await discover(provider.issuer);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: SCOPE,
      state: 'state-1',
      nonce: 'nonce-1',
    });
    const callback = await signInAtProvider(url.href, alice);
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('shows the sign-in form again with a message after a wrong password', async () => {
    const config = await discover(provider.issuer);
    const request = await authorizationRequest(config);
    const error = await rejectionOf(signInAtProvider(request.url, { username: 'alice', password: 'wrong' }));
    expect(error).toBeInstanceOf(ProviderPageError);
    const { status, html } = error as ProviderPageError;
    expect(status).toBe(401);
    expect(html).toContain(WRONG_CREDENTIALS_MESSAGE);
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('value="alice"');
  });

  it('returns access_denied to the redirect URI when the user presses Cancel', async () => {
    const config = await discover(provider.issuer);
    const request = await authorizationRequest(config);
    const callback = await signInAtProvider(request.url, 'cancel');
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(request.checks.expectedState);
    // What the app's callback sees from openid-client.
    const error = await rejectionOf(client.authorizationCodeGrant(config, callback, request.checks));
    expect(error).toBeInstanceOf(client.AuthorizationResponseError);
    expect(error).toMatchObject({
      error: 'access_denied',
      error_description: 'End-User aborted interaction',
    });
  });

  it('ends the provider session at the end-session endpoint and redirects to the post-logout URI', async () => {
    const config = await discover(provider.issuer);
    const browser = new ProviderBrowser();
    await signIn(config, alice, browser);
    // While the provider session lasts, a new sign-in goes straight back to the app with no form.
    const again = await browser.open((await authorizationRequest(config)).url);
    expect(again.kind).toBe('redirect');

    const endSession = client.buildEndSessionUrl(config, {
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: 'after-logout',
    });
    expect(endSession.searchParams.get('client_id')).toBe(confidential.clientId);
    const signedOut = await browser.signOut(endSession);
    expect(signedOut.origin + signedOut.pathname).toBe(POST_LOGOUT_URI);
    expect(signedOut.searchParams.get('state')).toBe('after-logout');

    const afterLogout = await browser.open((await authorizationRequest(config)).url);
    expect(afterLogout.kind).toBe('page');
    expect(afterLogout.kind === 'page' && afterLogout.html).toContain('Sign in');
  });

  it('signs in a public client (no secret, token_endpoint_auth_method none)', async () => {
    const config = await discover(provider.issuer, { clientId: publicClientId });
    expect(config.clientMetadata().client_secret).toBeUndefined();
    const claims = (await signIn(config, alice)).claims();
    expect(claims).toMatchObject({ aud: publicClientId, groups: alice.groups });
  });

  it('closes at once while a connection is in the middle of a request', async () => {
    const other = await startTestOidcProvider({ clients: [], users: [] });
    const socket = net.connect(other.port, '127.0.0.1');
    try {
      // Node's server.close() drops idle keep-alive connections by itself, but waits for one whose request
      // has begun. One write: a whole request, then the start of another. Once the first is answered, the
      // server holds the second, unfinished, on this connection.
      const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
      socket.write(
        'GET /.well-known/openid-configuration HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' +
          'GET /.well-known/openid-configuration HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      );
      await answered;
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const started = Date.now();
      await other.close();
      await closed;
      // Without closeAllConnections, close() waits until one of Node's server timeouts ends it (about 6 s).
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      socket.destroy();
    }
  });
});

describe('tampering proxy', () => {
  it("in 'none' mode is the issuer and the sign-in and logout succeed through it", async () => {
    proxy.setMode('none');
    const config = await discover(proxy.issuer, confidential, [client.enableNonRepudiationChecks]);
    expect(config.serverMetadata().issuer).toBe(proxy.issuer);
    expect(config.serverMetadata().token_endpoint).toBe(`${proxy.issuer}/token`);
    const browser = new ProviderBrowser();
    const tokens = await signIn(config, alice, browser);
    expect(tokens.claims()).toMatchObject({ iss: proxy.issuer, groups: alice.groups });
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, testOidcSubject('alice'));
    expect(userinfo).toMatchObject({ groups: alice.groups });
    const signedOut = await browser.signOut(
      client.buildEndSessionUrl(config, { post_logout_redirect_uri: POST_LOGOUT_URI }),
    );
    expect(signedOut.origin + signedOut.pathname).toBe(POST_LOGOUT_URI);
  });

  // What openid-client 6.8.9 throws for each mode, all ClientError (the app maps `code`, and for
  // OAUTH_JWT_CLAIM_COMPARISON_FAILED the claim, to its messages):
  //   wrong-audience             authorizationCodeGrant: OAUTH_JWT_CLAIM_COMPARISON_FAILED, claim 'aud'
  //   expired                    authorizationCodeGrant: OAUTH_JWT_TIMESTAMP_CHECK_FAILED, claim 'exp'
  //   wrong-issuer               authorizationCodeGrant: OAUTH_JWT_CLAIM_COMPARISON_FAILED, claim 'iss'
  //   wrong-nonce                authorizationCodeGrant: OAUTH_JWT_CLAIM_COMPARISON_FAILED, claim 'nonce'
  //   bad-signature              authorizationCodeGrant: OAUTH_INVALID_RESPONSE ("JWT signature verification
  //                              failed"), but only with client.enableNonRepudiationChecks (see below)
  //   discovery-issuer-mismatch  discovery: OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED ("discovered metadata
  //                              issuer does not match the expected issuer")
  // The claim is at error.cause.cause.claim: error.cause is oauth4webapi's OperationProcessingError. The
  // claim errors are the same with or without enableNonRepudiationChecks.
  const refusedTokens: [TamperMode, string, string | undefined, string][] = [
    [
      'wrong-audience',
      'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
      'aud',
      'unexpected JWT "aud" (audience) claim value',
    ],
    ['expired', 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED', 'exp', 'expiration is past current timestamp'],
    ['wrong-issuer', 'OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'iss', 'unexpected JWT "iss" (issuer) claim value'],
    ['wrong-nonce', 'OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'nonce', 'unexpected ID Token "nonce" claim value'],
    ['bad-signature', 'OAUTH_INVALID_RESPONSE', undefined, 'JWT signature verification failed'],
  ];

  it.each(refusedTokens)(
    "in '%s' mode makes authorizationCodeGrant throw %s",
    async (mode, code, claim, cause) => {
      proxy.setMode(mode);
      const config = await discover(proxy.issuer, confidential, [client.enableNonRepudiationChecks]);
      const request = await authorizationRequest(config);
      const callback = await signInAtProvider(request.url, alice);
      expect(callback.searchParams.get('code')).toBeTruthy();
      const error = await rejectionOf(client.authorizationCodeGrant(config, callback, request.checks));
      expect(error).toBeInstanceOf(client.ClientError);
      expect((error as client.ClientError).code).toBe(code);
      const processingError = error.cause as Error & { cause?: { claim?: string } };
      expect(processingError.message).toContain(cause);
      expect(processingError.cause?.claim).toBe(claim);
    },
  );

  it("in 'bad-signature' mode is accepted by openid-client without enableNonRepudiationChecks", async () => {
    // For an ID token from the token endpoint, OpenID Connect Core 3.1.3.7 lets the client trust TLS instead
    // of the signature, and openid-client does so unless told otherwise: the app has to opt in.
    proxy.setMode('bad-signature');
    const config = await discover(proxy.issuer);
    const claims = (await signIn(config, alice)).claims();
    expect(claims).toMatchObject({ iss: proxy.issuer, sub: testOidcSubject('alice') });
  });

  it("in 'discovery-issuer-mismatch' mode makes discovery throw", async () => {
    proxy.setMode('discovery-issuer-mismatch');
    const error = await rejectionOf(discover(proxy.issuer));
    expect(error).toBeInstanceOf(client.ClientError);
    expect((error as client.ClientError).code).toBe('OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED');
    expect(error.message).toBe('discovered metadata issuer does not match the expected issuer');
  });
});
