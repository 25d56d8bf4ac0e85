import { expect, type Page, test } from '@playwright/test';
import { OPERATOR, storageStates, VIEWER } from './accounts';

// Sign-in, roles and sessions as people meet them in the browser.

const SESSION_COOKIE = 'sag-roam-session';

async function signIn(page: Page, account: { email: string; password: string }) {
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('an operator signs in, roams, and signs out; the ended session opens nothing', async ({
    page,
    context,
    request,
  }) => {
    await page.goto('/history');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fhistory$/);
    // The demo credentials are offered on the emulator only.
    await expect(page.getByText('demo-admin@sag-roam.local')).toBeVisible();

    await signIn(page, { email: OPERATOR.email, password: 'not-the-password' });
    await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText(
      'The e-mail or password is wrong, or the account is disabled.',
    );
    await signIn(page, { email: 'nobody@example.com', password: 'not-the-password' });
    await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText(
      'The e-mail or password is wrong, or the account is disabled.',
    );

    await signIn(page, OPERATOR);
    await expect(page).toHaveURL(/\/history$/);
    const [cookie] = (await context.cookies()).filter((entry) => entry.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roam' }).click();
    await page.getByLabel('Origin region').selectOption('cn-shanghai');
    await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill('sag-shhqisehm13vdzujo497');
    await page.getByLabel('Target region').selectOption('ap-northeast-1');
    await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill('sag-jptk65n2k1jy6rqfktbz');
    await page.getByRole('textbox', { name: 'Paste usernames' }).fill('sh.emp150@corp.example.com');
    await page.getByRole('button', { name: 'Add to list' }).click();
    await page.getByRole('button', { name: 'Roam', exact: true }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Job finished: 1 of 1 done, 1 succeeded' }),
    ).toBeVisible();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    await expect(page.getByRole('row').filter({ hasText: OPERATOR.email }).first()).toBeVisible();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    // The old token, replayed, is refused: sign-out ended the session on the server.
    const replay = await request.get('/history', {
      headers: { cookie: `${SESSION_COOKIE}=${cookie?.value}` },
      maxRedirects: 0,
    });
    expect(replay.status()).toBe(307);
    expect(replay.headers().location).toBe('/sign-in?next=%2Fhistory');
  });

  test('each sign-in gets a new session token', async ({ browser }) => {
    const first = await browser.newContext();
    const page = await first.newPage();
    await page.goto('/sign-in');
    await signIn(page, VIEWER);
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    const before = (await first.cookies()).find((entry) => entry.name === SESSION_COOKIE)?.value;

    await page.goto('/sign-in?next=/history');
    // Already signed in: the sign-in page sends the user on.
    await expect(page).toHaveURL(/\/history$/);
    await page.context().clearCookies();
    await page.goto('/sign-in');
    await signIn(page, VIEWER);
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    const after = (await first.cookies()).find((entry) => entry.name === SESSION_COOKIE)?.value;
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    await first.close();
  });
});

test.describe('as a viewer', () => {
  test.use({ storageState: storageStates.viewer });

  test('a viewer sees the history but no roam form, no user admin, and cannot call the roam API', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Not available to your role' })).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Origin region' })).toHaveCount(0);
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roam' }),
    ).toHaveCount(0);
    await page.getByRole('link', { name: 'See the history of roam jobs' }).click();
    await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
    await page.goto('/admin/users');
    await expect(page.getByRole('heading', { name: 'Not available to your role' })).toBeVisible();
    const regions = await page.request.get('/api/regions');
    expect(regions.status()).toBe(403);
  });
});

test.describe('an ended session', () => {
  test('is sent back to sign-in, and comes back to where it was', async ({ browser }) => {
    // Two browsers share one session; signing out in one ends it for the other too.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto('/history');
    await signIn(page, OPERATOR);
    await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();

    const other = await browser.newContext({ storageState: await context.storageState() });
    const otherPage = await other.newPage();
    await otherPage.goto('/history');
    await otherPage.getByRole('button', { name: 'Sign out' }).click();
    await expect(otherPage).toHaveURL(/\/sign-in$/);
    await other.close();

    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in\?next=%2F$/);
    await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    await expect(page.getByText(OPERATOR.email)).toHaveCount(0);
    await signIn(page, OPERATOR);
    await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
    await expect(page.getByRole('heading', { name: 'Roam client accounts' })).toBeVisible();
    await context.close();
  });
});

test.describe('request safety', () => {
  test('every response carries the security headers, with a script nonce and no inline scripts', async ({
    page,
    request,
  }) => {
    const responses = [
      await request.get('/sign-in'),
      await request.get('/api/regions', { headers: { cookie: '' } }),
      await request.get('/icon.svg'),
    ];
    for (const response of responses) {
      const headers = response.headers();
      const policy = headers['content-security-policy'] ?? '';
      const scripts = policy.split(';').find((directive) => directive.trim().startsWith('script-src')) ?? '';
      expect(scripts).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
      expect(scripts).not.toContain('unsafe-inline');
      expect(scripts).not.toContain('unsafe-eval');
      expect(policy).toContain("frame-ancestors 'none'");
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(headers['strict-transport-security']).toBeUndefined();
    }
    const overHttps = await request.get('/sign-in', { headers: { 'x-forwarded-proto': 'https' } });
    expect(overHttps.headers()['strict-transport-security']).toContain('max-age=');

    // Every script of the page's HTML carries the nonce of its response, and so does every inline script in
    // the page once it runs. Chunks that Next.js's runtime adds later (an error boundary's, say) come in
    // through 'strict-dynamic' from those trusted scripts, with a src of our own origin.
    const response = await page.goto('/history');
    const nonce = /'nonce-([^']+)'/.exec(response?.headers()['content-security-policy'] ?? '')?.[1];
    expect(nonce).toBeTruthy();
    const html = (await response?.text()) ?? '';
    const tags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    expect(tags.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual([]);
    const scripts = await page.locator('script').evaluateAll((elements) =>
      elements.map((element) => ({
        src: (element as HTMLScriptElement).src,
        nonce: (element as HTMLScriptElement).nonce,
      })),
    );
    const origin = new URL(page.url()).origin;
    for (const script of scripts) {
      if (script.src) expect(new URL(script.src).origin).toBe(origin);
      else expect(script.nonce).toBe(nonce);
    }
  });

  test('a server action posted from another origin is refused and changes nothing', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Origin region').selectOption('cn-shanghai');
    await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill('sag-shhqisehm13vdzujo497');
    await page.getByLabel('Target region').selectOption('ap-northeast-1');
    await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill('sag-jptk65n2k1jy6rqfktbz');
    await page.getByRole('textbox', { name: 'Paste usernames' }).fill('sh.emp149@corp.example.com');
    await page.getByRole('button', { name: 'Add to list' }).click();
    // The plan is asked first; the call that creates the job carries the time of the plan it confirms.
    const [actionRequest] = await Promise.all([
      page.waitForRequest(
        (candidate) =>
          candidate.method() === 'POST' &&
          Boolean(candidate.headers()['next-action']) &&
          (candidate.postData() ?? '').includes('confirmedPlanAt'),
      ),
      page.getByRole('button', { name: 'Roam', exact: true }).click(),
    ]);
    await expect(page.getByRole('status').filter({ hasText: 'Job finished: 1 of 1 done' })).toBeVisible();
    const jobsBefore = (await (await page.request.get('/api/jobs/export')).text()).trim().split('\n').length;

    // The same call, replayed with the operator's cookie, from a page on another site.
    const headers = await actionRequest.allHeaders();
    const forged = await page.request.post(actionRequest.url(), {
      headers: {
        'next-action': headers['next-action'] ?? '',
        'content-type': headers['content-type'] ?? 'text/plain;charset=UTF-8',
        accept: 'text/x-component',
        origin: 'https://attacker.example',
      },
      data: (actionRequest.postData() ?? '').replace('sh.emp149', 'sh.emp148'),
      maxRedirects: 0,
    });
    expect(forged.status()).toBeGreaterThanOrEqual(400);
    const exportLines = async () =>
      (await (await page.request.get('/api/jobs/export')).text()).trim().split('\n');
    expect((await exportLines()).length).toBe(jobsBefore);

    // Control: the very same request from the app's own origin goes through, so the origin was the reason.
    const sameOrigin = await page.request.post(actionRequest.url(), {
      headers: {
        'next-action': headers['next-action'] ?? '',
        'content-type': headers['content-type'] ?? 'text/plain;charset=UTF-8',
        accept: 'text/x-component',
        origin: new URL(page.url()).origin,
      },
      data: (actionRequest.postData() ?? '').replace('sh.emp149', 'sh.emp148'),
      maxRedirects: 0,
    });
    expect(sameOrigin.status()).toBe(200);
    expect((await exportLines()).join('\n')).toContain('sh.emp148@corp.example.com');
  });
});
