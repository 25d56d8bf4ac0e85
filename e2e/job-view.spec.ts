import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { signInAsOwnOperator } from './accounts';
import { resultRow } from './job-page';
import { documentStillMarked, markDocument, startInEnglish, switchLanguage } from './language';
import { otherTool } from './other-tool';

// The job view after the fact (issue 15): a language switch shows the results in the new language at once (on
// the job page and under the roam form, the job long finished), a verify that finds accounts missing is a
// warning with the way to roam them again, status words are never broken, and the page has one title. On the
// app's built-in emulator, whose state lasts the whole run: sh.emp075–089 are this file's alone. It signs in as
// an operator of its own, because the language chosen is remembered on the account.

const SHANGHAI_HQ = 'sag-shhqisehm13vdzujo497';
const HANGZHOU_RND = { regionId: 'cn-hangzhou', smartAGId: 'sag-hzrdu7a0kxemg6nf99vr' };
const ME = { email: 'job-view@example.com', password: 'job-view-password-e2e' };
// In this run's directory: a worker started again after a failure finds the account and the jobs made.
const runDir = process.env.E2E_RUN_DIR ?? '';
const myState = path.join(runDir, 'job-view-operator.json');
const myJobs = path.join(runDir, 'job-view-jobs.json');

const emp = (number: number) => `sh.emp${String(number).padStart(3, '0')}@corp.example.com`;
const roamed = [75, 76, 77, 78, 79].map(emp);
/**
 * On no instance, so the plan skips it with a text the server writes (the one kind of result text that must be
 * read again after a switch). Never sent, so it changes nothing on the emulator: the usernames that do (roamed,
 * removed) are this file's sh.emp075–089 alone.
 */
const notOnOrigin = 'ghost.jobview01';
const toVerify = [80, 81, 82, 83, 84].map(emp);

const NOT_ON_ORIGIN = {
  en: 'Not sent: the origin instance has no client account with this username.',
  zh: '未发送：源实例上没有该用户名的客户端账号。',
};
const SUMMARY = {
  en: 'Job finished with failures: 1 of 6 failed or not sent; 5 succeeded, 0 failed, 1 not sent.',
  zh: '任务已结束，有失败：6 个中有 1 个失败或未发送；5 个成功，0 个失败，1 个未发送。',
};

let mixedJob = '';
let verifyJob = '';

test.use({ storageState: myState });

async function roam(page: Page, usernames: string[]): Promise<string> {
  await page.goto('/');
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill(SHANGHAI_HQ);
  await page.getByLabel('Target region').selectOption(HANGZHOU_RND.regionId);
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill(HANGZHOU_RND.smartAGId);
  await page.getByRole('textbox', { name: 'Paste usernames' }).fill(usernames.join('\n'));
  await page.getByRole('button', { name: 'Add to list' }).click();
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await page
    .getByRole('region', { name: 'Plan before sending' })
    .getByRole('button', { name: 'Roam', exact: true })
    .click();
  await expect(page).toHaveURL(/[?&]job=[0-9a-f-]{36}/);
  await expect(page.getByRole('status').filter({ hasText: /^Job (finished|failed)/ })).toBeVisible({
    timeout: 30_000,
  });
  return new URL(page.url()).searchParams.get('job') ?? '';
}

/** How many lines the text of `element` takes (a word broken over two lines takes two). */
function linesOf(element: Locator): Promise<number> {
  return element.evaluate((node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    return tops.size;
  });
}

test.beforeAll(async ({ browser }) => {
  if (existsSync(myJobs)) {
    ({ mixedJob, verifyJob } = JSON.parse(readFileSync(myJobs, 'utf8')) as {
      mixedJob: string;
      verifyJob: string;
    });
    return;
  }
  const page = await signInAsOwnOperator(browser, ME, myState);

  mixedJob = await roam(page, [...roamed, notOnOrigin]);
  verifyJob = await roam(page, toVerify);
  writeFileSync(myJobs, JSON.stringify({ mixedJob, verifyJob }));
  await page.context().close();
});

test('a language switch on a finished job page shows its results in Chinese at once, and back', async ({
  page,
}) => {
  await page.goto(`/history/${mixedJob}`);
  await startInEnglish(page);
  // One title: the job view's, as the page's heading, with the whole job ID.
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Roam job ${mixedJob}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Finished with failures');
  const groups = page.getByRole('region', { name: 'Failures by cause' });
  await expect(groups).toContainText(`1 × ${NOT_ON_ORIGIN.en}`);
  await expect(resultRow(page, notOnOrigin)).toContainText(NOT_ON_ORIGIN.en);
  await expect(page.getByRole('status').filter({ hasText: SUMMARY.en })).toBeVisible();
  await markDocument(page);

  await switchLanguage(page, 'zh-CN');
  // The texts the server writes (the error's title) as well as the page's own, without a reload.
  await expect(page.getByRole('region', { name: '失败原因' })).toContainText(`1 × ${NOT_ON_ORIGIN.zh}`);
  await expect(
    page
      .getByRole('table', { name: '每个用户名的结果' })
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: notOnOrigin, exact: true }) }),
  ).toContainText(NOT_ON_ORIGIN.zh);
  await expect(page.getByRole('status').filter({ hasText: SUMMARY.zh })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('已结束，有失败');
  await expect(page.getByText(NOT_ON_ORIGIN.en)).toHaveCount(0);
  expect(await documentStillMarked(page)).toBe(true);

  await switchLanguage(page, 'en');
  await expect(groups).toContainText(`1 × ${NOT_ON_ORIGIN.en}`);
  await expect(page.getByRole('status').filter({ hasText: SUMMARY.en })).toBeVisible();
  await expect(page.getByText(NOT_ON_ORIGIN.zh)).toHaveCount(0);
  expect(await documentStillMarked(page)).toBe(true);
});

test('a language switch on the roam page shows the job under the form in Chinese at once, and back', async ({
  page,
}) => {
  await page.goto(`/?job=${mixedJob}`);
  await startInEnglish(page);
  const groups = page.getByRole('region', { name: 'Failures by cause' });
  await expect(groups).toContainText(NOT_ON_ORIGIN.en);
  await markDocument(page);

  await switchLanguage(page, 'zh-CN');
  await expect(page.getByRole('region', { name: '失败原因' })).toContainText(NOT_ON_ORIGIN.zh);
  await expect(page.getByRole('status').filter({ hasText: SUMMARY.zh })).toBeVisible();
  await expect(page.getByText(NOT_ON_ORIGIN.en)).toHaveCount(0);
  expect(await documentStillMarked(page)).toBe(true);

  await switchLanguage(page, 'en');
  await expect(groups).toContainText(NOT_ON_ORIGIN.en);
  await expect(page.getByRole('status').filter({ hasText: SUMMARY.en })).toBeVisible();
  expect(await documentStillMarked(page)).toBe(true);
});

test('verify on target: all there is a success; accounts removed from the target are a warning with a way to roam them again', async ({
  page,
}) => {
  await page.goto(`/history/${verifyJob}`);
  await startInEnglish(page);
  const answer = page.getByRole('status').filter({ hasText: /usernames are on/ });
  await page.getByRole('button', { name: 'Verify on target' }).click();
  await expect(answer).toHaveText('All 5 usernames are on hangzhou-rnd-app (sag-hzrdu7a0kxemg6nf99vr).');
  await expect(page.getByRole('link', { name: /missing usernames? again/ })).toHaveCount(0);

  // Another tool removes three of them from the target.
  const removed = toVerify.slice(0, 3);
  for (const userName of removed) {
    await otherTool().deleteSmartAccessGatewayClientUser({ ...HANGZHOU_RND, userName });
  }
  await page.getByRole('button', { name: 'Verify on target' }).click();
  const warning = page.getByRole('status').filter({ hasText: '3 usernames are missing on the target' });
  await expect(warning).toContainText(
    '2 of 5 usernames are on hangzhou-rnd-app (sag-hzrdu7a0kxemg6nf99vr); 3 missing.',
  );
  // A warning, not a success: amber, not green (its words say it too).
  await expect(warning).toHaveClass(/amber/);
  await expect(warning).not.toHaveClass(/green/);
  const again = warning.getByRole('link', { name: 'Roam the 3 missing usernames again' });
  await expect(again).toHaveAttribute('href', `/?again=${verifyJob}`);
  for (const username of removed) await expect(resultRow(page, username)).toContainText('missing on target');
  await expect(resultRow(page, toVerify[3] ?? '')).toContainText('verified on target');
  await expect(resultRow(page, toVerify[3] ?? '')).not.toContainText('present on target');

  // The answer is said again in the new language.
  await switchLanguage(page, 'zh-CN');
  const warningZh = page.getByRole('status').filter({ hasText: '目标实例上缺少 3 个用户名' });
  await expect(warningZh).toContainText(
    '5 个用户名中有 2 个在 hangzhou-rnd-app (sag-hzrdu7a0kxemg6nf99vr) 上；3 个不存在。',
  );
  await expect(warningZh.getByRole('link', { name: '重新漫游缺少的 3 个用户名' })).toHaveAttribute(
    'href',
    `/?again=${verifyJob}`,
  );
  await switchLanguage(page, 'en');
});

test('"roam the missing again" fills the form with the job\'s route and the missing names, and the plan sends them', async ({
  page,
}) => {
  await page.goto(`/history/${verifyJob}`);
  await startInEnglish(page);
  await page.getByRole('button', { name: 'Verify on target' }).click();
  await page.getByRole('link', { name: 'Roam the 3 missing usernames again' }).click();
  await expect(page).toHaveURL(new RegExp(`/\\?again=${verifyJob}`));
  await expect(
    page.getByRole('status').filter({ hasText: `The 3 usernames of job ${verifyJob}` }),
  ).toContainText(
    'that were missing on the target when it was verified. Check the plan, then roam them again.',
  );
  await expect(page.getByLabel('Origin region')).toHaveValue('cn-shanghai');
  await expect(page.getByRole('combobox', { name: 'Origin SAG APP instance' })).toHaveValue(SHANGHAI_HQ);
  await expect(page.getByLabel('Target region')).toHaveValue(HANGZHOU_RND.regionId);
  await expect(page.getByRole('combobox', { name: 'Target SAG APP instance' })).toHaveValue(
    HANGZHOU_RND.smartAGId,
  );
  const list = page.getByRole('list', { name: 'Usernames to roam' });
  await expect(list.getByRole('listitem')).toHaveCount(3);
  for (const username of toVerify.slice(0, 3)) await expect(list).toContainText(username);

  // Nothing is sent from the link: Roam shows the plan, and only the plan's confirmation sends.
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  const plan = page.getByRole('region', { name: 'Plan before sending' });
  await expect(plan.getByRole('status')).toHaveText('3 will be sent');
  await plan.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(page).toHaveURL(/[?&]job=[0-9a-f-]{36}/);
  // The names are sent: a reload shows the new job, not the form filled with them again.
  await expect(page).not.toHaveURL(/again=/);
  await expect(page.getByRole('status').filter({ hasText: /^Job finished/ })).toContainText('3 succeeded', {
    timeout: 30_000,
  });
});

test('a job with nothing missing to roam again says so and leaves the form empty', async ({ page }) => {
  await page.goto(`/?again=${mixedJob}`);
  await startInEnglish(page);
  await expect(page.getByRole('status').filter({ hasText: `Job ${mixedJob} has no username` })).toHaveText(
    `Job ${mixedJob} has no username missing on the target to roam again.`,
  );
  await expect(page.getByRole('list', { name: 'Usernames to roam' }).getByRole('listitem')).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Target SAG APP instance' })).toHaveValue('');
});

for (const width of [390, 700, 1280]) {
  test(`status words and usernames are never broken, in Chinese and English, at ${width} px`, async ({
    page,
  }) => {
    await page.goto(`/history/${mixedJob}`);
    await startInEnglish(page);
    for (const [language, status, notSent] of [
      ['en', 'Status', 'Not sent'],
      ['zh-CN', '状态', '未发送'],
    ] as const) {
      // Switched at desktop width, where the header shows the language select (a phone's is in its menu).
      await page.setViewportSize({ width: 1280, height: 900 });
      if (language === 'zh-CN') await switchLanguage(page, 'zh-CN');
      await page.setViewportSize({ width, height: 900 });
      const results = page.getByRole('table', {
        name: language === 'en' ? 'Result per username' : '每个用户名的结果',
      });
      const row = results
        .getByRole('row')
        .filter({ has: page.getByRole('cell', { name: notOnOrigin, exact: true }) });
      await expect(row).toBeVisible();
      expect(await linesOf(row.getByText(notSent, { exact: true })), `${notSent} at ${width} px`).toBe(1);
      // Below 640 px the table stacks each row and hides its header row from view.
      if (width >= 640) {
        expect(await linesOf(results.getByRole('columnheader', { name: status })), status).toBe(1);
      }
      // The attempts table keeps e-mails whole (it scrolls sideways inside its frame), never the page.
      const attempt = page
        .getByRole('table', { name: language === 'en' ? 'Attempts, oldest first' : '调用记录，最早的在前' })
        .getByRole('cell', { name: roamed[0], exact: true })
        .first();
      expect(await linesOf(attempt), roamed[0]).toBe(1);
      // Not even at its hyphen.
      const actor = page.getByRole('cell', { name: ME.email, exact: true }).first();
      expect(await linesOf(actor), ME.email).toBe(1);
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
        ),
        'no sideways scrolling of the page',
      ).toBe(true);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await switchLanguage(page, 'en');
  });
}
