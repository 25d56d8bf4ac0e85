import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { signInAsOwnOperator } from './accounts';
import { documentStillMarked, markDocument, startInEnglish, switchLanguage } from './language';

// Every result text in the reader's language (issue 15): what a plan found, written when the plan was made or
// the job created (in English here), and the answer of a job control, are said again in Chinese after a
// language switch, without a reload, and back. On the app's built-in emulator, whose state lasts the whole
// run: sh.emp034–043 and sh.emp068 are this file's alone (ghost.reader01 is on no instance and is never sent). It signs in as
// an operator of its own, because the language chosen is remembered on the account.

const SHANGHAI_HQ = 'sag-shhqisehm13vdzujo497';
const HANGZHOU_RND = { regionId: 'cn-hangzhou', smartAGId: 'sag-hzrdu7a0kxemg6nf99vr' };
const TOKYO = { regionId: 'ap-northeast-1', smartAGId: 'sag-jptk65n2k1jy6rqfktbz' };
const ME = { email: 'reader-language@example.com', password: 'reader-language-password-e2e' };
// In this run's directory: a worker started again after a failure finds the account made.
const myState = path.join(process.env.E2E_RUN_DIR ?? '', 'reader-language-operator.json');

const emp = (number: number) => `sh.emp${String(number).padStart(3, '0')}@corp.example.com`;

/** The warning of a roam between two instances of Mainland China, as the plan says it in each language. */
const SAME_AREA = {
  en: `shanghai-hq-app (${SHANGHAI_HQ}) (cn-shanghai) and hangzhou-rnd-app (${HANGZHOU_RND.smartAGId}) (cn-hangzhou) are both in Mainland China.`,
  zh: `shanghai-hq-app（${SHANGHAI_HQ}）（cn-shanghai）和 hangzhou-rnd-app（${HANGZHOU_RND.smartAGId}）（cn-hangzhou）同属中国内地。`,
};

test.use({ storageState: myState });

test.beforeAll(async ({ browser }) => {
  if (existsSync(myState)) return;
  const page = await signInAsOwnOperator(browser, ME, myState);
  await page.context().close();
});

/** Fills the roam form (in English) and asks for the plan; nothing is sent yet. */
async function planRoam(page: Page, target: { regionId: string; smartAGId: string }, usernames: string[]) {
  await page.goto('/');
  await startInEnglish(page);
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill(SHANGHAI_HQ);
  await page.getByLabel('Target region').selectOption(target.regionId);
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill(target.smartAGId);
  await page.getByRole('textbox', { name: 'Paste usernames' }).fill(usernames.join('\n'));
  await page.getByRole('button', { name: 'Add to list' }).click();
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  return page.getByRole('region', { name: 'Plan before sending' });
}

test("a plan's warning, made in English, reads in Chinese after a switch: in the plan before sending and on the job's page, and back", async ({
  page,
}) => {
  const plan = await planRoam(page, HANGZHOU_RND, [emp(68), 'ghost.reader01']);
  await expect(plan.getByRole('status')).toHaveText('1 will be sent · 1 not on the origin (skipped)');
  await expect(plan.getByRole('listitem').filter({ hasText: 'Warning' })).toContainText(SAME_AREA.en);
  await markDocument(page);

  // The plan before sending: the form's own copy, made by the server in English.
  await switchLanguage(page, 'zh-CN');
  const planZh = page.getByRole('region', { name: '发送前的计划' });
  await expect(planZh.getByRole('listitem').filter({ hasText: '警告' })).toContainText(SAME_AREA.zh);
  await expect(planZh).toContainText('中国内地');
  await expect(page.getByText(SAME_AREA.en)).toHaveCount(0);
  expect(await documentStillMarked(page)).toBe(true);
  await switchLanguage(page, 'en');
  await expect(plan.getByRole('listitem').filter({ hasText: 'Warning' })).toContainText(SAME_AREA.en);

  // Sent in English: the job keeps the plan it was created from.
  await plan.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(page).toHaveURL(/[?&]job=[0-9a-f-]{36}/);
  const jobId = new URL(page.url()).searchParams.get('job') ?? '';
  await page.goto(`/history/${jobId}`);
  const stored = page.getByRole('region', { name: 'The plan this job was created from' });
  await expect(stored).toContainText(SAME_AREA.en);
  await markDocument(page);

  await switchLanguage(page, 'zh-CN');
  const storedZh = page.getByRole('region', { name: '本任务创建时的计划' });
  await expect(storedZh).toContainText(SAME_AREA.zh);
  await expect(page.getByText(SAME_AREA.en)).toHaveCount(0);
  expect(await documentStillMarked(page)).toBe(true);

  await switchLanguage(page, 'en');
  await expect(stored).toContainText(SAME_AREA.en);
  await expect(page.getByText(SAME_AREA.zh)).toHaveCount(0);
  expect(await documentStillMarked(page)).toBe(true);
});

test("a control's answer follows the switch: cancel says what it did in Chinese, and back", async ({
  page,
  context,
}) => {
  // Ten usernames at the run's five calls a second, queued with another job of this file's started just before
  // (the same names to another target): still sending when it is cancelled, also on a slow machine.
  const usernames = Array.from({ length: 10 }, (_, index) => emp(34 + index));
  const ahead = await context.newPage();
  const aheadPlan = await planRoam(ahead, HANGZHOU_RND, usernames);
  const plan = await planRoam(page, TOKYO, usernames);
  await expect(plan.getByRole('status')).toHaveText('10 will be sent');
  await aheadPlan.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(ahead).toHaveURL(/[?&]job=[0-9a-f-]{36}/);
  await plan.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(page).toHaveURL(/[?&]job=[0-9a-f-]{36}/);
  await page.getByRole('button', { name: 'Cancel job' }).click();
  await page
    .getByRole('region', { name: 'Cancel job' })
    .getByRole('button', { name: 'Yes, cancel the job' })
    .click();

  const answer = page.getByRole('region', { name: 'Cancel and undo' }).getByRole('status');
  await expect(answer).toHaveText(
    /^(Job cancelled: \d+ usernames? (was|were) not sent\.|Cancelling: \d+ usernames? will not be sent; the calls already sent finish and are recorded first\.)$/,
  );
  const english = (await answer.textContent()) ?? '';
  const count = /\d+/.exec(english)?.[0] ?? '';
  const chinese = english.startsWith('Job cancelled')
    ? `任务已取消：${count} 个用户名未发送。`
    : `正在取消：${count} 个用户名不会发送；已发出的调用先完成并记录。`;
  await markDocument(page);

  await switchLanguage(page, 'zh-CN');
  await expect(page.getByRole('region', { name: '取消与撤销' }).getByRole('status')).toHaveText(chinese);
  await expect(page.getByText(english)).toHaveCount(0);
  expect(await documentStillMarked(page)).toBe(true);

  await switchLanguage(page, 'en');
  await expect(answer).toHaveText(english);
  expect(await documentStillMarked(page)).toBe(true);
});
