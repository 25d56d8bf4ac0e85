import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { OPERATOR } from './accounts';

// Hostile requests against the production build, over HTTP as an attacker would send them: where a return
// path may lead after sign-in, and what a server action body that Next.js cannot decode gets.

/** Return paths that are paths to a naive check, but lead to another host once a browser resolves them. */
const HOSTILE_RETURN_PATHS = [
  '/.//evil.com',
  '/%2e//evil.com',
  '/a/..//evil.example/x',
  '//evil.com',
  '/\\evil.com',
  'https://evil.com',
];

async function signIn(page: Page, account: { email: string; password: string }) {
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs the operator in through the sign-in form of a fresh browser, and keeps the action call it made. */
async function signInActionCall(browser: Browser) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/sign-in');
  const [request] = await Promise.all([
    page.waitForRequest(
      (candidate) => candidate.method() === 'POST' && Boolean(candidate.headers()['next-action']),
    ),
    signIn(page, OPERATOR),
  ]);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  const headers = await request.allHeaders();
  // The sign-in form sends its values and the return path as the action's two arguments, as JSON text.
  expect(JSON.parse(request.postData() ?? 'null')).toEqual([
    expect.objectContaining({ email: OPERATOR.email }),
    '/',
  ]);
  const origin = new URL(page.url()).origin;
  /** The same action, posted by hand from this browser's cookies. */
  const post = (data: string, options: { contentType?: string; origin?: string } = {}) =>
    page.request.post(request.url(), {
      headers: {
        'next-action': headers['next-action'] ?? '',
        'content-type': options.contentType ?? headers['content-type'] ?? 'text/plain;charset=UTF-8',
        accept: 'text/x-component',
        origin: options.origin ?? origin,
      },
      data,
      maxRedirects: 0,
    });
  const signInWith = (returnTo: string, options: { origin?: string } = {}) =>
    post(JSON.stringify([{ email: OPERATOR.email, password: OPERATOR.password }, returnTo]), options);
  return { context, origin, post, signInWith };
}

test.describe('the return path after sign-in', () => {
  test('signed in, the sign-in page sends a hostile next= home, and a path of this site on', async ({
    page,
    baseURL,
  }) => {
    const literal = await page.request.get('/sign-in?next=%2F.%2F%2Fevil.com', { maxRedirects: 0 });
    expect(literal.status()).toBe(307);
    expect(literal.headers().location).toBe('/');
    for (const next of HOSTILE_RETURN_PATHS) {
      const response = await page.request.get(`/sign-in?next=${encodeURIComponent(next)}`, {
        maxRedirects: 0,
      });
      expect(response.status(), next).toBe(307);
      expect(response.headers().location, next).toBe('/');
    }
    const kept = await page.request.get(`/sign-in?next=${encodeURIComponent('/history?status=failed')}`, {
      maxRedirects: 0,
    });
    expect(kept.status()).toBe(307);
    expect(kept.headers().location).toBe('/history?status=failed');

    // And a browser that follows it stays on this site.
    await page.goto('/sign-in?next=%2F.%2F%2Fevil.com');
    await expect(page).toHaveURL(`${new URL(baseURL ?? '').origin}/`);
  });

  test('the sign-in action redirects only to a path of this site, whatever return path it is sent', async ({
    browser,
  }) => {
    const { context, signInWith } = await signInActionCall(browser);
    for (const returnTo of HOSTILE_RETURN_PATHS) {
      const response = await signInWith(returnTo);
      expect(response.status(), returnTo).toBe(200);
      expect(response.headers()['x-action-redirect'], returnTo).toMatch(/^\/;(push|replace)$/);
    }
    const kept = await signInWith('/history');
    expect(kept.status()).toBe(200);
    expect(kept.headers()['x-action-redirect']).toMatch(/^\/history;(push|replace)$/);
    await context.close();
  });
});

test.describe('server action bodies that Next.js cannot decode', () => {
  test('are answered 400 with one log line each; a good body still signs in, a foreign origin still not', async ({
    browser,
  }) => {
    const { context, post, signInWith } = await signInActionCall(browser);
    expect(process.env.E2E_RUN_DIR, 'playwright.config.ts sets E2E_RUN_DIR').toBeTruthy();
    const logFile = path.join(process.env.E2E_RUN_DIR ?? '', 'server.log');
    const logStart = (await stat(logFile)).size;
    const logSinceStart = async () => (await readFile(logFile)).subarray(logStart).toString('utf8');

    const deep = 50_000;
    const malformed = [
      { name: 'JSON that does not parse', data: '[{"email":"operator@example.com",' },
      { name: `nesting ${deep} deep`, data: `${'['.repeat(deep)}${']'.repeat(deep)}` },
      {
        name: 'multipart that ends too early',
        contentType: 'multipart/form-data; boundary=----sagroam',
        data: '------sagroam\r\nContent-Disposition: form-data; name="0"\r\n\r\n["x"',
      },
    ];
    for (const { name, data, contentType } of malformed) {
      const response = await post(data, { contentType });
      expect(response.status(), name).toBe(400);
      expect(await response.text(), name).toBe('Malformed server action request.\n');
      expect(response.headers()['content-security-policy'], name).toContain("frame-ancestors 'none'");
      expect(response.headers()['x-action-redirect'], name).toBeUndefined();
    }

    // One line for each, and no stack trace or decoding error from Next.js.
    await expect
      .poll(
        async () => (await logSinceStart()).match(/refused a server action request with 400/g)?.length ?? 0,
      )
      .toBe(malformed.length);
    const log = await logSinceStart();
    expect(log).not.toMatch(/^\s+at /m);
    expect(log).not.toMatch(
      /Maximum call stack size exceeded|SyntaxError|Unexpected end of form|Failed to parse/,
    );

    // A well-formed call of the same action still works...
    const good = await signInWith('/history');
    expect(good.status()).toBe(200);
    expect(good.headers()['x-action-redirect']).toMatch(/^\/history;(push|replace)$/);
    // ...and one from another site is still refused by Next.js's Origin check.
    const forged = await signInWith('/history', { origin: 'https://attacker.example' });
    expect(forged.status()).toBeGreaterThanOrEqual(400);
    expect(forged.headers()['x-action-redirect']).toBeUndefined();
    await context.close();
  });
});

test.describe('monitoring routes of the production build', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('answer without a session: health and readiness say ok, metrics do not exist without METRICS_TOKEN', async ({
    request,
  }) => {
    const health = await request.get('/api/health');
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(health.headers()['cache-control']).toContain('no-store');
    const ready = await request.get('/api/ready');
    expect(ready.status()).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe('ready');
    const metrics = await request.get('/api/metrics', {
      headers: { authorization: 'Bearer anything-at-all-123' },
    });
    expect(metrics.status()).toBe(404);
  });
});
