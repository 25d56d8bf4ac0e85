#!/usr/bin/env node
// Remakes the README's screenshots from a running app on the emulator, so they stay current:
//   npm run demo            (in one terminal)
//   npm run screenshots     (in another; BASE_URL defaults to http://127.0.0.1:3000)
// Each run roams fresh usernames, so it works again on the same emulator state until a restart. It signs in
// as the demo admin (SCREENSHOT_EMAIL / SCREENSHOT_PASSWORD to use another account).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const outputDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'docs');
const browser = await chromium.launch({
  executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
  args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  // The demo admin, which the app creates in demo mode (emulator) when no user exists.
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('E-mail').fill(process.env.SCREENSHOT_EMAIL ?? 'demo-admin@sag-roam.local');
  await page.getByLabel('Password').fill(process.env.SCREENSHOT_PASSWORD ?? 'sag-roam-demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.goto(baseUrl);
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).click();
  await page
    .getByRole('listbox')
    .filter({ visible: true })
    .getByRole('option', { name: /shanghai-hq-app/ })
    .click();
  await page.getByLabel('Target region').selectOption('cn-hangzhou');
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).click();
  await page
    .getByRole('listbox')
    .filter({ visible: true })
    .getByRole('option', { name: /hangzhou-rnd-app/ })
    .click();

  // The first username of the origin not yet on the target, and one that already exists there.
  const users = await page.evaluate(async () => {
    const list = async (instance, region, search) => {
      const response = await fetch(
        `/api/regions/${region}/instances/${instance}/users?page=1&search=${search}`,
      );
      return (await response.json()).users.map((user) => user.userName);
    };
    const onTarget = new Set(await list('sag-hzrdu7a0kxemg6nf99vr', 'cn-hangzhou', 'sh.emp'));
    const candidates = await list('sag-shhqisehm13vdzujo497', 'cn-shanghai', 'sh.emp');
    return candidates.filter((name) => !onTarget.has(name)).slice(0, 2);
  });
  await page
    .getByRole('textbox', { name: 'Paste usernames' })
    .fill([...users, 'wang.fang@corp.example.com'].join('\n'));
  await page.getByRole('button', { name: 'Add to list' }).click();
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Job finished' }).waitFor();
  const job = page.getByRole('region', { name: /Roam job/ });
  await job.scrollIntoViewIfNeeded();
  const box = await job.boundingBox();
  if (!box) throw new Error('the job section is not visible');
  const margin = 16;
  // boundingBox is relative to the viewport; a full-page clip is relative to the page.
  const scrollY = await page.evaluate(() => window.scrollY);
  await page.screenshot({
    path: path.join(outputDir, 'finished-job.png'),
    fullPage: true,
    clip: {
      x: box.x - margin,
      y: box.y + scrollY - margin,
      width: box.width + 2 * margin,
      height: box.height + 2 * margin,
    },
  });
  console.log(`wrote ${path.join(outputDir, 'finished-job.png')}`);
} finally {
  await browser.close();
}
