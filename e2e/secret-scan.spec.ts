import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, request, test } from '@playwright/test';
import { FAKE_SECRET, OPERATOR, storageStates, VIEWER } from './accounts';

// Runs after every other browser test (its own Playwright project): the app has signed real calls to the
// emulator with FAKE_SECRET, and the operator and viewer have signed in. None of the secrets may show up in
// the build output, in any page or export a browser can fetch, or in the server's log of the whole run.

const root = path.join(__dirname, '..');

async function* filesUnder(directory: string): AsyncGenerator<string> {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

async function sessionTokens(): Promise<string[]> {
  const tokens: string[] = [];
  for (const file of Object.values(storageStates)) {
    const state = JSON.parse(await readFile(file, 'utf8')) as { cookies: { name: string; value: string }[] };
    tokens.push(
      ...state.cookies.filter((cookie) => cookie.name.includes('session')).map((cookie) => cookie.value),
    );
  }
  return tokens;
}

test.use({ storageState: storageStates.admin });

test('no AccessKey secret, password, password hash or session token leaves the server', async ({ page }) => {
  const tokens = await sessionTokens();
  expect(tokens.length).toBeGreaterThanOrEqual(3);
  const forbidden = [FAKE_SECRET, OPERATOR.password, VIEWER.password, ...tokens];
  const check = (where: string, text: string) => {
    for (const secret of forbidden)
      expect(text.includes(secret), `${where} must not contain a secret`).toBe(false);
    expect(/scrypt\$\d+\$/.test(text), `${where} must not contain a password hash`).toBe(false);
  };

  // 1. Every file of the production build.
  let scanned = 0;
  for await (const file of filesUnder(path.join(root, '.next'))) {
    const content = await readFile(file);
    expect(content.includes(FAKE_SECRET), `${path.relative(root, file)} must not contain the secret`).toBe(
      false,
    );
    scanned += 1;
  }
  expect(scanned).toBeGreaterThan(100);

  // 2. The HTML of every page, and what the browser reads and downloads.
  const history = await page.request.get('/history');
  const jobIds = [...new Set((await history.text()).match(/\/history\/[0-9a-f-]{36}/g) ?? [])];
  expect(jobIds.length).toBeGreaterThan(0);
  const urls = [
    '/',
    '/history',
    ...jobIds,
    '/admin/users',
    '/api/regions',
    '/api/regions/cn-shanghai/instances',
    '/api/regions/cn-shanghai/instances/sag-shhqisehm13vdzujo497/users?page=1',
    `/api/jobs/${jobIds[0]?.slice('/history/'.length)}`,
    `/api/jobs/${jobIds[0]?.slice('/history/'.length)}/export`,
    '/api/jobs/export',
  ];
  for (const url of urls) {
    const response = await page.request.get(url);
    expect(response.status(), url).toBe(200);
    check(url, await response.text());
  }
  const anonymous = await request.newContext({ baseURL: test.info().project.use.baseURL });
  check('/sign-in', await (await anonymous.get('/sign-in')).text());
  await anonymous.dispose();

  // 3. The server's output for the whole run: build, start-up, every request.
  const runDir = process.env.E2E_RUN_DIR;
  expect(runDir, 'playwright.config.ts sets E2E_RUN_DIR').toBeTruthy();
  const log = await readFile(path.join(runDir ?? '', 'server.log'), 'utf8');
  expect(log).toContain('EMULATOR mode');
  check('the server log', log);
});
