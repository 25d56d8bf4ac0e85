import { expect, type Locator, type Page, test } from '@playwright/test';

// The roam page around the form (issue 15): what Roam leads to is in view and focused at once, on a wide
// screen and a phone; names left in the paste box are sent; the route survives a reload; a running job of
// yours shows when you come back. Its usernames: sh.emp092–099 to tokyo-app, and shanghai-pudong-app's own
// pd.staff001–025 to hangzhou-rnd-app (no other spec roams from shanghai-pudong-app).

const SHANGHAI_HQ = 'sag-shhqisehm13vdzujo497';
const TOKYO = 'sag-jptk65n2k1jy6rqfktbz';
const PUDONG = 'sag-shpdog8rel1kbpt4vywb';
const HANGZHOU_RND = 'sag-hzrdu7a0kxemg6nf99vr';

async function chooseRoute(page: Page, target: { region: string; instance: string }) {
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill(SHANGHAI_HQ);
  await page.getByLabel('Target region').selectOption(target.region);
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill(target.instance);
}

/** Whether the element's box lies within the window (at least its top part, where its heading is). */
async function inViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return (
      box.top >= 0 && box.top < window.innerHeight - 40 && box.left >= 0 && box.right <= window.innerWidth
    );
  });
}

/** A list of usernames long enough to push Roam to the bottom of a phone's screen and beyond. */
async function fillForm(page: Page, usernames: string[]) {
  await chooseRoute(page, { region: 'ap-northeast-1', instance: TOKYO });
  await page.getByRole('textbox', { name: 'Paste usernames' }).fill(usernames.join('\n'));
  await page.getByRole('button', { name: 'Add to list' }).click();
}

for (const screen of [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, confirmed: ['sh.emp092', 'sh.emp093'] },
  { name: 'phone', viewport: { width: 390, height: 844 }, confirmed: ['sh.emp094', 'sh.emp095'] },
]) {
  test(`${screen.name}: the plan, then the job, are in view and focused right after Roam`, async ({
    page,
  }) => {
    await page.setViewportSize(screen.viewport);
    await page.goto('/');
    await fillForm(
      page,
      screen.confirmed.map((name) => `${name}@corp.example.com`),
    );
    // Roam pressed from wherever it is, the page scrolled to it, as an admin would.
    const roam = page.getByRole('button', { name: 'Roam', exact: true });
    await roam.scrollIntoViewIfNeeded();
    await roam.click();

    const planHeading = page.getByRole('heading', { name: 'Plan before sending' });
    await expect(planHeading).toBeFocused();
    expect(await inViewport(planHeading)).toBe(true);

    await page
      .getByRole('region', { name: 'Plan before sending' })
      .getByRole('button', { name: 'Roam', exact: true })
      .click();
    const job = page.getByRole('heading', { name: /^Roam job/ });
    await expect(job).toBeVisible();
    // Focus is on the job's region (it holds the heading), and the job is in the window.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.querySelector('h2')?.textContent ?? ''))
      .toMatch(/^Roam job/);
    expect(await inViewport(job)).toBe(true);
    await expect(page.getByRole('status').filter({ hasText: /^Job finished/ })).toBeVisible();
  });
}

test('a lone username goes straight on: its job is in view and focused', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await fillForm(page, ['sh.emp096@corp.example.com']);
  const roam = page.getByRole('button', { name: 'Roam', exact: true });
  await roam.scrollIntoViewIfNeeded();
  await roam.click();
  const job = page.getByRole('heading', { name: /^Roam job/ });
  await expect(job).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.querySelector('h2')?.textContent ?? ''))
    .toMatch(/^Roam job/);
  expect(await inViewport(job)).toBe(true);
});

test('names typed in the paste box and not added are what Roam sends', async ({ page }) => {
  await page.goto('/');
  await chooseRoute(page, { region: 'ap-northeast-1', instance: TOKYO });
  await page
    .getByRole('textbox', { name: 'Paste usernames' })
    .fill('sh.emp097@corp.example.com, sh.emp098@corp.example.com');
  await page.getByRole('button', { name: 'Roam', exact: true }).click();

  const plan = page.getByRole('region', { name: 'Plan before sending' });
  await expect(plan.getByText(/^Roam 2 accounts from/)).toBeVisible();
  await expect(page.getByText('Enter at least one username')).toHaveCount(0);
  // The names went into the list, where the admin can see and change them, and the box is empty.
  const list = page.getByRole('list', { name: 'Usernames to roam' });
  await expect(list.getByText('sh.emp097@corp.example.com', { exact: true })).toBeVisible();
  await expect(list.getByText('sh.emp098@corp.example.com', { exact: true })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Paste usernames' })).toHaveValue('');
});

test('an empty list and an empty box still say what to do, and focus goes to the list', async ({ page }) => {
  await page.goto('/');
  await chooseRoute(page, { region: 'ap-northeast-1', instance: TOKYO });
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(page.getByText('Enter at least one username')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Roam', exact: true })).not.toBeFocused();
});

test('a missing field takes focus when Roam finds it, not the Roam button', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill(SHANGHAI_HQ);
  await page.getByRole('textbox', { name: 'Paste usernames' }).fill('sh.emp099@corp.example.com');
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(page.getByLabel('Target region')).toBeFocused();
});

test('the route is in the address: a reload keeps origin and target, a job link keeps it too', async ({
  page,
}) => {
  await page.goto('/');
  await chooseRoute(page, { region: 'ap-northeast-1', instance: TOKYO });
  await expect(page).toHaveURL(
    new RegExp(
      `originRegion=cn-shanghai.*originInstance=${SHANGHAI_HQ}.*targetRegion=ap-northeast-1.*targetInstance=${TOKYO}`,
    ),
  );
  await page.reload();
  await expect(page.getByLabel('Origin region')).toHaveValue('cn-shanghai');
  await expect(page.getByRole('combobox', { name: 'Origin SAG APP instance' })).toHaveValue(SHANGHAI_HQ);
  await expect(page.getByLabel('Target region')).toHaveValue('ap-northeast-1');
  await expect(page.getByRole('combobox', { name: 'Target SAG APP instance' })).toHaveValue(TOKYO);

  // Another region clears the instance, in the form and in the address.
  await page.getByLabel('Target region').selectOption('cn-hangzhou');
  await expect(page).not.toHaveURL(/targetInstance=/);
  await expect(page).toHaveURL(/targetRegion=cn-hangzhou/);

  // A malformed value in the address is left out, never shown as chosen.
  await page.goto(`/?originRegion=cn-shanghai&originInstance=${encodeURIComponent('<b>x</b>')}`);
  await expect(page.getByLabel('Origin region')).toHaveValue('cn-shanghai');
  await expect(page.getByRole('combobox', { name: 'Origin SAG APP instance' })).toHaveValue('');
});

test('coming back to the roam page while a job of yours runs shows it, with a link to it', async ({
  page,
}) => {
  // All 25 accounts of shanghai-pudong-app (no other spec roams them) at the run's 5 calls per second: the job
  // runs for about five seconds.
  const usernames = Array.from({ length: 25 }, (_, index) => `pd.staff${String(index + 1).padStart(3, '0')}`);
  await page.goto('/');
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill(PUDONG);
  await page.getByLabel('Target region').selectOption('cn-hangzhou');
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill(HANGZHOU_RND);
  await page.getByRole('textbox', { name: 'Paste usernames' }).fill(usernames.join('\n'));
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await page
    .getByRole('region', { name: 'Plan before sending' })
    .getByRole('button', { name: 'Roam', exact: true })
    .click();
  await expect(page).toHaveURL(/[?&]job=[0-9a-f-]{36}/);
  const jobId = new URL(page.url()).searchParams.get('job') ?? '';

  // A fresh visit, as after closing the tab.
  await page.goto('/');
  const running = page.getByRole('region', { name: 'Your running jobs' });
  await expect(running).toBeVisible();
  const link = running.getByRole('link', { name: `Open job ${jobId.slice(0, 8)}` });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/history/${jobId}$`));
  await expect(page.getByRole('status').filter({ hasText: /^Job finished/ })).toBeVisible({
    timeout: 30_000,
  });

  // Once it has ended, the roam page no longer lists it.
  await page.goto('/');
  await expect(page.getByRole('link', { name: `Open job ${jobId.slice(0, 8)}` })).toHaveCount(0);
});
