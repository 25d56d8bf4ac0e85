// Single sign-on in the browser (issue 16): production builds of the app (`next start`, emulator mode) signing
// people in through a real OpenID provider started here on 127.0.0.1 (oidc-provider, lib/testing/oidc-provider.ts),
// and through a front that tampers with its answers (lib/testing/oidc-tampering-proxy.ts). Each app knows its
// own address beforehand (APP_URL: the redirect URI is built from it). No test here uses the shared sessions of
// the other specs: each signs in in a browser context of its own.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { closedPort } from '@/lib/testing/local-server';
import { startTestOidcProvider, type TestOidcProvider } from '@/lib/testing/oidc-provider';
import {
  startTamperingProxy,
  type TamperingProxy,
  type TamperMode,
} from '@/lib/testing/oidc-tampering-proxy';
import { reachableTempDir } from '../lib/testing/temp-dir';
import { expectNoAxeViolations } from './axe';
import { type AppProcess, freePort, killAllApps, startApp } from './processes';

test.describe.configure({ mode: 'serial' });

const CLIENT = { clientId: 'sag-roam', clientSecret: 'oidc-spec-client-secret-01' };
const LOCAL_ADMIN = { email: 'break-glass@example.com', password: 'break-glass-password-01' };
const people = {
  olivia: {
    username: 'olivia',
    password: 'olivia-password',
    email: 'olivia@example.com',
    groups: ['net-ops'],
  },
  victor: { username: 'victor', password: 'victor-password', email: 'victor@example.com', groups: ['staff'] },
  nadia: { username: 'nadia', password: 'nadia-password', email: 'nadia@example.com', groups: ['marketing'] },
};
type Person = (typeof people)[keyof typeof people];

let runDir = '';
let provider: TestOidcProvider;
let proxy: TamperingProxy;
/** Through the provider; through the tampering front; with OIDC_ONLY; with a provider that is not there. */
let apps: {
  main: AppProcess;
  tampered: AppProcess;
  only: AppProcess;
  down: AppProcess;
  wrongSecret: AppProcess;
};
const contexts: BrowserContext[] = [];

function appEnv(name: string, port: number, issuer: string, extra: Record<string, string> = {}) {
  const dataDir = path.join(runDir, name);
  mkdirSync(dataDir, { mode: 0o755 });
  return {
    SAG_MODE: 'emulator',
    DATA_DIR: dataDir,
    ADMIN_EMAIL: LOCAL_ADMIN.email,
    ADMIN_PASSWORD: LOCAL_ADMIN.password,
    APP_URL: `http://127.0.0.1:${port}`,
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT.clientId,
    OIDC_CLIENT_SECRET: CLIENT.clientSecret,
    OIDC_DISPLAY_NAME: 'Test IdP',
    OIDC_SCOPES: 'openid email profile groups',
    OIDC_ADMIN_GROUPS: 'sag-admins',
    OIDC_OPERATOR_GROUPS: 'net-ops',
    OIDC_VIEWER_GROUPS: 'staff',
    ...extra,
  };
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  runDir = reachableTempDir('sag-roam-oidc-');
  const ports = {
    main: await freePort(),
    tampered: await freePort(),
    only: await freePort(),
    down: await freePort(),
    wrongSecret: await freePort(),
  };
  provider = await startTestOidcProvider({
    clients: [
      {
        ...CLIENT,
        redirectUris: Object.values(ports).map((port) => `http://127.0.0.1:${port}/api/auth/oidc/callback`),
        postLogoutRedirectUris: Object.values(ports).map((port) => `http://127.0.0.1:${port}/sign-in`),
      },
    ],
    users: Object.values(people),
  });
  proxy = await startTamperingProxy({ upstream: provider });
  const start = (name: keyof typeof ports, issuer: string, extra?: Record<string, string>) =>
    startApp({
      name: `oidc-${name}`,
      port: ports[name],
      env: appEnv(name, ports[name], issuer, extra),
      logDir: runDir,
    });
  const [main, tampered, only, down, wrongSecret] = await Promise.all([
    start('main', provider.issuer),
    start('tampered', proxy.issuer),
    start('only', provider.issuer, { OIDC_ONLY: 'true' }),
    start('down', `http://127.0.0.1:${await closedPort()}`),
    start('wrongSecret', provider.issuer, { OIDC_CLIENT_SECRET: 'not-the-client-secret-01' }),
  ]);
  apps = { main, tampered, only, down, wrongSecret };
});

test.afterEach(async () => {
  const info = test.info();
  if (info.status !== info.expectedStatus && apps) {
    for (const app of Object.values(apps)) await info.attach(`${app.name}.log`, { body: app.log() });
  }
  for (const context of contexts.splice(0)) await context.close();
  proxy?.setMode('none');
});

test.afterAll(async () => {
  await killAllApps();
  await proxy?.close();
  await provider?.close();
  if (runDir) rmSync(runDir, { recursive: true, force: true });
});

async function newPage(browser: Browser, app: AppProcess, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({
    baseURL: app.url,
    storageState: { cookies: [], origins: [] },
    ...options,
  });
  contexts.push(context);
  return context.newPage();
}

/**
 * The provider's own sign-in form is on screen. By its heading and exact labels: the roam page has a field
 * labelled "Paste usernames", which a loose getByLabel('Username') also finds.
 */
async function expectProviderSignInForm(page: Page) {
  await expect(page.getByRole('heading', { name: 'Sign in to the test identity provider' })).toBeVisible();
  const url = new URL(page.url());
  expect([provider.issuer, proxy.issuer]).toContain(url.origin);
  expect(url.pathname).toMatch(/^\/interaction\//);
  await expect(page.getByLabel('Username', { exact: true })).toBeVisible();
}

/** From the app's sign-in page through the provider's own form; the provider then sends the browser back. */
async function signInAtProvider(page: Page, person: Person | 'cancel') {
  await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
  await expectProviderSignInForm(page);
  if (person === 'cancel') {
    await page.getByRole('button', { name: 'Cancel' }).click();
    return;
  }
  await page.getByLabel('Username', { exact: true }).fill(person.username);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signInLocally(page: Page, who: { email: string; password: string }) {
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The failure as the person sees it on the sign-in page, with the reference of its log line; the address holds
 * no code or state, and the app's log has the reference and no token.
 */
async function expectFailure(page: Page, app: AppProcess, message: string | RegExp) {
  const alert = page.getByRole('alert').filter({ hasText: 'Not signed in' });
  await expect(alert).toContainText(message);
  const url = new URL(page.url());
  expect(url.pathname).toBe('/sign-in');
  expect(url.search).not.toMatch(/code=|state=|token/);
  const reference = /Reference for your admin: ([0-9a-f]{8})/.exec((await alert.textContent()) ?? '')?.[1];
  expect(reference, 'the message gives a reference').toBeDefined();
  expect(app.log()).toContain(`reference ${reference}`);
  // No token of any kind: neither a JWT (base64url of '{"') nor the name of the field that carries one.
  expect(app.log()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}|id_token|access_token/);
  expect(app.log()).not.toContain(CLIENT.clientSecret);
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
}

test('an operator signs in with the provider and comes back to the page they asked for, with their role', async ({
  browser,
}) => {
  const page = await newPage(browser, apps.main);
  await page.goto('/history');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fhistory/);
  await signInAtProvider(page, people.olivia);
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/history');
  expect(page.url()).not.toMatch(/code=|state=/);
  await expect(page.getByText('olivia@example.com (operator)')).toBeVisible();
  await page.goto('/');
  await expect(page.getByRole('combobox', { name: 'Origin region' })).toBeVisible();
});

test('a viewer gets a viewer’s rights; the admin’s users page marks both and offers only disable or enable', async ({
  browser,
}) => {
  const page = await newPage(browser, apps.main);
  await page.goto('/sign-in');
  await signInAtProvider(page, people.victor);
  await expect(page.getByText('victor@example.com (viewer)')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Not available to your role' })).toBeVisible();

  // The local form still works beside the provider's button: the break-glass admin signs in with a password.
  const admin = await newPage(browser, apps.main);
  await admin.goto('/sign-in');
  await expect(admin.getByText('or with a local account')).toBeVisible();
  await signInLocally(admin, LOCAL_ADMIN);
  await expect(admin.getByText(`${LOCAL_ADMIN.email} (admin)`)).toBeVisible();
  await admin.goto('/admin/users');
  const accounts = admin.getByRole('table', { name: 'Users', exact: true });
  for (const email of ['olivia@example.com', 'victor@example.com']) {
    const row = accounts.getByRole('row').filter({ hasText: email });
    await expect(row.getByText('single sign-on', { exact: true })).toBeVisible();
    await expect(row.getByText('Role from its groups at Test IdP')).toBeVisible();
    await expect(row.getByRole('button', { name: 'Disable' })).toBeVisible();
    await expect(row.getByLabel(`Role of ${email}`)).toHaveCount(0);
    await expect(row.getByLabel(`New password for ${email}`)).toHaveCount(0);
  }
  await expect(
    admin.getByRole('row').filter({ hasText: LOCAL_ADMIN.email }).getByText('single sign-on'),
  ).toHaveCount(0);
});

test('a person in none of the groups is refused, and no account is made for them', async ({ browser }) => {
  const page = await newPage(browser, apps.main);
  await page.goto('/sign-in');
  await signInAtProvider(page, people.nadia);
  await expectFailure(
    page,
    apps.main,
    'Your account at Test IdP is in none of the groups that may use sag-roam.',
  );

  const admin = await newPage(browser, apps.main);
  await admin.goto('/sign-in');
  await signInLocally(admin, LOCAL_ADMIN);
  await expect(admin.getByText(`${LOCAL_ADMIN.email} (admin)`)).toBeVisible();
  await admin.goto('/admin/users');
  const accounts = admin.getByRole('table', { name: 'Users', exact: true });
  await expect(accounts.getByRole('row').filter({ hasText: 'olivia@example.com' })).toBeVisible();
  await expect(admin.getByRole('row').filter({ hasText: 'nadia@example.com' })).toHaveCount(0);
});

test('Cancel at the provider ends on the sign-in page, saying so', async ({ browser }) => {
  const page = await newPage(browser, apps.main);
  await page.goto('/sign-in');
  await signInAtProvider(page, 'cancel');
  await expectFailure(page, apps.main, 'The sign-in at Test IdP was cancelled. Nothing was changed.');
});

test('a callback used twice, or a sign-in finished in another browser, signs nobody in', async ({
  browser,
}) => {
  // The callback's address as it passes (a redirect from the provider: seen by a request listener).
  const first = await newPage(browser, apps.main);
  let callback = '';
  first.on('request', (request) => {
    if (request.url().includes('/api/auth/oidc/callback')) callback = request.url();
  });
  await first.goto('/sign-in');
  await signInAtProvider(first, people.olivia);
  await expect(first.getByText('olivia@example.com (operator)')).toBeVisible();
  expect(callback).toContain('code=');
  const replay = await newPage(browser, apps.main);
  await replay.goto(callback);
  await expectFailure(replay, apps.main, 'This sign-in was already used or took too long. Start again.');

  // Started in one browser (the provider's address carries its state), finished in another.
  const started = await newPage(browser, apps.main);
  let authorization = '';
  started.on('request', (request) => {
    if (request.url().startsWith(provider.issuer) && request.url().includes('code_challenge=')) {
      authorization = request.url();
    }
  });
  await started.goto('/sign-in');
  await started.getByRole('link', { name: 'Sign in with Test IdP' }).click();
  await expectProviderSignInForm(started);
  expect(authorization).toContain('state=');
  const elsewhere = await newPage(browser, apps.main);
  await elsewhere.goto(authorization);
  await expectProviderSignInForm(elsewhere);
  await elsewhere.getByLabel('Username', { exact: true }).fill(people.olivia.username);
  await elsewhere.getByLabel('Password', { exact: true }).fill(people.olivia.password);
  await elsewhere.getByRole('button', { name: 'Sign in' }).click();
  await expectFailure(
    elsewhere,
    apps.main,
    'This sign-in was started in another browser or window, so it cannot be finished here.',
  );
});

test('a provider answering as another issuer, and ID tokens that fail their checks, are refused with a message', async ({
  browser,
}) => {
  // First, before anything was discovered through the front: its discovery names another issuer.
  proxy.setMode('discovery-issuer-mismatch');
  const mismatch = await newPage(browser, apps.tampered);
  await mismatch.goto('/sign-in');
  await mismatch.getByRole('link', { name: 'Sign in with Test IdP' }).click();
  await expectFailure(mismatch, apps.tampered, 'Test IdP answered as another identity provider');

  for (const mode of ['wrong-audience', 'expired', 'bad-signature', 'wrong-nonce'] satisfies TamperMode[]) {
    proxy.setMode(mode);
    const page = await newPage(browser, apps.tampered);
    await page.goto('/sign-in');
    await signInAtProvider(page, people.olivia);
    await expectFailure(page, apps.tampered, 'The answer of Test IdP failed its checks');
  }
  // Through the same front, untampered, the same person signs in: the refusals above were the tampering's.
  proxy.setMode('none');
  const page = await newPage(browser, apps.tampered);
  await page.goto('/sign-in');
  await signInAtProvider(page, people.olivia);
  await expect(page.getByText('olivia@example.com (operator)')).toBeVisible();
});

test('a provider that cannot be reached is said so on an accessible sign-in page', async ({ browser }) => {
  const page = await newPage(browser, apps.down);
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
  await expectFailure(page, apps.down, 'Test IdP could not be reached');
  await expectNoAxeViolations(page, 'the sign-in page with the provider button and a failure');
});

test('a provider refusing the app itself (a wrong client secret) is said to refuse, not blamed on the token', async ({
  browser,
}) => {
  const page = await newPage(browser, apps.wrongSecret);
  await page.goto('/sign-in');
  await signInAtProvider(page, people.olivia);
  await expectFailure(page, apps.wrongSecret, 'Test IdP refused the sign-in.');
  expect(apps.wrongSecret.log()).toContain('error=invalid_client');
  expect(apps.wrongSecret.log()).not.toContain('not-the-client-secret-01');
});

test('signing out ends the provider’s session too, with or without JavaScript', async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const page = await newPage(browser, apps.main, { javaScriptEnabled });
    await page.goto('/sign-in');
    await signInAtProvider(page, people.olivia);
    await expect(page.getByText('olivia@example.com (operator)')).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The provider's end-session endpoint asks to confirm its own sign-out (without script too: the CSP's
    // form-action lets the sign-out's redirect reach the provider), then sends the browser back to
    // APP_URL/sign-in.
    await expect(
      page.getByRole('heading', { name: 'Sign out of the test identity provider?' }),
    ).toBeVisible();
    expect(page.url().startsWith(`${provider.issuer}/session/end?`)).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(`${apps.main.url}/sign-in`);
    await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    // The provider's session is gone: the next sign-in asks for the password again instead of passing
    // straight through to the app (which it does while that session stands).
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await expectProviderSignInForm(page);
  }
});

test('OIDC_ONLY: the provider for everyone, a password for the break-glass admin only', async ({
  browser,
}) => {
  const page = await newPage(browser, apps.only);
  await page.goto('/sign-in');
  await expect(page.getByRole('link', { name: 'Sign in with Test IdP' })).toBeVisible();
  await expect(page.getByLabel('E-mail')).toHaveCount(0);
  await page.getByRole('link', { name: 'Sign in with a local admin account' }).click();
  await expect(page.getByText('Local accounts are for break-glass admins only.')).toBeVisible();
  await signInLocally(page, LOCAL_ADMIN);
  await expect(page.getByText(`${LOCAL_ADMIN.email} (admin)`)).toBeVisible();

  // A local operator the admin adds may not use the password form.
  const operator = { email: 'local.operator@example.com', password: 'local-operator-password-1' };
  await page.goto('/admin/users');
  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('E-mail').fill(operator.email);
  await form.getByLabel('Role').selectOption('operator');
  await form.getByLabel(/Initial password/).fill(operator.password);
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(form.getByRole('status')).toHaveText(`${operator.email} can now sign in as operator.`);
  const other = await newPage(browser, apps.only);
  await other.goto('/sign-in?local=1');
  await signInLocally(other, operator);
  await expect(
    other
      .getByRole('alert')
      .filter({ hasText: 'The e-mail or password is wrong, or the account is disabled.' }),
  ).toBeVisible();
  await expect(other.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});
