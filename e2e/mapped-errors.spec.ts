import { expect, test } from '@playwright/test';

// Mapped Alibaba Cloud errors reach the admin from the production build: the pickers' route handlers and the
// account list answer the error's own code, text and RequestId, never a generic 500. The build
// bundles lib/sag into several server chunks, so an `instanceof SagError` check once failed here and only here.

const MISSING_INSTANCE = 'sag-0deleted0instance000';
// An account list names one instance, so its error speaks of that one (a roam's names both).
const NOT_FOUND_TITLE = 'The SAG APP instance was not found.';

test('the account list of an instance that does not exist answers SAG.InstanceNoFound with its RequestId', async ({
  request,
}) => {
  const answer = await request.get(`/api/regions/cn-shanghai/instances/${MISSING_INSTANCE}/users?page=1`);
  expect(answer.status()).toBe(400);
  const { error } = (await answer.json()) as {
    error: { code: string; title: string; requestId: string | null };
  };
  expect(error.code).toBe('SAG.InstanceNoFound');
  expect(error.title).toBe(NOT_FOUND_TITLE);
  expect(error.requestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-/);

  const all = await request.get(`/api/regions/cn-shanghai/instances/${MISSING_INSTANCE}/users?all=true`);
  expect(all.status()).toBe(400);
  expect(((await all.json()) as { error: { code: string } }).error.code).toBe('SAG.InstanceNoFound');
});

test('a region the API does not know answers 400 with the mapped parameter error, not 500', async ({
  request,
}) => {
  for (const path of [
    '/api/regions/xx-nowhere-1/instances',
    `/api/regions/xx-nowhere-1/instances/${MISSING_INSTANCE}/users`,
  ]) {
    const answer = await request.get(path);
    expect(answer.status(), path).toBe(400);
    const { error } = (await answer.json()) as { error: { code: string; title: string } };
    expect(error.code, path).toBe('InvalidRegionId');
    expect(error.title, path).not.toMatch(/unexpected/i);
  }
});

test('the account picker shows the mapped error of an instance that does not exist, and the plan finds it', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill(MISSING_INSTANCE);
  await page.getByRole('button', { name: 'Pick from origin' }).click();
  await expect(page.getByText(`${NOT_FOUND_TITLE} (SAG.InstanceNoFound)`)).toBeVisible();

  // A job into the missing instance, typed by ID: the plan finds it missing before any roam call, so there is
  // no job (and no "Verify on target" of one) any more.
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill('sag-shhqisehm13vdzujo497');
  await page.getByLabel('Target region').selectOption('cn-hangzhou');
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill(MISSING_INSTANCE);
  await page.getByRole('button', { name: 'Paste', exact: true }).click();
  await page.getByRole('textbox', { name: 'Paste usernames' }).fill('sh.emp141@corp.example.com');
  await page.getByRole('button', { name: 'Add to list' }).click();
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  const plan = page.getByRole('region', { name: 'Plan before sending' });
  await expect(
    plan
      .getByRole('listitem')
      .filter({ hasText: `The target instance ${MISSING_INSTANCE} does not exist in cn-hangzhou.` }),
  ).toContainText('Blocking');
  await expect(plan.getByRole('button', { name: 'Roam', exact: true })).toBeDisabled();
  await expect(page.getByRole('heading', { name: /Roam job/ })).toHaveCount(0);
  await expect(page.getByText(/Something unexpected/)).toHaveCount(0);
});
