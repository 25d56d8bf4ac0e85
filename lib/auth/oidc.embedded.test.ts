// Sign-in through the identity provider, end to end below the browser: OidcSignIn (openid-client) against a real
// OpenID provider on 127.0.0.1 (oidc-provider) and the tampering front that poses as one, with the embedded
// PostgreSQL as the store. The browser's part at the provider is the fetch-driven ProviderBrowser. Playwright
// (e2e/oidc.spec.ts) runs the same through the production build in Chromium.
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OidcConfig } from '@/lib/config';
import { oidcLogins, sessions, userEvents, users } from '@/lib/db/schema';
import { closedPort } from '@/lib/testing/local-server';
import { signInAtProvider } from '@/lib/testing/oidc-browser';
import { startTestOidcProvider, type TestOidcProvider, testOidcSubject } from '@/lib/testing/oidc-provider';
import {
  startTamperingProxy,
  type TamperingProxy,
  type TamperMode,
} from '@/lib/testing/oidc-tampering-proxy';
import { openSuiteDatabase, type SuiteDatabase, useSuiteDatabase } from '@/lib/testing/suite-database';
import { asOidcFailure, OidcFailure, OidcSignIn } from './oidc';
import { resolveSession } from './sessions';

const APP_URL = 'http://127.0.0.1:3998';
const request = { userAgent: 'vitest', clientAddress: '127.0.0.1' };
const people = {
  olivia: {
    username: 'olivia',
    password: 'olivia-password',
    email: 'Olivia@Example.com',
    groups: ['net-ops'],
  },
  victor: { username: 'victor', password: 'victor-password', email: 'victor@example.com', groups: ['staff'] },
  nadia: { username: 'nadia', password: 'nadia-password', email: 'nadia@example.com', groups: ['marketing'] },
  ned: { username: 'ned', password: 'ned-password', groups: ['net-ops'] },
};

let provider: TestOidcProvider;
let proxy: TamperingProxy;
let database: SuiteDatabase;

function settings(issuer: string, change: Partial<OidcConfig> = {}): OidcConfig {
  return {
    issuer,
    clientId: 'sag-roam',
    clientSecret: 'sag-roam-client-secret',
    displayName: 'Test IdP',
    rolesClaim: 'groups',
    groups: { admin: ['sag-admins'], operator: ['net-ops'], viewer: ['staff'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    only: false,
    redirectUri: `${APP_URL}/api/auth/oidc/callback`,
    postLogoutRedirectUri: `${APP_URL}/sign-in`,
    ...change,
  };
}

beforeAll(async () => {
  provider = await startTestOidcProvider({
    clients: [
      {
        clientId: 'sag-roam',
        clientSecret: 'sag-roam-client-secret',
        redirectUris: [`${APP_URL}/api/auth/oidc/callback`],
        postLogoutRedirectUris: [`${APP_URL}/sign-in`],
      },
    ],
    users: Object.values(people),
  });
  proxy = await startTamperingProxy({ upstream: provider });
});

afterAll(async () => {
  await proxy?.close();
  await provider?.close();
});

beforeEach(() => proxy.setMode('none'));

/** Start, the person at the provider, and the callback's query as the browser would bring it back. */
async function throughProvider(
  signIn: OidcSignIn,
  person: { username: string; password: string } | 'cancel',
  returnTo: unknown = '/history',
) {
  const started = await signIn.start(returnTo);
  const callback = await signInAtProvider(started.authorizationUrl, person);
  expect(`${callback.origin}${callback.pathname}`).toBe(`${APP_URL}/api/auth/oidc/callback`);
  return { started, query: callback.searchParams };
}

async function failureOf(promise: Promise<unknown>): Promise<OidcFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OidcFailure);
  return error as OidcFailure;
}

describe('single sign-on through an OpenID provider', () => {
  useSuiteDatabase(
    () => openSuiteDatabase('embedded'),
    [userEvents, sessions, oidcLogins, users],
    (opened) => {
      database = opened;
    },
  );

  it('signs an operator in with the role of their groups, keyed by issuer and subject, and back to where they were', async () => {
    const signIn = new OidcSignIn(settings(provider.issuer), database.db);
    const { started, query } = await throughProvider(signIn, people.olivia);
    const result = await signIn.finish(query, started.binding, request);

    expect(result).toMatchObject({ returnTo: '/history', created: true });
    expect(result.user).toMatchObject({ email: 'olivia@example.com', role: 'operator' });
    const [row] = await database.db.select().from(users).where(eq(users.id, result.user.id));
    expect(row).toMatchObject({
      oidcIssuer: provider.issuer,
      oidcSubject: testOidcSubject('olivia'),
      passwordHash: null,
      createdBy: 'single sign-on',
    });
    expect((await resolveSession(database.db, result.token))?.user.id).toBe(result.user.id);
    // The sign-in row is spent: what the provider sent cannot be used twice.
    const replay = await failureOf(signIn.finish(query, started.binding, request));
    expect(replay.code).toBe('expired');
  });

  it('gives the role the groups give now at each sign-in, and the e-mail the provider states now', async () => {
    const signIn = new OidcSignIn(settings(provider.issuer), database.db);
    const first = await throughProvider(signIn, people.victor);
    const viewer = await signIn.finish(first.query, first.started.binding, request);
    expect(viewer.user.role).toBe('viewer');

    provider.setUser({ ...people.victor, email: 'victor.new@example.com', groups: ['staff', 'sag-admins'] });
    const second = await throughProvider(signIn, people.victor);
    const admin = await signIn.finish(second.query, second.started.binding, request);
    expect(admin.user).toMatchObject({ id: viewer.user.id, role: 'admin', email: 'victor.new@example.com' });
    expect(admin.created).toBe(false);
    const events = await database.db.select().from(userEvents).where(eq(userEvents.userId, viewer.user.id));
    expect(events.map((event) => [event.action, event.actor])).toEqual(
      expect.arrayContaining([
        ['created', 'single sign-on'],
        ['role_changed', 'single sign-on'],
        ['email_changed', 'single sign-on'],
      ]),
    );
    provider.setUser(people.victor);
  });

  it('refuses a person in none of the groups and creates nothing', async () => {
    const signIn = new OidcSignIn(settings(provider.issuer), database.db);
    const { started, query } = await throughProvider(signIn, people.nadia);
    const failure = await failureOf(signIn.finish(query, started.binding, request));
    expect(failure.code).toBe('no-group');
    expect(failure.causeDetail).not.toContain('marketing');
    expect(await database.db.select().from(users)).toEqual([]);
  });

  it('refuses a person without an e-mail', async () => {
    const signIn = new OidcSignIn(settings(provider.issuer), database.db);
    const { started, query } = await throughProvider(signIn, people.ned);
    expect((await failureOf(signIn.finish(query, started.binding, request))).code).toBe('no-email');
  });

  it('refuses a disabled account, whatever its groups', async () => {
    const signIn = new OidcSignIn(settings(provider.issuer), database.db);
    const first = await throughProvider(signIn, people.olivia);
    const { user } = await signIn.finish(first.query, first.started.binding, request);
    await database.db.update(users).set({ disabled: true }).where(eq(users.id, user.id));
    const second = await throughProvider(signIn, people.olivia);
    expect((await failureOf(signIn.finish(second.query, second.started.binding, request))).code).toBe(
      'disabled',
    );
  });

  it('says the person cancelled at the provider', async () => {
    const signIn = new OidcSignIn(settings(provider.issuer), database.db);
    const { started, query } = await throughProvider(signIn, 'cancel');
    expect(query.get('error')).toBe('access_denied');
    expect((await failureOf(signIn.finish(query, started.binding, request))).code).toBe('cancelled');
  });

  it('refuses a callback in a browser that did not start the sign-in, and a state nobody sent', async () => {
    const signIn = new OidcSignIn(settings(provider.issuer), database.db);
    const { query } = await throughProvider(signIn, people.olivia);
    expect((await failureOf(signIn.finish(query, 'another-browsers-binding', request))).code).toBe(
      'state-mismatch',
    );
    expect((await failureOf(signIn.finish(query, undefined, request))).code).toBe('expired');
    const forged = new URLSearchParams(query);
    forged.set('state', 'a-state-nobody-sent');
    expect((await failureOf(signIn.finish(forged, 'x', request))).code).toBe('expired');
    expect(await database.db.select().from(users)).toEqual([]);
  });

  it('refuses a sign-in that took longer than ten minutes', async () => {
    const signIn = new OidcSignIn(settings(provider.issuer), database.db);
    const { started, query } = await throughProvider(signIn, people.olivia);
    await database.db.update(oidcLogins).set({ expiresAt: new Date(Date.now() - 1_000) });
    expect((await failureOf(signIn.finish(query, started.binding, request))).code).toBe('expired');
  });

  it('keeps only paths of this site as the way back', async () => {
    const signIn = new OidcSignIn(settings(provider.issuer), database.db);
    const { started, query } = await throughProvider(signIn, people.olivia, '//evil.example/steal');
    expect((await signIn.finish(query, started.binding, request)).returnTo).toBe('/');
  });

  it.each<[TamperMode, string]>([
    ['wrong-audience', 'invalid-response'],
    ['expired', 'invalid-response'],
    ['wrong-issuer', 'invalid-response'],
    ['bad-signature', 'invalid-response'],
    ['wrong-nonce', 'invalid-response'],
  ])('refuses an ID token with %s (%s) and creates nothing', async (mode, code) => {
    const signIn = new OidcSignIn(settings(proxy.issuer), database.db);
    const { started, query } = await throughProvider(signIn, people.olivia);
    proxy.setMode(mode);
    const failure = await failureOf(signIn.finish(query, started.binding, request));
    expect(failure.code).toBe(code);
    expect(await database.db.select().from(users)).toEqual([]);
  });

  it('signs in through the tampering front when it tampers with nothing (the cases above fail for their own reason)', async () => {
    const signIn = new OidcSignIn(settings(proxy.issuer), database.db);
    const { started, query } = await throughProvider(signIn, people.olivia);
    expect((await signIn.finish(query, started.binding, request)).user.role).toBe('operator');
  });

  it('says the provider refused when it refuses the app itself (a wrong client secret)', async () => {
    const signIn = new OidcSignIn(settings(provider.issuer, { clientSecret: 'not-the-secret' }), database.db);
    const { started, query } = await throughProvider(signIn, people.olivia);
    const failure = await failureOf(signIn.finish(query, started.binding, request));
    expect(failure.code).toBe('provider-error');
    expect(failure.causeDetail).toContain('error=invalid_client');
    expect(await database.db.select().from(users)).toEqual([]);
  });

  it('says so when the provider answers as another issuer, or cannot be reached', async () => {
    proxy.setMode('discovery-issuer-mismatch');
    const mismatch = await failureOf(new OidcSignIn(settings(proxy.issuer), database.db).start('/'));
    expect(mismatch.code).toBe('wrong-issuer');
    const down = await failureOf(
      new OidcSignIn(settings(`http://127.0.0.1:${await closedPort()}`), database.db).start('/'),
    );
    expect(down.code).toBe('unavailable');
    expect(await database.db.select().from(oidcLogins)).toEqual([]);
  });

  it('sends a sign-out through the provider, back to APP_URL/sign-in', async () => {
    const url = new URL((await new OidcSignIn(settings(provider.issuer), database.db).endSessionUrl()) ?? '');
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('client_id')).toBe('sag-roam');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${APP_URL}/sign-in`);
  });

  it('calls anything but its own failures unexpected, and knows its own from another bundle', async () => {
    expect(asOidcFailure(new Error('connection terminated')).code).toBe('unexpected');
    const own = new OidcFailure('no-group', 'x');
    // Another server bundle's copy of the class: the same mark, another prototype.
    const copy = Object.assign(Object.create(Error.prototype), own);
    Object.defineProperty(copy, Symbol.for('sag-roam.error-kind'), { value: 'OidcFailure' });
    expect(copy instanceof OidcFailure).toBe(false);
    expect(asOidcFailure(copy).code).toBe('no-group');
    expect(asOidcFailure(copy).reference).toBe(own.reference);
  });

  it('answers any callback query a browser could bring with one of its failures, and signs nobody in', async () => {
    const signIn = new OidcSignIn(settings(provider.issuer), database.db);
    const { started } = await throughProvider(signIn, people.olivia);
    const value = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('', 'access_denied', '%', '\u0000'));
    const query = fc.dictionary(
      fc.constantFrom('state', 'code', 'error', 'iss', 'session_state', 'x'),
      value,
    );
    await fc.assert(
      fc.asyncProperty(
        query,
        fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
        async (params, binding) => {
          const failure = await failureOf(signIn.finish(new URLSearchParams(params), binding, request));
          expect(['expired', 'state-mismatch', 'cancelled', 'provider-error', 'invalid-response']).toContain(
            failure.code,
          );
        },
      ),
      { numRuns: 60 },
    );
    // The real sign-in's state was never sent above, so it is still good; nobody was signed in meanwhile.
    expect(await database.db.select().from(sessions)).toEqual([]);
    expect(started.binding).not.toBe('');
  });
});
