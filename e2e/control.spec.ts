import { expect, type Page, test } from '@playwright/test';
import { exportedJob } from './csv';
import { resultRow } from './job-page';
import { otherTool } from './other-tool';

// Cancel and undo from the job page, on the app's built-in emulator (see playwright.config.ts: 5 calls a second,
// so a job of 30 is still sending when the test cancels it). What is on the target is read by "another tool on
// the account" (signed calls straight to the emulator); each test has usernames of its own.

const SHANGHAI_HQ = 'sag-shhqisehm13vdzujo497';
const TOKYO = { regionId: 'ap-northeast-1', smartAGId: 'sag-jptk65n2k1jy6rqfktbz' };
const HANGZHOU = { regionId: 'cn-hangzhou', smartAGId: 'sag-hzrdu7a0kxemg6nf99vr' };

async function roam(page: Page, target: { regionId: string; smartAGId: string }, usernames: string[]) {
  await page.goto('/');
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill(SHANGHAI_HQ);
  await page.getByLabel('Target region').selectOption(target.regionId);
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill(target.smartAGId);
  await page.getByRole('textbox', { name: 'Paste usernames' }).fill(usernames.join('\n'));
  await page.getByRole('button', { name: 'Add to list' }).click();
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await page
    .getByRole('region', { name: 'Plan before sending' })
    .getByRole('button', { name: 'Roam', exact: true })
    .click();
  await expect(page).toHaveURL(/[?&]job=/);
  const jobId = new URL(page.url()).searchParams.get('job');
  if (!jobId) throw new Error('no job in the address');
  return jobId;
}

const row = resultRow;

async function accountsOn(target: { regionId: string; smartAGId: string }): Promise<Set<string>> {
  const tool = otherTool();
  const names = new Set<string>();
  for (let pageNumber = 1; ; pageNumber += 1) {
    const page = await tool.describeSmartAccessGatewayClientUsers({ ...target, pageNumber, pageSize: 100 });
    for (const user of page.users) names.add(user.userName);
    if (page.users.length < 100) return names;
  }
}

test('cancel mid-job: nothing is sent after the cancel, the rest is cancelled, and the job says who and when', async ({
  page,
}) => {
  const usernames = Array.from({ length: 30 }, (_, index) => `sh.emp${100 + index}@corp.example.com`);
  const jobId = await roam(page, TOKYO, usernames);
  await expect(row(page, usernames[1] ?? '')).toContainText('Succeeded', { timeout: 15_000 });

  await page.getByRole('button', { name: 'Cancel job' }).click();
  const question = page.getByRole('region', { name: 'Cancel job' });
  await expect(question).toBeFocused();
  await expect(question).toContainText('No new call starts');
  await question.getByRole('button', { name: 'Yes, cancel the job' }).click();
  await expect(page.getByText(/^Cancelled by operator@example\.com at /)).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Cancel job' })).toHaveCount(0);

  const rows = await exportedJob(page, jobId);
  expect(rows).toHaveLength(30);
  const cancelledAt = Date.parse(rows[0]?.cancelled_at ?? '');
  expect(
    rows.every((line) => line.job_status === 'cancelled' && line.cancelled_by === 'operator@example.com'),
  ).toBe(true);
  const succeeded = rows.filter((line) => line.status === 'succeeded');
  const cancelled = rows.filter((line) => line.status === 'cancelled');
  expect(succeeded.length).toBeGreaterThanOrEqual(2);
  // How many were left depends on the machine's pace between the second success and the click (10 of 30 on a
  // loaded CI run at the run's 5 calls a second); what matters is that some were, and that none of them was sent.
  expect(cancelled.length).toBeGreaterThanOrEqual(1);
  expect(succeeded.length + cancelled.length).toBe(30);
  // Every call was recorded before it was sent: none started after the cancel was recorded (the calls in
  // flight at that moment had started before it, and were recorded with their outcome).
  for (const line of succeeded)
    expect(Date.parse(line.last_attempt_at ?? '')).toBeLessThanOrEqual(cancelledAt);
  for (const line of cancelled) expect(line.attempts, line.username).toBe('0');
  const onTarget = await accountsOn(TOKYO);
  for (const line of succeeded) expect(onTarget.has(line.username ?? ''), line.username).toBe(true);
  for (const line of cancelled) expect(onTarget.has(line.username ?? ''), line.username).toBe(false);
  await expect(row(page, cancelled[0]?.username ?? '')).toContainText('Cancelled');
});

test('undo a finished job of mixed outcomes: exactly the accounts it roamed are deleted, in use this month is kept', async ({
  page,
}) => {
  const roamed = ['sh.emp142@corp.example.com', 'sh.emp143@corp.example.com'];
  const inUse = 'always.on@corp.example.com';
  const alreadyThere = 'wang.fang@corp.example.com';
  const jobId = await roam(page, HANGZHOU, [...roamed, inUse, alreadyThere, 'nobody.here']);
  await expect(
    page.getByRole('status').filter({
      hasText: /Job finished with failures: 1 of 5 failed or not sent; 3 succeeded, 1 already on target/,
    }),
  ).toBeVisible({ timeout: 15_000 });

  await page.goto(`/history/${jobId}`);
  await page.getByRole('button', { name: 'Undo this job' }).click();
  const question = page.getByRole('region', { name: 'Undo this job' });
  await expect(question).toBeFocused();
  await expect(question).toContainText(
    'Delete 3 accounts that this job roamed from hangzhou-rnd-app (sag-hzrdu7a0kxemg6nf99vr)?',
  );
  await question.getByRole('button', { name: 'Delete from target' }).click();

  // The undo is a job of its own, with its own page.
  await page.waitForURL(
    (url) => /^\/history\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(jobId),
  );
  const undoId = page.url().split('/').at(-1) ?? '';
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Undo job');
  await expect(page.getByText(`Undo of job ${jobId.slice(0, 8)}`)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /finished/ })).toBeVisible({ timeout: 15_000 });
  for (const username of roamed) await expect(row(page, username)).toContainText('Removed from target');
  await expect(row(page, inUse)).toContainText('This account was used this month and cannot be deleted yet.');
  await expect(row(page, inUse)).toContainText('ClientUser.UserInUsing');
  await expect(row(page, alreadyThere)).toHaveCount(0);
  // The page opened as the undo began; once it ends, its attempts are those made, without a reload.
  await expect(page.getByRole('heading', { name: 'Attempts (3)' })).toBeVisible();

  const onTarget = await accountsOn(HANGZHOU);
  for (const username of roamed) expect(onTarget.has(username), username).toBe(false);
  expect(onTarget.has(inUse)).toBe(true);
  expect(onTarget.has(alreadyThere)).toBe(true);
  const undone = await exportedJob(page, undoId);
  expect(undone.map((line) => [line.username, line.status, line.job_kind, line.undoes_job_id])).toEqual([
    [roamed[0], 'succeeded', 'undo', jobId],
    [roamed[1], 'succeeded', 'undo', jobId],
    [inUse, 'failed', 'undo', jobId],
  ]);
  // One delete each: the export counts the calls per username.
  expect(undone.map((line) => line.attempts)).toEqual(['1', '1', '1']);

  // A job is undone once: the roam job names its undo and offers no second one.
  await page.goto(`/history/${jobId}`);
  await expect(page.getByText(`Undone by job ${undoId.slice(0, 8)} (completed).`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Undo this job' })).toHaveCount(0);
});
