import path from 'node:path';
import { type Browser, expect } from '@playwright/test';

/** The accounts the browser tests use. The demo admin is created by the app itself in emulator mode. */
export const DEMO_ADMIN = { email: 'demo-admin@sag-roam.local', password: 'sag-roam-demo-password' };
export const OPERATOR = { email: 'operator@example.com', password: 'operator-password-e2e-1' };
export const VIEWER = { email: 'viewer@example.com', password: 'viewer-password-e2e-01' };

const stateDir = path.join(__dirname, '..', 'test-results', '.auth');
export const storageStates = {
  admin: path.join(stateDir, 'admin.json'),
  operator: path.join(stateDir, 'operator.json'),
  viewer: path.join(stateDir, 'viewer.json'),
};

/** A fake AccessKey secret the app signs with during the run; the scan proves it never leaves the server. */
export const FAKE_SECRET = 'FakeSecretForLeakScan-3c9e71d2a8b5';
export const FAKE_ACCESS_KEY_ID = 'LTAI5tLeakScanKeyId0001';

/**
 * An operator of a spec's own, added by the demo admin and signed in once, its session saved in `statePath`:
 * for specs that change what is remembered on the account (its language), which would reach other specs
 * through the shared operator. Returns the page of that session, signed in (in English), for the spec's own
 * set-up; the caller closes its context.
 */
export async function signInAsOwnOperator(
  browser: Browser,
  me: { email: string; password: string },
  statePath: string,
) {
  const admin = await browser.newContext({ storageState: storageStates.admin });
  const adminPage = await admin.newPage();
  await adminPage.goto('/admin/users');
  const form = adminPage.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('E-mail').fill(me.email);
  await form.getByLabel('Role').selectOption('operator');
  await form.getByLabel(/Initial password/).fill(me.password);
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(form.getByRole('status')).toHaveText(`${me.email} can now sign in as operator.`);
  await admin.close();
  const context = await browser.newContext({ locale: 'en-US', storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(me.email);
  await page.getByLabel('Password').fill(me.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await context.storageState({ path: statePath });
  return page;
}
