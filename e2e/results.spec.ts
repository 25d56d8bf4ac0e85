import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { resultRow } from './job-page';

// Results at a glance (issue 12), on the app's built-in emulator: a job of 67 usernames with two error codes
// reads as a job with failures (header and history), its failures grouped by cause with each explanation and
// fix once and the usernames to copy, and its table filtered by state, searched by username and paged. The
// emulator keeps its state for the whole run: sh.emp130…133 are this file's alone; the other names change
// nothing there (one is refused by the target, one is on it already, the rest are on no instance).

const SHANGHAI_HQ = 'sag-shhqisehm13vdzujo497';
const HANGZHOU_RND = 'sag-hzrdu7a0kxemg6nf99vr';

const roamed = Array.from({ length: 4 }, (_, index) => `sh.emp${130 + index}@corp.example.com`);
const refused = 'nas.gateway';
const alreadyThere = 'zhang.min';
const notOnOrigin = [
  'nobody.here',
  ...Array.from({ length: 60 }, (_, index) => `ghost.results${String(index + 1).padStart(2, '0')}`),
];
const usernames = [...roamed, refused, alreadyThere, ...notOnOrigin];

const NOT_ON_ORIGIN_TITLE = 'Not sent: the origin instance has no client account with this username.';
const NOT_ON_ORIGIN_FIX =
  'Check the spelling (names are compared exactly) and the origin instance; roaming copies an account that exists on the origin.';
const CLIENT_IP_TITLE = "The account's static client IP does not fit the target instance.";
const CLIENT_IP_FIX =
  "Give the account an IP address inside the target instance's client CIDR block, or switch it to a dynamic IP on the origin instance, then retry.";

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const row = resultRow;

function resultRows(page: Page) {
  // The header row is not a result.
  return page
    .getByRole('table', { name: 'Result per username' })
    .getByRole('row')
    .filter({
      has: page.getByRole('cell'),
    });
}

function showing(page: Page) {
  return page.getByRole('status').filter({ hasText: /^(Showing|No username matches)/ });
}

/** The job view (not the roam form around it on `/`). */
function jobView(page: Page) {
  return page.getByRole('region', { name: /^Roam job/ });
}

let jobId = '';

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill(SHANGHAI_HQ);
  await page.getByLabel('Target region').selectOption('cn-hangzhou');
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill(HANGZHOU_RND);
  await page.getByRole('textbox', { name: 'Paste usernames' }).fill(usernames.join('\n'));
  await page.getByRole('button', { name: 'Add to list' }).click();
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  const plan = page.getByRole('region', { name: 'Plan before sending' });
  await expect(plan.getByText(/^Roam 5 accounts from/)).toBeVisible();
  await plan.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(
    page.getByRole('status').filter({
      hasText:
        'Job finished with failures: 62 of 67 failed or not sent; 4 succeeded, 1 already on target, 1 failed, 61 not sent.',
    }),
  ).toBeVisible({ timeout: 30_000 });
  // The address takes the job once the page has been told (a job this small can finish first).
  await expect(page).toHaveURL(/[?&]job=[0-9a-f-]{36}/);
  jobId = new URL(page.url()).searchParams.get('job') ?? '';
  await context.close();
});

test('a job with several error codes reads as one with failures, its failures grouped by cause', async ({
  page,
}) => {
  await page.goto(`/history/${jobId}`);
  const job = jobView(page);
  await expect(job.getByRole('heading', { name: /^Roam job/ })).toContainText('Finished with failures');
  await expect(page.getByRole('progressbar', { name: 'Roam job progress' })).toHaveAttribute(
    'aria-valuenow',
    '67',
  );

  // Largest group first; each explanation and fix once on the page, however many usernames it hit.
  const groups = page.getByRole('region', { name: 'Failures by cause' }).getByRole('listitem');
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(0)).toContainText(`61 × ${NOT_ON_ORIGIN_TITLE}`);
  await expect(groups.nth(0)).toContainText('SagRoam.NotOnOrigin');
  await expect(groups.nth(0)).toContainText('Not sent');
  await expect(groups.nth(1)).toContainText(`1 × ${CLIENT_IP_TITLE}`);
  await expect(groups.nth(1)).toContainText('ClientUser.InvalidClientIp');
  await expect(page.getByText(NOT_ON_ORIGIN_FIX)).toHaveCount(1);
  await expect(page.getByText(CLIENT_IP_FIX)).toHaveCount(1);
  // Neither a success nor a username already on the target is a failure.
  await expect(groups.filter({ hasText: 'zhang.min' })).toHaveCount(0);

  // A group opens to its usernames, in the job's order, and copies them all at once.
  const show = groups.nth(0).getByRole('button', { name: 'Show the 61 usernames' });
  await expect(show).toHaveAttribute('aria-expanded', 'false');
  await show.click();
  await expect(groups.nth(0).getByRole('button', { name: 'Hide the usernames' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  await expect(page.getByRole('textbox', { name: 'Usernames with SagRoam.NotOnOrigin' })).toHaveValue(
    notOnOrigin.join('\n'),
  );
  await groups.nth(0).getByRole('button', { name: 'Copy the 61 usernames with SagRoam.NotOnOrigin' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(notOnOrigin.join('\n'));

  // The rows still say what happened to each username (the fix is in its group).
  await expect(row(page, refused)).toContainText('Failed');
  await expect(row(page, refused)).toContainText(CLIENT_IP_TITLE);
  await expect(row(page, refused)).toContainText('ClientUser.InvalidClientIp');
  await expect(row(page, refused)).not.toContainText(CLIENT_IP_FIX);
  await expect(row(page, alreadyThere)).toContainText('Already on target');
  await expect(row(page, roamed[0] ?? '')).toContainText('Succeeded');
  await expectNoAxeViolations(page);

  // History says it too: not a plain "completed".
  await page.goto('/history?username=ghost.results01');
  const listed = page.getByRole('row').filter({ has: page.locator(`a[href="/history/${jobId}"]`) });
  await expect(listed).toContainText('Finished with failures');
  await expect(listed).toContainText('61 not sent');
});

test('the results filter by state, search by username in any case, and page 50 at a time', async ({
  page,
}) => {
  await page.goto(`/?job=${jobId}`);
  await expect(showing(page)).toHaveText('Showing 1–50 of 67 usernames.');
  await expect(resultRows(page)).toHaveCount(50);
  const pages = page.getByRole('navigation', { name: 'Result pages' });
  await expect(pages).toContainText('Page 1 of 2');
  await expect(pages.getByRole('button', { name: 'Previous page' })).toBeDisabled();
  await pages.getByRole('button', { name: 'Next page' }).click();
  await expect(showing(page)).toHaveText('Showing 51–67 of 67 usernames.');
  await expect(resultRows(page)).toHaveCount(17);
  await expect(row(page, 'ghost.results60')).toContainText('Not sent');
  await expect(pages.getByRole('button', { name: 'Next page' })).toBeDisabled();

  // By state: the counts are in the choices, and the list starts again at its first page.
  const state = jobView(page).getByLabel('Show', { exact: true });
  await state.selectOption({ label: 'Failed (1)' });
  await expect(showing(page)).toHaveText('Showing 1–1 of 1 matching username (67 in the job).');
  await expect(resultRows(page)).toHaveCount(1);
  await expect(row(page, refused)).toContainText('ClientUser.InvalidClientIp');
  await expect(pages).toHaveCount(0);
  await state.selectOption({ label: 'Succeeded (4)' });
  await expect(resultRows(page)).toHaveCount(4);
  for (const username of roamed) await expect(row(page, username)).toContainText('Succeeded');

  // By a part of the username, whatever its case, with or without a state.
  await state.selectOption({ label: 'All (67)' });
  const search = jobView(page).getByRole('searchbox', { name: 'Search usernames' });
  await search.fill('SH.EMP13');
  await expect(showing(page)).toHaveText('Showing 1–4 of 4 matching usernames (67 in the job).');
  await search.fill('Ghost.Results0');
  await expect(resultRows(page)).toHaveCount(9);
  await state.selectOption({ label: 'Not sent (61)' });
  await search.fill('NOBODY');
  await expect(resultRows(page)).toHaveCount(1);
  await expect(row(page, 'nobody.here')).toContainText('SagRoam.NotOnOrigin');
  await search.fill('no-such-user');
  await expect(showing(page)).toHaveText('No username matches.');
  await expect(page.getByRole('table', { name: 'Result per username' })).toHaveCount(0);

  // One click back to everything.
  await page.getByRole('button', { name: 'Show all' }).click();
  await expect(search).toHaveValue('');
  await expect(state).toHaveValue('all');
  await expect(showing(page)).toHaveText('Showing 1–50 of 67 usernames.');

  // A bigger page.
  await jobView(page).getByLabel('Per page').selectOption('100');
  await expect(resultRows(page)).toHaveCount(67);
  await expect(pages).toHaveCount(0);
});

test('filter and search work from the keyboard alone', async ({ page }) => {
  await page.goto(`/history/${jobId}`);
  const search = page.getByRole('searchbox', { name: 'Search usernames' });
  await search.focus();
  await page.keyboard.type('nas.');
  await expect(resultRows(page)).toHaveCount(1);
  await page.keyboard.press('Shift+Tab');
  await expect(jobView(page).getByLabel('Show', { exact: true })).toBeFocused();
  await search.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await expect(showing(page)).toHaveText('Showing 1–50 of 67 usernames.');
  // To the next page by keyboard.
  const next = page.getByRole('button', { name: 'Next page' });
  await next.focus();
  await page.keyboard.press('Enter');
  await expect(showing(page)).toHaveText('Showing 51–67 of 67 usernames.');
});

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    results.violations.map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}
