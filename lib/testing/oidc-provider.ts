// A real, certified OpenID Connect provider (oidc-provider) on 127.0.0.1 for the single sign-on tests: the
// authorization code flow with PKCE (S256, required), fresh signing keys per start, the scopes openid, email,
// profile and groups, RP-initiated logout, and small sign-in pages of its own with labelled fields that
// Playwright and lib/testing/oidc-browser.ts can drive. Not used by the application.
//
// oidc-provider is ESM-only, so it is loaded with a dynamic import: that works under Vitest and under
// Playwright's CommonJS transform alike. Only its types are imported statically.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import type Provider from 'oidc-provider';
import type {
  Account,
  Adapter,
  AdapterPayload,
  ClientMetadata,
  Configuration,
  JWK,
  KoaContextWithOIDC,
} from 'oidc-provider';
import { listenOnLoopback } from './local-server';

export interface TestOidcUser {
  username: string;
  password: string;
  /** Default: {@link testOidcSubject}(username), a stable id that is not the username itself. */
  sub?: string;
  email?: string;
  /** Default true. Sent only with an email. */
  emailVerified?: boolean;
  name?: string;
  /** Omitted: the user has no groups claim at all (not an empty list). */
  groups?: string[];
}

export interface TestOidcClient {
  clientId: string;
  /**
   * With a secret the client authenticates at the token endpoint with client_secret_post, which is what
   * openid-client's `discovery(issuer, clientId, clientSecret)` uses. Without one it is a public client
   * (token_endpoint_auth_method none).
   */
  clientSecret?: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface TestOidcProvider {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  issuer: string;
  port: number;
  close(): Promise<void>;
  /** Adds the user or replaces the one with that username; the next token issued carries the new claims. */
  setUser(user: TestOidcUser): void;
}

export interface TestOidcProviderOptions {
  /** 0 (the default): a free port. */
  port?: number;
  clients: TestOidcClient[];
  users: TestOidcUser[];
  /** Name of the claim the groups scope carries; default 'groups'. */
  groupsClaim?: string;
}

/** Text the sign-in page shows after a wrong username or password. */
export const WRONG_CREDENTIALS_MESSAGE = 'Wrong username or password';

/** The `sub` a user gets when the test gives none: derived from the username, and stable across starts. */
export function testOidcSubject(username: string): string {
  return `user-${createHash('sha256').update(username).digest('base64url').slice(0, 16)}`;
}

export async function startTestOidcProvider(options: TestOidcProviderOptions): Promise<TestOidcProvider> {
  const { default: ProviderClass, errors } = await import('oidc-provider');
  const groupsClaim = options.groupsClaim ?? 'groups';
  const users = new Map<string, TestOidcUser>();
  for (const user of options.users) users.set(user.username, user);
  const subjectOf = (user: TestOidcUser) => user.sub ?? testOidcSubject(user.username);
  const userBySubject = (sub: string) => [...users.values()].find((user) => subjectOf(user) === sub);

  // The issuer names the port, so the server listens first and hands requests to the provider once it exists.
  let handle: http.RequestListener = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
  const server = http.createServer((request, response) => handle(request, response));
  const port = await listenOnLoopback(server, options.port);
  const issuer = `http://127.0.0.1:${port}`;

  const configuration: Configuration = {
    adapter: createMemoryAdapter(),
    clients: options.clients.map(clientMetadata),
    jwks: { keys: await signingKeys() },
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      // The app under test also lives on 127.0.0.1, and browsers keep cookies per host, not per port: names of
      // our own keep the provider's cookies apart from the app's. `secure` stays off because the issuer is
      // http (oidc-provider sets it only on https requests).
      names: { session: 'test_op_session', interaction: 'test_op_interaction', resume: 'test_op_resume' },
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      groups: [groupsClaim],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    responseTypes: ['code'],
    // Claims asked for with scopes go into the ID token too, not only to userinfo: the app reads its roles
    // from the ID token.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    // Every requested scope and claim is granted at sign-in, as for a first-party app, so that signing in is
    // one interaction (the login form) and never a consent page. This is oidc-provider's documented way.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      const accountId = oidc.account?.accountId;
      const clientId = oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      const grant =
        existing?.accountId === accountId ? existing : new oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx, sub): Promise<Account | undefined> => {
      if (!userBySubject(sub)) return undefined;
      return {
        accountId: sub,
        // Read at the time each token is issued, so setUser between sign-ins takes effect.
        claims: async () => {
          const user = userBySubject(sub);
          if (!user) return { sub };
          return {
            sub,
            preferred_username: user.username,
            ...(user.name === undefined ? {} : { name: user.name }),
            ...(user.email === undefined
              ? {}
              : { email: user.email, email_verified: user.emailVerified ?? true }),
            ...(user.groups === undefined ? {} : { [groupsClaim]: [...user.groups] }),
          };
        },
      };
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in error',
        `<h1>Sign-in error</h1><p>${escapeHtml(out.error)}</p>` +
          (out.error_description ? `<p>${escapeHtml(out.error_description)}</p>` : ''),
      );
    },
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => URL.parse(uri)?.origin === origin) ?? false,
    // Numbers instead of oidc-provider's default functions, which print a notice asking to change them.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      RefreshToken: 3600,
    },
  };

  let provider: Provider;
  try {
    provider = new ProviderClass(issuer, configuration);
  } catch (error) {
    // oidc-provider refuses a client or an option: leave no server listening behind the error.
    server.close();
    throw error;
  }
  // Expected protocol errors (a bad code, a wrong secret) are answered to the client and stay quiet; a
  // server_error is a bug in this harness or its configuration, so it is printed.
  provider.on('server_error', (_ctx, error) => console.error('test OpenID provider: server_error', error));

  const providerCallback = provider.callback();
  const interactions = interactionPages(provider, errors.SessionNotFound, (username, password) => {
    const user = users.get(username);
    return user && user.password === password ? subjectOf(user) : undefined;
  });
  handle = (request, response) => {
    const path = new URL(request.url ?? '/', issuer).pathname;
    if (path.startsWith('/interaction/')) {
      interactions(request, response, path).catch((error: unknown) => {
        console.error('test OpenID provider: interaction failed', error);
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('interaction failed');
      });
    } else {
      void providerCallback(request, response);
    }
  };

  return {
    issuer,
    port,
    setUser: (user) => users.set(user.username, user),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections of browsers and fetch would hold close() open for seconds.
        server.closeAllConnections();
      }),
  };
}

function clientMetadata(client: TestOidcClient): ClientMetadata {
  return {
    client_id: client.clientId,
    ...(client.clientSecret === undefined
      ? { token_endpoint_auth_method: 'none' }
      : { client_secret: client.clientSecret, token_endpoint_auth_method: 'client_secret_post' }),
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  };
}

/** An RS256 and an ES256 key, new at every start; ID tokens are signed RS256 unless a client asks otherwise. */
async function signingKeys(): Promise<JWK[]> {
  const keys: JWK[] = [];
  for (const alg of ['RS256', 'ES256'] as const) {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    const jwk = await exportJWK(privateKey);
    keys.push({
      ...jwk,
      alg,
      use: 'sig',
      kid: `test-${alg.toLowerCase()}-${randomBytes(6).toString('hex')}`,
    });
  }
  return keys;
}

/**
 * The store oidc-provider keeps sessions, interactions, codes and grants in: a Map per provider, so that two
 * providers in one process share nothing (oidc-provider's own memory adapter also prints a warning).
 */
function createMemoryAdapter(): (model: string) => Adapter {
  const entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const sessionKeyByUid = new Map<string, string>();
  const keysByGrant = new Map<string, Set<string>>();
  const read = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) entries.delete(key);
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined;
  };
  return (model) => {
    const keyOf = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const key = keyOf(id);
        entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
        if (model === 'Session' && payload.uid) sessionKeyByUid.set(payload.uid, key);
        if (payload.grantId) {
          const keys = keysByGrant.get(payload.grantId) ?? new Set<string>();
          keys.add(key);
          keysByGrant.set(payload.grantId, keys);
        }
      },
      async find(id) {
        return read(keyOf(id));
      },
      async findByUid(uid) {
        const key = sessionKeyByUid.get(uid);
        return key ? read(key) : undefined;
      },
      async findByUserCode() {
        return undefined;
      },
      async consume(id) {
        const payload = read(keyOf(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(keyOf(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of keysByGrant.get(grantId) ?? []) entries.delete(key);
        keysByGrant.delete(grantId);
      },
    };
  };
}

type SessionNotFoundClass = new (...args: never[]) => Error;

/**
 * The sign-in pages: GET /interaction/:uid shows the form, POST .../login checks the password, POST .../abort
 * is Cancel. Served beside oidc-provider on plain node:http, which is all interactionDetails and
 * interactionFinished need.
 */
function interactionPages(
  provider: Provider,
  SessionNotFound: SessionNotFoundClass,
  checkPassword: (username: string, password: string) => string | undefined,
) {
  return async (request: http.IncomingMessage, response: http.ServerResponse, path: string) => {
    const [, , uid = '', action] = path.split('/');
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(request, response);
    } catch (error) {
      if (!(error instanceof SessionNotFound)) throw error;
      // The interaction cookie is missing or the interaction expired: sign-in has to start again at the app.
      return sendHtml(response, 400, page('Sign-in expired', '<h1>This sign-in request has expired</h1>'));
    }
    if (details.uid !== uid) {
      return sendHtml(response, 400, page('Sign-in expired', '<h1>This sign-in request has expired</h1>'));
    }
    if (details.prompt.name !== 'login') {
      // Consent is granted by loadExistingGrant, so login is the only prompt this provider ever shows.
      throw new Error(`unexpected prompt ${details.prompt.name}`);
    }

    if (request.method === 'GET' && action === undefined) {
      return sendHtml(response, 200, loginPage(uid));
    }
    if (request.method === 'POST' && action === 'abort') {
      return provider.interactionFinished(
        request,
        response,
        { error: 'access_denied', error_description: 'End-User aborted interaction' },
        { mergeWithLastSubmission: false },
      );
    }
    if (request.method === 'POST' && action === 'login') {
      const form = new URLSearchParams(await readBody(request));
      const username = form.get('username') ?? '';
      const accountId = checkPassword(username, form.get('password') ?? '');
      if (!accountId) {
        return sendHtml(response, 401, loginPage(uid, { username, error: WRONG_CREDENTIALS_MESSAGE }));
      }
      return provider.interactionFinished(
        request,
        response,
        { login: { accountId } },
        { mergeWithLastSubmission: false },
      );
    }
    return sendHtml(response, 405, page('Not allowed', '<h1>Not allowed</h1>'));
  };
}

function loginPage(uid: string, state: { username?: string; error?: string } = {}): string {
  const base = `/interaction/${encodeURIComponent(uid)}`;
  const error = state.error
    ? `<p id="sign-in-error" role="alert">${escapeHtml(state.error)}</p>`
    : '<p id="sign-in-error" role="alert"></p>';
  const invalid = state.error ? ' aria-invalid="true" aria-describedby="sign-in-error"' : '';
  return page(
    'Sign in - test identity provider',
    `<h1>Sign in to the test identity provider</h1>
    ${error}
    <form id="login-form" method="post" action="${base}/login">
      <p><label for="username">Username</label>
      <input id="username" name="username" type="text" autocomplete="username" value="${escapeHtml(state.username ?? '')}"${invalid} autofocus></p>
      <p><label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password"${invalid}></p>
      <p><button type="submit">Sign in</button></p>
    </form>
    <form id="cancel-form" method="post" action="${base}/abort">
      <p><button type="submit">Cancel</button></p>
    </form>`,
  );
}

// oidc-provider asks to confirm a logout when the provider session is signed in. `form` is its hidden form
// (id op.logoutForm, with the xsrf token); the button submits it with logout=yes, which ends the whole session.
async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    'Sign out - test identity provider',
    `<h1>Sign out of the test identity provider?</h1>
    ${form}
    <p><button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button></p>`,
  );
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  ctx.body = page('Signed out', '<h1>You are signed out of the test identity provider</h1>');
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><main>
${body}
</main></body>
</html>`;
}

function sendHtml(response: http.ServerResponse, status: number, html: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? '',
  );
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
