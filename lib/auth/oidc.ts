import 'server-only';

import { randomBytes, randomUUID } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcConfig } from '@/lib/config';
import type { Database } from '@/lib/db/database';
import { signInProviderUser } from '@/lib/db/users';
import { insertOidcLogin, takeOidcLogin } from '@/lib/db/users/oidc-logins';
import { hasErrorKind, markErrorKind } from '@/lib/errors/kind';
import { groupsFromClaims, roleFromGroups } from './oidc-roles';
import { safeReturnPath } from './redirect';
import { EMAIL_MAX_LENGTH } from './schema';
// State and binding are random tokens kept only as the same one-way hash as a session token.
import { hashSessionToken, type SessionUser, sessionUserOf, startSession } from './sessions';

/**
 * Sign-in through the company's identity provider: OpenID Connect's authorization code flow with PKCE (S256),
 * state and nonce, by openid-client (a certified relying party; no token is checked by hand here).
 *
 * - The start keeps what the callback needs (PKCE verifier, nonce, where to go back) in the database under the
 *   SHA-256 of the state, so that any replica can take the callback, and binds it to the browser with a random
 *   cookie whose SHA-256 is kept beside it: a callback in another browser (login CSRF, a copied link) is refused.
 * - The callback takes that row once (a replayed or reloaded callback finds it used), lets openid-client check
 *   the provider's answer (state, issuer, audience, expiry, nonce, and the ID token's signature: openid-client
 *   checks signatures only with `enableNonRepudiationChecks`), reads the e-mail and the groups from the ID token
 *   or, when it lacks them, from userinfo, and signs the person in with the role their groups give now.
 * - The identity is the issuer and subject (`iss`, `sub`); the e-mail is for display and attribution.
 * - Every failure has a code the sign-in page explains (OidcFailureCode) and a reference the log line carries
 *   with the cause; no token, code or secret is logged or put in an address.
 */

export const OIDC_FAILURE_CODES = [
  'unavailable',
  'wrong-issuer',
  'cancelled',
  'provider-error',
  'expired',
  'state-mismatch',
  'invalid-response',
  'no-email',
  'no-group',
  'disabled',
  'unexpected',
] as const;
export type OidcFailureCode = (typeof OIDC_FAILURE_CODES)[number];

export function isOidcFailureCode(value: unknown): value is OidcFailureCode {
  return typeof value === 'string' && (OIDC_FAILURE_CODES as readonly string[]).includes(value);
}

/** A sign-in started and not finished within this long has to start again. */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;
/** Discovery (and the keys behind it) is read again after this long, or at once after a failure. */
const DISCOVERY_TTL_MS = 60 * 60_000;
/** Seconds openid-client waits for each request to the provider. */
const PROVIDER_TIMEOUT_S = 10;

export class OidcFailure extends Error {
  readonly reference = randomUUID().slice(0, 8);
  constructor(
    readonly code: OidcFailureCode,
    /** For the log line only: what the library or the provider said. Never shown in the browser. */
    readonly causeDetail: string,
  ) {
    super(`single sign-on failed: ${code}`);
    this.name = 'OidcFailure';
    markErrorKind(this, 'OidcFailure');
  }
}

/**
 * Also true for one made by another server bundle's copy of this module: the runtime (and its OidcSignIn) is
 * made by whichever bundle came first, the route handlers are another (lib/errors/kind.ts).
 */
export function isOidcFailure(error: unknown): error is OidcFailure {
  return hasErrorKind(error, 'OidcFailure');
}

/**
 * The failure to show for what a sign-in threw: its own, or `unexpected` for anything else (the database, a
 * bug), which is not the provider's doing and is not said to be.
 */
export function asOidcFailure(error: unknown): OidcFailure {
  if (isOidcFailure(error)) return error;
  return new OidcFailure(
    'unexpected',
    error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  );
}

/** What openid-client's error says, for the log: its code, the claim it checked, the provider's error. */
function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The code first: class names are minified in the production build.
  const parts = [(error as { code?: string }).code ?? error.name, error.message];
  const providerError = (error as { error?: unknown }).error;
  if (typeof providerError === 'string') parts.push(`error=${providerError}`);
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 3 && cause; depth += 1) {
    if (cause instanceof Error)
      parts.push(`cause: ${(cause as { code?: string }).code ?? ''} ${cause.message}`);
    const claim = (cause as { claim?: unknown }).claim;
    if (typeof claim === 'string') parts.push(`claim ${claim}`);
    cause = (cause as { cause?: unknown }).cause;
  }
  return parts.filter(Boolean).join(': ');
}

function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return true;
  // fetch's own failure (refused, reset, DNS): a TypeError with the socket's error as its cause.
  return error instanceof TypeError && /fetch failed|network/i.test(error.message);
}

export interface OidcSignInResult {
  user: SessionUser;
  token: string;
  expiresAt: Date;
  returnTo: string;
  created: boolean;
}

export interface StartedOidcLogin {
  /** The provider's authorization address, to send the browser to. */
  authorizationUrl: string;
  /** The value of the browser's binding cookie. */
  binding: string;
}

export class OidcSignIn {
  private discovered: { config: client.Configuration; at: number } | undefined;
  private discovering: Promise<client.Configuration> | undefined;

  constructor(
    private readonly settings: OidcConfig,
    private readonly db: Database,
  ) {}

  get displayName(): string {
    return this.settings.displayName;
  }

  /** The provider's metadata through openid-client, kept for an hour; a failure is retried on the next use. */
  private async configuration(): Promise<client.Configuration> {
    if (this.discovered && Date.now() - this.discovered.at < DISCOVERY_TTL_MS) return this.discovered.config;
    this.discovering ??= this.discover().finally(() => {
      this.discovering = undefined;
    });
    return this.discovering;
  }

  private async discover(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    const execute = [client.enableNonRepudiationChecks];
    // Accepted only on a loopback address (lib/config.ts): a provider on this machine, as in tests.
    if (new URL(issuer).protocol === 'http:') execute.push(client.allowInsecureRequests);
    try {
      const config = await client.discovery(
        new URL(issuer),
        clientId,
        undefined,
        clientSecret ? client.ClientSecretPost(clientSecret) : client.None(),
        { execute, timeout: PROVIDER_TIMEOUT_S },
      );
      config.timeout = PROVIDER_TIMEOUT_S;
      this.discovered = { config, at: Date.now() };
      return config;
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new OidcFailure(
        code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' ? 'wrong-issuer' : 'unavailable',
        describeCause(error),
      );
    }
  }

  /** Starts a sign-in: the address to send the browser to, and the cookie that binds the sign-in to it. */
  async start(returnTo: unknown, now = new Date()): Promise<StartedOidcLogin> {
    const config = await this.configuration();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const binding = randomBytes(32).toString('base64url');
    await insertOidcLogin(this.db, {
      id: hashSessionToken(state),
      bindingHash: hashSessionToken(binding),
      codeVerifier,
      nonce,
      returnTo: safeReturnPath(returnTo),
      createdAt: now,
      expiresAt: new Date(now.getTime() + OIDC_LOGIN_TTL_MS),
    });
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes.join(' '),
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { authorizationUrl: authorizationUrl.href, binding };
  }

  /**
   * Finishes a sign-in from the provider's answer: `query` is the callback's query string as it came; the
   * address it is checked against is the configured redirect URI, never one built from the request's headers.
   */
  async finish(
    query: URLSearchParams,
    binding: string | undefined,
    request: { userAgent?: string | null; clientAddress: string },
  ): Promise<OidcSignInResult> {
    const state = query.get('state');
    if (!state) throw new OidcFailure('expired', 'the callback has no state');
    const taken = await takeOidcLogin(this.db, hashSessionToken(state));
    if (!taken.found) throw new OidcFailure('expired', 'no sign-in was started with this state');
    if (taken.alreadyUsed) throw new OidcFailure('expired', 'the callback of this sign-in was used already');
    if (taken.expired) throw new OidcFailure('expired', 'the sign-in was started too long ago');
    if (!binding || hashSessionToken(binding) !== taken.login.bindingHash) {
      throw new OidcFailure(
        'state-mismatch',
        'the callback came to a browser that did not start the sign-in',
      );
    }
    const providerError = query.get('error');
    if (providerError) {
      const description = (query.get('error_description') ?? '').slice(0, 200);
      throw new OidcFailure(
        providerError === 'access_denied' ? 'cancelled' : 'provider-error',
        `the provider answered error=${providerError.slice(0, 60)} ${description}`,
      );
    }

    const config = await this.configuration();
    const callbackUrl = new URL(this.settings.redirectUri);
    callbackUrl.search = query.toString();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: taken.login.codeVerifier,
        expectedState: state,
        expectedNonce: taken.login.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new OidcFailure(this.grantFailureCode(error), describeCause(error));
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new OidcFailure('invalid-response', 'the token answer has no ID token');
    let claims: Record<string, unknown> = { ...idClaims };
    const rolesClaim = this.settings.rolesClaim;
    const lacking = emailOf(claims) === null || groupsFromClaims(claims, rolesClaim).length === 0;
    if (lacking && config.serverMetadata().userinfo_endpoint && tokens.access_token) {
      try {
        // Checked against the ID token's subject by openid-client.
        const userInfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        // Userinfo fills only what the ID token lacks: the ID token is the signed statement.
        claims = { ...userInfo, ...claims };
      } catch (error) {
        throw new OidcFailure(this.grantFailureCode(error), `userinfo: ${describeCause(error)}`);
      }
    }
    const email = emailOf(claims);
    if (email === null) throw new OidcFailure('no-email', `subject ${idClaims.sub} has no e-mail claim`);
    const groups = groupsFromClaims(claims, rolesClaim);
    const role = roleFromGroups(groups, this.settings.groups);
    if (role === null) {
      throw new OidcFailure(
        'no-group',
        `${email} (subject ${idClaims.sub}) is in none of the configured groups (claim ${rolesClaim} held ${groups.length} value(s))`,
      );
    }
    const signedIn = await signInProviderUser(this.db, {
      issuer: idClaims.iss,
      subject: idClaims.sub,
      email,
      role,
    });
    if (!signedIn.ok) throw new OidcFailure('disabled', `${email} (subject ${idClaims.sub}) is disabled`);
    const { user } = signedIn;
    const session = await startSession(this.db, {
      userId: user.id,
      userAgent: request.userAgent,
      clientAddress: request.clientAddress,
      audit: {
        actor: user.email,
        action: 'signed_in',
        details: { clientAddress: request.clientAddress, via: 'single sign-on' },
      },
    });
    return {
      user: sessionUserOf(user),
      ...session,
      returnTo: taken.login.returnTo,
      created: signedIn.created,
    };
  }

  private grantFailureCode(error: unknown): OidcFailureCode {
    if (isOidcFailure(error)) return error.code;
    if (isNetworkFailure(error)) return 'unavailable';
    // By the library's error code: not instanceof (another bundle's copy of the class) and not the class name,
    // which the production build minifies.
    const code = (error as { code?: unknown }).code;
    const providerError = (error as { error?: unknown }).error;
    if (code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR') {
      return providerError === 'access_denied' ? 'cancelled' : 'provider-error';
    }
    // The token endpoint refused: the code used already (a replay the provider caught) or too old; or the
    // client itself (a wrong OIDC_CLIENT_SECRET: invalid_client).
    if (code === 'OAUTH_RESPONSE_BODY_ERROR')
      return providerError === 'invalid_grant' ? 'expired' : 'provider-error';
    return 'invalid-response';
  }

  /**
   * Where to send the browser after the app's own sign-out of an account of the provider: its end-session
   * endpoint, which comes back to APP_URL/sign-in; null when the provider offers none (or cannot be reached:
   * the app's session has ended either way).
   */
  async endSessionUrl(): Promise<string | null> {
    let config: client.Configuration;
    try {
      config = await this.configuration();
    } catch {
      return null;
    }
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(config, {
      client_id: this.settings.clientId,
      post_logout_redirect_uri: this.settings.postLogoutRedirectUri,
    }).href;
  }
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/** The person's e-mail: `email`, else an e-mail-shaped `preferred_username` (Entra ID's UPN); lower case. */
function emailOf(claims: Record<string, unknown>): string | null {
  for (const value of [claims.email, claims.preferred_username]) {
    if (typeof value === 'string') {
      const email = value.trim().toLowerCase();
      if (EMAIL_PATTERN.test(email) && email.length <= EMAIL_MAX_LENGTH) return email;
    }
  }
  return null;
}
