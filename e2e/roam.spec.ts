import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { csvCells } from './csv';

// The whole roam flow as an admin does it, on the app's built-in emulator (see playwright.config.ts).
// The emulator keeps its state for the whole run, so each test roams usernames of its own.

async function chooseInstance(page: Page, label: string, name: RegExp) {
  const combobox = page.getByRole('combobox', { name: label });
  await combobox.click();
  await page.getByRole('listbox').filter({ visible: true }).getByRole('option', { name }).click();
}

async function chooseRoute(page: Page, target: { region: string; instance: RegExp }) {
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await chooseInstance(page, 'Origin SAG APP instance', /shanghai-hq-app/);
  await page.getByLabel('Target region').selectOption(target.region);
  await chooseInstance(page, 'Target SAG APP instance', target.instance);
}

/** The plan before sending, and its own Roam button (the form's is hidden while a plan is shown). */
function planRegion(page: Page) {
  return page.getByRole('region', { name: 'Plan before sending' });
}

async function confirmRoam(page: Page, question: string | RegExp) {
  const plan = planRegion(page);
  await expect(plan.getByText(question)).toBeVisible();
  await plan.getByRole('button', { name: 'Roam', exact: true }).click();
}

/** How many roam calls a username of a job has had, from the job's export. */
async function attemptsOf(page: Page, jobId: string, username: string): Promise<number> {
  const lines = (await (await page.request.get(`/api/jobs/${jobId}/export`)).text()).trim().split(/\r\n/);
  const header = csvCells(lines[0]?.replace(/^\uFEFF/, '') ?? '');
  const cells = lines
    .slice(1)
    .map(csvCells)
    .find((line) => line[header.indexOf('username')] === username);
  return Number(cells?.[header.indexOf('attempts')]);
}

function row(page: Page, username: string) {
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });
}

test('an admin roams usernames and sees each RequestId, the mapped error and the field error', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByText('Emulator mode:')).toBeVisible();
  await chooseRoute(page, { region: 'cn-hangzhou', instance: /hangzhou-rnd-app/ });
  await expect(
    page
      .getByText(/sag-hzrdu7a0kxemg6nf99vr · Active · quota 300 · CIDR 10\.20\.0\.0\/16/)
      .filter({ visible: true }),
  ).toBeVisible();

  // One that roams, one that already exists on the target, one whose static IP the target refuses, one that
  // breaks the username rules.
  await page
    .getByRole('textbox', { name: 'Paste usernames' })
    .fill('liu.yang\nwang.fang@corp.example.com, nas.gateway, bad!');
  await page.getByRole('button', { name: 'Add to list' }).click();
  await expect(page.getByText('4 usernames, 1 invalid')).toBeVisible();
  await expect(page.getByText('Invalid: too short: at least 7 characters')).toBeVisible();

  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(
    page.getByText('"bad!" is not a valid username: too short: at least 7 characters'),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: /Roam job/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Remove 1 invalid' }).click();
  await page.getByRole('button', { name: 'Roam', exact: true }).click();

  // The plan finds the account already on the target before any call: it is skipped, the rest confirmed.
  await expect(planRegion(page).getByRole('status')).toHaveText(
    '2 will be sent · 1 already on the target (skipped, recorded as already present)',
  );
  await confirmRoam(
    page,
    'Roam 2 accounts from shanghai-hq-app (cn-shanghai) to hangzhou-rnd-app (cn-hangzhou)?',
  );

  await expect(
    page.getByRole('status').filter({
      hasText:
        'Job finished with failures: 1 of 3 failed or not sent; 1 succeeded, 1 already on target, 1 failed.',
    }),
  ).toBeVisible();
  await expect(row(page, 'liu.yang')).toContainText('Succeeded');
  await expect(row(page, 'liu.yang')).toContainText(/RequestId\s*[0-9A-F]{8}-[0-9A-F]{4}-/);
  const refused = row(page, 'nas.gateway');
  await expect(refused).toContainText('Failed');
  await expect(refused).toContainText("The account's static client IP does not fit the target instance.");
  // The fix is said once, for every username it concerns, in the failures grouped by cause.
  await expect(page.getByRole('region', { name: 'Failures by cause' })).toContainText(
    "Give the account an IP address inside the target instance's client CIDR block",
  );
  await expect(refused).toContainText('ClientUser.InvalidClientIp');
  await expect(refused).toContainText(/RequestId\s*[0-9A-F]{8}-/);
  // It was there before this job: recorded as already present, never as roamed by it, with no RequestId of ours.
  const clash = row(page, 'wang.fang@corp.example.com');
  await expect(clash).toContainText('Already on target');
  await expect(clash).toContainText('there before this job, not roamed by it');
  await expect(clash).not.toContainText('RequestId');
  await expect(page).toHaveURL(/[?&]job=[0-9a-f-]{36}/);

  // Verify on target: the roamed account and the one already there are on it; the refused one is not.
  await page.getByRole('button', { name: 'Verify on target' }).click();
  // One missing is a warning, not a success.
  const verified = page.getByRole('status').filter({
    hasText: '2 of 3 usernames are on hangzhou-rnd-app (sag-hzrdu7a0kxemg6nf99vr); 1 missing.',
  });
  await expect(verified).toContainText('1 username is missing on the target');
  await expect(row(page, 'liu.yang')).toContainText('verified on target');
  await expect(row(page, 'nas.gateway')).toContainText('missing on target');

  // Retry failed checks the target first: the refused account is missing, so it is sent again, and the
  // target refuses it again with the same mapped error.
  const jobId = new URL(page.url()).searchParams.get('job') ?? '';
  expect(await attemptsOf(page, jobId, 'nas.gateway')).toBe(1);
  await page.getByRole('button', { name: 'Retry failed' }).click();
  await expect(
    page.getByText('1 item will be checked on the target and sent again if missing.'),
  ).toBeVisible();
  await expect.poll(() => attemptsOf(page, jobId, 'nas.gateway')).toBe(2);
  await expect(
    page.getByRole('status').filter({
      hasText:
        'Job finished with failures: 1 of 3 failed or not sent; 1 succeeded, 1 already on target, 1 failed.',
    }),
  ).toBeVisible();
  await expect(refused).toContainText('ClientUser.InvalidClientIp');
  await expect(clash).not.toContainText('RequestId');
});

test('a larger job keeps going across a reload, and is found in history and exported', async ({ page }) => {
  await page.goto('/');
  await chooseRoute(page, { region: 'ap-northeast-1', instance: /tokyo-app/ });

  await page.getByRole('button', { name: 'Pick from origin' }).click();
  await page.getByLabel('Search accounts of sag-shhqisehm13vdzujo497').fill('shstaff');
  await page.getByRole('button', { name: 'Add all 30 matching to the list' }).click();
  await expect(page.getByText('30 usernames added from the origin instance.')).toBeVisible();
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await confirmRoam(
    page,
    'Roam 30 accounts from shanghai-hq-app (cn-shanghai) to tokyo-app (ap-northeast-1)?',
  );

  await expect(page).toHaveURL(/[?&]job=[0-9a-f-]{36}/);
  const jobId = new URL(page.url()).searchParams.get('job');
  await expect(page.getByRole('status').filter({ hasText: /^Job running/ })).toBeVisible();

  await page.reload();
  const progress = page.getByRole('progressbar', { name: 'Roam job progress' });
  await expect(progress).toBeVisible();
  await expect(
    page.getByRole('status').filter({ hasText: 'Job finished: 30 of 30 done, 30 succeeded, 0 failed.' }),
  ).toBeVisible({
    timeout: 30_000,
  });
  await expect(progress).toHaveAttribute('aria-valuenow', '30');

  // History: filter by one of its usernames, open the job, export it.
  await page.getByRole('link', { name: 'History' }).click();
  await page.getByLabel('Username contains').fill('shstaff017');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/username=shstaff017/);
  // One row: its job link (the others of the row are its instances' filters).
  const jobLinks = page.getByRole('table').getByRole('link', { name: /^\d{4}-\d{2}-\d{2}/ });
  await expect(jobLinks).toHaveCount(1);
  await jobLinks.first().click();
  await expect(page).toHaveURL(new RegExp(`/history/${jobId}`));
  await expect(page.getByRole('heading', { name: /Attempts \(30\)/ })).toBeVisible();

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe(`sag-roam-job-${jobId}.csv`);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r\n/);
  expect(lines).toHaveLength(31);
  expect(lines[0]).toContain('username,status');
  expect(csv).toMatch(/shstaff017,succeeded,/);
});

/** Presses Tab until the element has focus, as a keyboard user would; fails if it never does. */
async function tabTo(page: Page, target: ReturnType<Page['getByRole']>, maxPresses = 20) {
  for (let press = 0; press < maxPresses; press += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('the form can be completed with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  const originRegion = page.getByRole('combobox', { name: 'Origin region' });
  await tabTo(page, originRegion);
  await page.keyboard.type('China (Shanghai)');
  await expect(originRegion).toHaveValue('cn-shanghai');

  await page.keyboard.press('Tab');
  const originInstance = page.getByRole('combobox', { name: 'Origin SAG APP instance' });
  await expect(originInstance).toBeFocused();
  // The list is announced once loaded; a keyboard user types to filter it.
  await expect(page.getByText('2 SAG APP instances in cn-shanghai.')).toBeVisible();
  await page.keyboard.type('hq');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(originInstance).toHaveValue('sag-shhqisehm13vdzujo497');

  await page.keyboard.press('Tab');
  const targetRegion = page.getByRole('combobox', { name: 'Target region' });
  await expect(targetRegion).toBeFocused();
  await page.keyboard.type('Singapore');
  await expect(targetRegion).toHaveValue('ap-southeast-1');

  // Singapore's one instance has a full quota: the plan says so before sending, by keyboard too.
  await page.keyboard.press('Tab');
  const targetInstance = page.getByRole('combobox', { name: 'Target SAG APP instance' });
  await expect(targetInstance).toBeFocused();
  await expect(page.getByText('1 SAG APP instance in ap-southeast-1.')).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(targetInstance).toHaveValue('sag-sgap2ee0edr9cah5i4s0');

  const pasted = page.getByRole('textbox', { name: 'Paste usernames' });
  await tabTo(page, pasted);
  await page.keyboard.type('sun.lili');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Add to list' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('1 username (at most 1,000)')).toBeVisible();

  await tabTo(page, page.getByRole('button', { name: 'Roam', exact: true }));
  await page.keyboard.press('Enter');
  const plan = planRegion(page);
  await expect(plan.getByRole('heading', { name: 'Plan before sending' })).toBeFocused();
  await expect(
    plan.getByRole('listitem').filter({ hasText: /has no free client account: 50 of 50 are in use/ }),
  ).toContainText('Blocking');
  await expect(plan.getByRole('button', { name: 'Roam', exact: true })).toBeDisabled();
  // The disabled Roam is passed over; the next step is checking again.
  await page.keyboard.press('Tab');
  await expect(plan.getByRole('button', { name: 'Check again' })).toBeFocused();
  await expect(page.getByRole('heading', { name: /Roam job/ })).toHaveCount(0);
});
