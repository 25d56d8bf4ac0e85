import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { storageStates } from './accounts';
import { expectNoAxeViolations } from './axe';
import { csvCells } from './csv';

// History (issue 15): every instance is shown by name and ID (the ID a link to the jobs of that instance), in
// the rows and in a job's header; each row says its username count and marks its failures; the instance search
// takes a part of a name or an ID in any case; "Only jobs with failures" keeps those; an ignored filter keeps
// its value in its field with the reason; on a 390 px phone nothing scrolls sideways and every column shows.
// On the app's built-in emulator, whose state lasts the whole run: shstaff020–025 are this file's alone, and
// ghost.history01 is on no instance (the plan skips it: never sent).

const SHANGHAI_HQ = 'sag-shhqisehm13vdzujo497';
const HANGZHOU_RND = 'sag-hzrdu7a0kxemg6nf99vr';
// In this run's directory: a worker started again after a failure finds the jobs already made.
const myJobs = path.join(process.env.E2E_RUN_DIR ?? '', 'history-jobs.json');

/** 2 roamed and 1 not sent (not on the origin): a job with failures. */
const withFailures = ['shstaff020', 'shstaff021', 'ghost.history01'];
/** All roamed. */
const allDone = ['shstaff022', 'shstaff023'];
/** Roamed to the same target after the others, for a search that must list all three. */
const later = ['shstaff024', 'shstaff025'];

let failedJob = '';
let cleanJob = '';
let laterJob = '';

async function chooseInstance(page: Page, label: string, name: RegExp) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('listbox').filter({ visible: true }).getByRole('option', { name }).click();
}

/** Roams from shanghai-hq-app to hangzhou-rnd-app, chosen in the pickers, confirming the plan. */
async function roam(page: Page, usernames: string[]): Promise<string> {
  await page.goto('/');
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await chooseInstance(page, 'Origin SAG APP instance', /shanghai-hq-app/);
  await page.getByLabel('Target region').selectOption('cn-hangzhou');
  await chooseInstance(page, 'Target SAG APP instance', /hangzhou-rnd-app/);
  await page.getByRole('textbox', { name: 'Paste usernames' }).fill(usernames.join('\n'));
  await page.getByRole('button', { name: 'Add to list' }).click();
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await page
    .getByRole('region', { name: 'Plan before sending' })
    .getByRole('button', { name: 'Roam', exact: true })
    .click();
  await expect(page).toHaveURL(/[?&]job=[0-9a-f-]{36}/);
  await expect(page.getByRole('status').filter({ hasText: /^Job finished/ })).toBeVisible({
    timeout: 30_000,
  });
  return new URL(page.url()).searchParams.get('job') ?? '';
}

test.beforeAll(async ({ browser }) => {
  if (existsSync(myJobs)) {
    ({ failedJob, cleanJob, laterJob } = JSON.parse(readFileSync(myJobs, 'utf8')) as {
      failedJob: string;
      cleanJob: string;
      laterJob: string;
    });
    return;
  }
  const context = await browser.newContext({ locale: 'en-US', storageState: storageStates.operator });
  const page = await context.newPage();
  failedJob = await roam(page, withFailures);
  cleanJob = await roam(page, allDone);
  laterJob = await roam(page, later);
  writeFileSync(myJobs, JSON.stringify({ failedJob, cleanJob, laterJob }));
  await context.close();
});

/** A job's row in the history list, found by the link to its page. */
function jobRow(page: Page, jobId: string): Locator {
  return page.getByRole('row').filter({ has: page.locator(`a[href="/history/${jobId}"]`) });
}

async function filterBy(page: Page, fields: { username?: string; instance?: string; failures?: boolean }) {
  const form = page.getByRole('form', { name: 'Filter jobs' });
  if (fields.username !== undefined) await form.getByLabel('Username contains').fill(fields.username);
  if (fields.instance !== undefined) await form.getByLabel('Instance name or ID').fill(fields.instance);
  if (fields.failures !== undefined)
    await form.getByLabel('Only jobs with failures').setChecked(fields.failures);
  await form.getByRole('button', { name: 'Filter' }).click();
}

test('the picker names the chosen instance beside its ID', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Target region').selectOption('cn-hangzhou');
  const target = page.getByRole('combobox', { name: 'Target SAG APP instance' });
  await target.click();
  const option = page
    .getByRole('listbox')
    .filter({ visible: true })
    .getByRole('option', { name: /hangzhou-rnd-app/ });
  await expect(option).toContainText(HANGZHOU_RND);
  await option.click();
  await expect(target).toHaveValue(HANGZHOU_RND);
  await expect(target).toHaveAccessibleDescription(
    new RegExp(`^hangzhou-rnd-app · ${HANGZHOU_RND} · Active`),
  );
});

test('rows name both instances, count the usernames and mark the failures; the filters find them', async ({
  page,
}) => {
  await page.goto('/history?username=shstaff02');
  const failed = jobRow(page, failedJob);
  const clean = jobRow(page, cleanJob);
  for (const text of ['shanghai-hq-app', SHANGHAI_HQ, '(cn-shanghai)', 'hangzhou-rnd-app', HANGZHOU_RND]) {
    await expect(failed).toContainText(text);
    await expect(clean).toContainText(text);
  }
  await expect(failed).toContainText('3 usernames');
  await expect(failed).toContainText('Finished with failures');
  await expect(failed.getByText('1 not sent', { exact: true })).toBeVisible();
  await expect(clean).toContainText('2 usernames');
  await expect(clean).toContainText('Finished: all done');
  await expect(clean).not.toContainText(/not sent|failed|unknown/);
  // Each ID leads to the jobs of its instance.
  await expect(failed.getByRole('link', { name: HANGZHOU_RND, exact: true })).toHaveAttribute(
    'href',
    `/history?instance=${HANGZHOU_RND}`,
  );

  await filterBy(page, { failures: true });
  await expect(page).toHaveURL(/[?&]failures=1(&|$)/);
  await expect(page.getByLabel('Only jobs with failures')).toBeChecked();
  await expect(failed).toBeVisible();
  await expect(clean).toHaveCount(0);
  await expect(jobRow(page, laterJob)).toHaveCount(0);

  // The filtered export holds the same jobs, with the names at the end of each line.
  const exportHref = await page.getByRole('link', { name: 'Export these jobs as CSV' }).getAttribute('href');
  expect(exportHref).toContain('failures=1');
  const answer = await page.request.get(exportHref ?? '');
  const [head = '', ...lines] = (await answer.text())
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r\n/);
  const header = csvCells(head);
  expect(header.slice(-2)).toEqual(['origin_instance_name', 'target_instance_name']);
  const exported = lines.map(csvCells).filter((cells) => cells[header.indexOf('job_id')] === failedJob);
  // Rows of the usernames that match, as the username filter does in every export.
  expect(exported.map((cells) => cells[header.indexOf('username')])).toEqual(['shstaff020', 'shstaff021']);
  expect(exported[0]?.slice(-2)).toEqual(['shanghai-hq-app', 'hangzhou-rnd-app']);
  expect(lines.some((line) => line.startsWith(cleanJob))).toBe(false);

  // The instance search: a part of a name, typed in lower case, or of an ID in upper case; origin or target.
  for (const instance of ['rnd-app', 'HZRDU7A0', 'hq-app', 'SHHQISEHM']) {
    await filterBy(page, { username: 'shstaff02', instance, failures: false });
    await expect(page.getByLabel('Instance name or ID')).toHaveValue(instance);
    for (const jobId of [failedJob, cleanJob, laterJob]) await expect(jobRow(page, jobId)).toBeVisible();
  }
  await filterBy(page, { instance: 'tokyo' });
  for (const jobId of [failedJob, cleanJob, laterJob]) await expect(jobRow(page, jobId)).toHaveCount(0);
});

test('a job page names both instances, and an ID leads to the jobs of its instance', async ({ page }) => {
  await page.goto(`/history/${failedJob}`);
  const route = page
    .getByRole('paragraph')
    .filter({ has: page.getByRole('link', { name: HANGZHOU_RND, exact: true }) });
  await expect(route).toContainText(
    `shanghai-hq-app ${SHANGHAI_HQ} (cn-shanghai) → hangzhou-rnd-app ${HANGZHOU_RND} (cn-hangzhou)`,
  );
  await route.getByRole('link', { name: HANGZHOU_RND, exact: true }).click();
  await expect(page).toHaveURL(`/history?instance=${HANGZHOU_RND}`);
  await expect(page.getByLabel('Instance name or ID')).toHaveValue(HANGZHOU_RND);
  await expect(jobRow(page, failedJob)).toBeVisible();
});

test('an ignored filter keeps its value in its field, with the reason beside it', async ({ page }) => {
  const tooLong = 'x'.repeat(129);
  await page.goto(`/history?username=ghost.history01&from=2026-02-30&status=finished&instance=${tooLong}`);
  await expect(page.getByRole('alert').filter({ hasText: 'Some filters were ignored' })).toBeVisible();
  const from = page.getByLabel('From', { exact: true });
  await expect(from).toHaveValue('2026-02-30');
  await expect(from).toHaveAttribute('aria-invalid', 'true');
  await expect(from).toHaveAccessibleDescription('From is a date (YYYY-MM-DD)');
  const instance = page.getByLabel('Instance name or ID');
  await expect(instance).toHaveValue(tooLong);
  await expect(instance).toHaveAccessibleDescription('The instance filter is at most 128 characters');
  // A list cannot show a value it does not offer: the reason names it.
  await expect(page.getByLabel('Status', { exact: true })).toHaveAccessibleDescription(
    '“finished” is ignored: Status is any, running, completed or cancelled',
  );
  // The filters that hold still apply; the ignored ones do not.
  await expect(jobRow(page, failedJob)).toBeVisible();
  await expect(jobRow(page, cleanJob)).toHaveCount(0);
  // The export link leaves out what was ignored, so it is not refused.
  const exportHref = await page.getByRole('link', { name: 'Export these jobs as CSV' }).getAttribute('href');
  expect((await page.request.get(exportHref ?? '')).status()).toBe(200);
  await expectNoAxeViolations(page, 'history with ignored filters (en)');
});

test.describe('in Simplified Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('the rows, the failures filter and an ignored value say it in Chinese', async ({ page }) => {
    await page.goto('/history?username=ghost.history01&failures=1&to=2026-13-01');
    const failed = jobRow(page, failedJob);
    await expect(failed).toContainText('3 个用户名');
    await expect(failed).toContainText('已结束，有失败');
    await expect(failed.getByText('1 个未发送', { exact: true })).toBeVisible();
    await expect(failed).toContainText(`hangzhou-rnd-app ${HANGZHOU_RND}`);
    await expect(page.getByLabel('仅显示有失败的任务')).toBeChecked();
    const to = page.getByLabel('截止日期');
    await expect(to).toHaveValue('2026-13-01');
    await expect(to).toHaveAccessibleDescription('截止日期须为日期（YYYY-MM-DD）');
    await expect(page.getByRole('alert').filter({ hasText: '部分筛选条件已忽略' })).toBeVisible();

    await page.getByLabel('实例名称或 ID').fill('RND');
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await expect(page).toHaveURL(/[?&]instance=RND(&|$)/);
    await expect(failed).toBeVisible();
    await expectNoAxeViolations(page, 'history (zh-CN)');
  });
});

for (const locale of ['en-US', 'zh-CN'] as const) {
  test.describe(`on a 390 px phone (${locale})`, () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale });

    test('nothing scrolls sideways and every column of a row is on the screen', async ({ page }) => {
      await page.goto('/history?username=shstaff02');
      const row = jobRow(page, failedJob);
      await expect(row).toBeVisible();
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
        ),
        'the page does not scroll sideways',
      ).toBe(true);
      const cells = row.getByRole('cell');
      await expect(cells).toHaveCount(5);
      for (const cell of await cells.all()) {
        await cell.scrollIntoViewIfNeeded();
        const box = await cell.boundingBox();
        expect(box, 'the cell is laid out').not.toBeNull();
        expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
        expect((box?.x ?? 0) + (box?.width ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(390);
      }
      // Who started it is said with its label, as the column heading is not shown on a phone.
      await expect(
        row.getByText(locale === 'zh-CN' ? /^操作人：operator@example\.com$/ : /^By operator@example\.com$/),
      ).toBeVisible();
      await expectNoAxeViolations(page, `history on a phone (${locale})`);
    });
  });
}
