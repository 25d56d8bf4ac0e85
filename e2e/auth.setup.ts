import { expect, type Page, test as setup } from '@playwright/test';
import { DEMO_ADMIN, OPERATOR, storageStates, VIEWER } from './accounts';

async function signIn(page: Page, account: { email: string; password: string }) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

setup('the demo admin adds an operator and a viewer; each signs in once', async ({ browser }) => {
  const admin = await browser.newPage();
  await signIn(admin, DEMO_ADMIN);
  await admin.goto('/admin/users');
  for (const [account, role] of [
    [OPERATOR, 'operator'],
    [VIEWER, 'viewer'],
  ] as const) {
    const form = admin.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('E-mail').fill(account.email);
    await form.getByLabel('Role').selectOption(role);
    await form.getByLabel(/Initial password/).fill(account.password);
    await form.getByRole('button', { name: 'Add user' }).click();
    await expect(form.getByRole('status')).toHaveText(`${account.email} can now sign in as ${role}.`);
  }
  await admin.context().storageState({ path: storageStates.admin });

  for (const [account, file] of [
    [OPERATOR, storageStates.operator],
    [VIEWER, storageStates.viewer],
  ] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, account);
    await context.storageState({ path: file });
    await context.close();
  }
});
