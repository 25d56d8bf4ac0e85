import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { exportedJob } from './csv';
import { otherTool } from './other-tool';

// The plan before sending (issue 11), on the app's built-in emulator: what stands in the way is shown before a
// single roam call, the quota decides how many are sent, skipped usernames are recorded, and a job of several
// usernames is confirmed in words. The emulator keeps its state for the whole run: each test has its own
// usernames, and only this file sends to hongkong-ops-app (30 free accounts).

const SHANGHAI_HQ = 'sag-shhqisehm13vdzujo497';

async function route(
  page: Page,
  route: { originRegion?: string; origin?: string; targetRegion: string; target: string },
) {
  await page.getByLabel('Origin region').selectOption(route.originRegion ?? 'cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill(route.origin ?? SHANGHAI_HQ);
  await page.getByLabel('Target region').selectOption(route.targetRegion);
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill(route.target);
}

async function addUsernames(page: Page, usernames: string[]) {
  await page.getByRole('textbox', { name: 'Paste usernames' }).fill(usernames.join('\n'));
  await page.getByRole('button', { name: 'Add to list' }).click();
}

function planRegion(page: Page) {
  return page.getByRole('region', { name: 'Plan before sending' });
}

function row(page: Page, username: string) {
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });
}

/** The rows of the jobs export that involve an instance (as origin or target), header excluded. */
async function exportedRows(page: Page, instanceId: string): Promise<string[]> {
  const answer = await page.request.get(`/api/jobs/export?instanceId=${instanceId}`);
  expect(answer.ok()).toBe(true);
  return (await answer.text()).trim().split(/\r\n/).slice(1);
}

const blockingCases = [
  {
    name: 'overlapping CIDR blocks',
    targetRegion: 'eu-central-1',
    target: 'sag-fraedf3zdlhp2st6oqjq',
    title:
      /The private CIDR blocks of shanghai-hq-app \(sag-shhqisehm13vdzujo497\) \(10\.10\.0\.0\/16\) and frankfurt-eu-app \(sag-fraedf3zdlhp2st6oqjq\) \(10\.10\.128\.0\/20\) overlap/,
  },
  {
    name: 'a target without a client CIDR block',
    targetRegion: 'cn-hangzhou',
    target: 'sag-hzlblef2jnyt7slyi9fx',
    title: /The target hangzhou-lab-app \(sag-hzlblef2jnyt7slyi9fx\) has no client CIDR block/,
  },
  {
    name: 'a hardware target typed by ID',
    targetRegion: 'cn-hangzhou',
    target: 'sag-hzcprzybewc5porg8z88',
    title:
      /The target hangzhou-factory-cpe \(sag-hzcprzybewc5porg8z88\) is a Smart Access Gateway device \(CPE\)/,
  },
  {
    name: 'a hardware origin typed by ID',
    origin: 'sag-shcpqsn4112zw5j91g0g',
    targetRegion: 'ap-northeast-1',
    target: 'sag-jptk65n2k1jy6rqfktbz',
    title:
      /The origin shanghai-branch-cpe \(sag-shcpqsn4112zw5j91g0g\) is a Smart Access Gateway device \(CPE\)/,
    instance: 'sag-shcpqsn4112zw5j91g0g',
  },
  {
    name: 'a target that does not exist',
    targetRegion: 'cn-hangzhou',
    target: 'sag-0deleted0instance000',
    title: 'The target instance sag-0deleted0instance000 does not exist in cn-hangzhou.',
  },
  {
    name: 'a target whose quota is full',
    targetRegion: 'ap-southeast-1',
    target: 'sag-sgap2ee0edr9cah5i4s0',
    title:
      /The target singapore-apac-app \(sag-sgap2ee0edr9cah5i4s0\) has no free client account: 50 of 50 are in use/,
  },
  {
    name: 'a target that is not active',
    targetRegion: 'ap-northeast-1',
    target: 'sag-jpsb5e8r1t6y3u0i9o2p',
    title: /The target japan-standby-app \(sag-jpsb5e8r1t6y3u0i9o2p\) is not active \(status Init\)/,
  },
];

for (const blocking of blockingCases) {
  test(`${blocking.name}: shown before sending, Roam disabled with the reason, no job and no call`, async ({
    page,
  }) => {
    const instance = blocking.instance ?? blocking.target;
    expect(await exportedRows(page, instance)).toEqual([]);
    await page.goto('/');
    await route(page, blocking);
    await addUsernames(page, ['sh.emp090@corp.example.com', 'sh.emp091@corp.example.com']);
    await page.getByRole('button', { name: 'Roam', exact: true }).click();

    const plan = planRegion(page);
    await expect(plan.getByRole('heading', { name: 'Plan before sending' })).toBeFocused();
    const finding = plan.getByRole('listitem').filter({ hasText: blocking.title });
    await expect(finding).toBeVisible();
    await expect(finding).toContainText('Blocking');
    await expect(
      plan.getByText('Nothing can be sent while a blocking finding stands: fix it, then check again.'),
    ).toBeVisible();
    // The only Roam button on the page is the plan's, and it cannot be pressed.
    const roam = page.getByRole('button', { name: 'Roam', exact: true });
    await expect(roam).toHaveCount(1);
    await expect(roam).toBeDisabled();
    await expect(roam).toHaveAccessibleDescription(/blocking finding/);

    // Checking again gives the same answer; still nothing was created for the instance, so no call was made.
    await plan.getByRole('button', { name: 'Check again' }).click();
    await expect(plan.getByRole('listitem').filter({ hasText: blocking.title })).toBeVisible();
    await expect(page.getByRole('heading', { name: /Roam job/ })).toHaveCount(0);
    expect(await exportedRows(page, instance)).toEqual([]);
  });
}

test('the quota case sends only what fits and says so; already-present and missing names are skipped and recorded', async ({
  page,
}) => {
  const fits = Array.from(
    { length: 30 },
    (_, index) => `sh.emp${String(index + 1).padStart(3, '0')}@corp.example.com`,
  );
  const over = ['sh.emp031@corp.example.com', 'sh.emp032@corp.example.com', 'sh.emp033@corp.example.com'];
  const onTarget = ['zhao.lei@corp.example.com', 'sun.lili'];
  await page.goto('/');
  await route(page, { targetRegion: 'cn-hongkong', target: 'sag-hkops3x7n2m9v4c1b8qz' });
  await addUsernames(page, [...onTarget, 'nobody.here', ...fits, ...over]);
  await page.getByRole('button', { name: 'Roam', exact: true }).click();

  const plan = planRegion(page);
  await expect(plan.getByRole('status')).toHaveText(
    '30 will be sent · 2 already on the target (skipped, recorded as already present) · 1 not on the origin (skipped) · 3 over the quota (not sent)',
  );
  await expect(plan.getByText('Target quota: 70 of 100 accounts in use, 30 free.')).toBeVisible();
  const quota = plan
    .getByRole('listitem')
    .filter({ hasText: /Only 30 more client accounts fit on hongkong-ops-app/ });
  await expect(quota).toContainText('Warning');
  await expect(quota).toContainText(
    'the first 30 of the 33 usernames to send will be sent, the other 3 are not sent',
  );
  await expect(plan.getByText('shanghai-hq-app (sag-shhqisehm13vdzujo497)', { exact: true })).toBeVisible();
  await expect(plan.getByText('hongkong-ops-app (sag-hkops3x7n2m9v4c1b8qz)', { exact: true })).toBeVisible();
  await expect(
    plan.getByText('Roam 30 accounts from shanghai-hq-app (cn-shanghai) to hongkong-ops-app (cn-hongkong)?'),
  ).toBeVisible();
  await plan.getByRole('button', { name: 'Roam', exact: true }).click();

  await expect(
    page.getByRole('status').filter({
      hasText:
        'Job finished with failures: 4 of 36 failed or not sent; 30 succeeded, 2 already on target, 0 failed, 4 not sent.',
    }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(row(page, 'sh.emp030@corp.example.com')).toContainText('Succeeded');
  for (const username of over) {
    await expect(row(page, username)).toContainText('Not sent');
    await expect(row(page, username)).toContainText('SagRoam.OverQuota');
  }
  await expect(row(page, 'nobody.here')).toContainText('Not sent');
  await expect(row(page, 'nobody.here')).toContainText('SagRoam.NotOnOrigin');
  for (const username of onTarget) {
    await expect(row(page, username)).toContainText('Already on target');
    await expect(row(page, username)).toContainText('there before this job, not roamed by it');
    await expect(row(page, username)).not.toContainText('RequestId');
  }

  // The job page keeps the plan it was created from; 30 roam calls were made, one per username that fit.
  const jobId = new URL(page.url()).searchParams.get('job');
  await page.goto(`/history/${jobId}`);
  const stored = page.getByRole('region', { name: 'The plan this job was created from' });
  await expect(stored).toContainText(
    '30 will be sent · 2 already on the target (skipped, recorded as already present) · 1 not on the origin (skipped) · 3 over the quota (not sent)',
  );
  await expect(stored).toContainText(
    'shanghai-hq-app (sag-shhqisehm13vdzujo497) → hongkong-ops-app (sag-hkops3x7n2m9v4c1b8qz)',
  );
  await expect(
    stored.getByRole('listitem').filter({ hasText: /Only 30 more client accounts fit/ }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Attempts (30)' })).toBeVisible();
  const csv = await (await page.request.get(`/api/jobs/${jobId}/export`)).text();
  const lines = csv.trim().split(/\r\n/);
  expect(lines).toHaveLength(37);
  expect(lines.filter((line) => line.includes(',succeeded,'))).toHaveLength(30);
  for (const username of [...over, 'nobody.here']) {
    expect(lines.find((line) => line.includes(`,${username},`))).toMatch(
      new RegExp(`,${username},not_sent,`),
    );
  }
  for (const username of onTarget) {
    expect(lines.find((line) => line.includes(`,${username},`))).toMatch(
      new RegExp(`,${username},already_present,`),
    );
  }
});

test('the confirmation names the counts and both instances; Back and an edit discard the plan', async ({
  page,
}) => {
  await page.goto('/');
  await route(page, { targetRegion: 'ap-northeast-1', target: 'sag-jptk65n2k1jy6rqfktbz' });
  await addUsernames(page, [
    'sh.emp060@corp.example.com',
    'sh.emp061@corp.example.com',
    'nobody.here',
    'sh.emp062@corp.example.com',
  ]);
  await page.getByRole('button', { name: 'Roam', exact: true }).click();

  const plan = planRegion(page);
  await expect(plan.getByRole('heading', { name: 'Plan before sending' })).toBeFocused();
  await expect(plan.getByRole('status')).toHaveText('3 will be sent · 1 not on the origin (skipped)');
  await expect(plan.getByText('shanghai-hq-app (sag-shhqisehm13vdzujo497)', { exact: true })).toBeVisible();
  await expect(plan.getByText('tokyo-app (sag-jptk65n2k1jy6rqfktbz)', { exact: true })).toBeVisible();
  await expect(
    plan.getByText('Roam 3 accounts from shanghai-hq-app (cn-shanghai) to tokyo-app (ap-northeast-1)?'),
  ).toBeVisible();
  await expect(
    plan.getByText('Nothing stands in the way: both instances and every username were checked.'),
  ).toBeVisible();

  // Back: nothing is sent, and the keyboard goes on from the form's Roam button.
  await plan.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByRole('heading', { name: 'Plan before sending' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Roam', exact: true })).toBeFocused();
  await expect(page.getByRole('heading', { name: /Roam job/ })).toHaveCount(0);

  // An edit after a plan discards it: the admin checks again, and the new plan counts the new name.
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(plan.getByText(/^Roam 3 accounts from/)).toBeVisible();
  await addUsernames(page, ['sh.emp063@corp.example.com']);
  await expect(page.getByText('The form changed after the plan: press Roam to check again.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Plan before sending' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(
    plan.getByText('Roam 4 accounts from shanghai-hq-app (cn-shanghai) to tokyo-app (ap-northeast-1)?'),
  ).toBeVisible();
  await plan.getByRole('button', { name: 'Roam', exact: true }).click();

  await expect(
    page.getByRole('status').filter({
      hasText: 'Job finished with failures: 1 of 5 failed or not sent; 4 succeeded, 0 failed, 1 not sent.',
    }),
  ).toBeVisible();
  await expect(row(page, 'sh.emp063@corp.example.com')).toContainText('Succeeded');
  await expect(row(page, 'nobody.here')).toContainText('Not sent');
  await expect(page.getByRole('region', { name: 'The plan this job was created from' })).toContainText(
    '4 will be sent · 1 not on the origin (skipped)',
  );
});

test('a warning is asked about even for one username', async ({ page }) => {
  await page.goto('/');
  await route(page, { targetRegion: 'cn-hangzhou', target: 'sag-hzrdu7a0kxemg6nf99vr' });
  await addUsernames(page, ['sh.emp064@corp.example.com']);
  await page.getByRole('button', { name: 'Roam', exact: true }).click();

  const plan = planRegion(page);
  const sameArea = plan.getByRole('listitem').filter({
    hasText:
      'shanghai-hq-app (sag-shhqisehm13vdzujo497) (cn-shanghai) and hangzhou-rnd-app (sag-hzrdu7a0kxemg6nf99vr) (cn-hangzhou) are both in Mainland China.',
  });
  await expect(sameArea).toContainText('Warning');
  await expect(
    plan.getByText('Roam 1 account from shanghai-hq-app (cn-shanghai) to hangzhou-rnd-app (cn-hangzhou)?'),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: /Roam job/ })).toHaveCount(0);
  await expect(plan.getByRole('button', { name: 'Roam', exact: true })).toBeEnabled();
});

test('the plan panel passes axe in light and dark themes, blocked and asking', async ({ page }) => {
  const check = async (what: string) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const results = await new AxeBuilder({ page })
        .include('main')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      expect(
        results.violations.map(
          (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(', ')}`,
        ),
        `${what} (${colorScheme})`,
      ).toEqual([]);
    }
  };
  await page.goto('/');
  await route(page, { targetRegion: 'eu-central-1', target: 'sag-fraedf3zdlhp2st6oqjq' });
  await addUsernames(page, ['sh.emp065@corp.example.com']);
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(planRegion(page).getByText('Blocking', { exact: true })).toBeVisible();
  await check('a blocked plan');

  // Within one area: a warning, and a question even for one username.
  await page.getByLabel('Target region').selectOption('cn-hangzhou');
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill('sag-hzrdu7a0kxemg6nf99vr');
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(planRegion(page).getByText(/^Roam 1 account from/)).toBeVisible();
  await check('a plan that asks');
});

test.describe('at phone width', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  test('the plan comes into view at once and fits 360 px', async ({ page }) => {
    await page.goto('/');
    await route(page, { targetRegion: 'eu-central-1', target: 'sag-fraedf3zdlhp2st6oqjq' });
    await addUsernames(page, ['sh.emp066@corp.example.com', 'sh.emp067@corp.example.com']);
    await page.getByRole('button', { name: 'Roam', exact: true }).click();
    const heading = planRegion(page).getByRole('heading', { name: 'Plan before sending' });
    await expect(heading).toBeFocused();
    await expect(heading).toBeInViewport();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
  });
});

test('a job the target refuses mid-way stops with "not sent" items, and Retry failed resumes it after the fix', async ({
  page,
}) => {
  // hongkong-sales-app (quota 200, 40 accounts) is this test's alone. Another tool on the account (the
  // admin's CLI) leaves it 4 free places; the plan finds room for all 4 usernames.
  const target = { regionId: 'cn-hongkong', smartAGId: 'sag-hkslzqxm830coc238ggw' };
  const other = otherTool();
  const roamByOtherTool = async (userName: string) =>
    other.roamClientUser({
      regionId: target.regionId,
      originRegionId: 'cn-shanghai',
      originSmartAGId: SHANGHAI_HQ,
      targetSmartAGId: target.smartAGId,
      userName,
    });
  const used = async () =>
    (await other.describeSmartAccessGatewayClientUsers({ ...target, pageNumber: 1, pageSize: 1 })).totalCount;
  const filler = [
    ...Array.from(
      { length: 150 },
      (_, index) => `sh.emp${String(index + 1).padStart(3, '0')}@corp.example.com`,
    ),
    ...Array.from({ length: 21 }, (_, index) => `shstaff${String(index + 10).padStart(3, '0')}`),
  ].slice(0, 200 - 4 - (await used()));
  for (const userName of filler) await roamByOtherTool(userName);
  expect(await used()).toBe(196);

  const usernames = ['shstaff001', 'shstaff002', 'shstaff003', 'shstaff004'];
  await page.goto('/');
  await route(page, { targetRegion: 'cn-hongkong', target: target.smartAGId });
  await addUsernames(page, usernames);
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  const plan = planRegion(page);
  await expect(plan.getByRole('status')).toHaveText('4 will be sent');
  await expect(plan.getByText('Target quota: 196 of 200 accounts in use, 4 free.')).toBeVisible();

  // Between the plan and the send, the other tool takes two of the four places (the plan's reads are a few
  // seconds old by design): the target refuses the third call for a reason that holds for every username left.
  await roamByOtherTool('shstaff005');
  await roamByOtherTool('shstaff006');
  await plan.getByRole('button', { name: 'Roam', exact: true }).click();

  const stopped = page.getByText("Sending stopped: The target instance's client account quota is full.");
  await expect(stopped).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/The usernames not yet sent were not sent, without a call/)).toBeVisible();
  // Up to eight calls are in flight at once, each written to the record before it goes out, so the four need not
  // leave in list order: two are accepted, the next is refused, and the last is not sent (or, on a loaded
  // machine, already in flight and refused the same way). None is sent after the refusal was recorded.
  expect(await used()).toBe(200);
  const jobId = new URL(page.url()).searchParams.get('job');
  const firstRun = await exportedJob(page, jobId ?? '');
  expect(firstRun.filter((line) => line.status === 'succeeded')).toHaveLength(2);
  const refused = firstRun.filter((line) => line.status === 'failed');
  expect(refused.length).toBeGreaterThanOrEqual(1);
  for (const line of refused) expect(line.error_code).toBe('ClientUser.UserOverLimit');
  expect(firstRun.filter((line) => line.status === 'not_sent')).toHaveLength(2 - refused.length);
  for (const line of [...refused, ...firstRun.filter((item) => item.status === 'not_sent')]) {
    await expect(row(page, line.username ?? '')).toContainText(/Not sent|ClientUser\.UserOverLimit/);
  }

  // The fix: the admin deletes two accounts nobody uses in the console; Retry failed sends the other two.
  for (const userName of filler.slice(0, 2)) {
    await other.deleteSmartAccessGatewayClientUser({ ...target, userName });
  }
  await page.getByRole('button', { name: 'Retry failed' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: /Job finished: 4 of 4 done, 4 succeeded, 0 failed/ }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(stopped).toHaveCount(0);
  for (const username of usernames) await expect(row(page, username)).toContainText('Succeeded');
  expect(await used()).toBe(200);
  // One accepted call per username: the two sent first were not sent again, and the two resumed were
  // checked on the target before they were sent.
  await page.goto(`/history/${jobId}`);
  const attempts = page.getByRole('table', { name: 'Attempts, oldest first' }).getByRole('row');
  const roamCalls = attempts.filter({ has: page.getByRole('cell', { name: 'RoamClientUser', exact: true }) });
  // The refused calls of the first run, read from the attempts (the record): one, or two when the last one was
  // already in flight; every other call succeeded, once per username.
  const refusedCalls = roamCalls.filter({
    hasNot: page.getByRole('cell', { name: 'succeeded', exact: true }),
  });
  await expect(roamCalls.first()).toBeVisible();
  await expect(refusedCalls).toHaveCount(refused.length);
  for (const call of await refusedCalls.all()) await expect(call).toContainText('ClientUser.UserOverLimit');
  await expect(roamCalls).toHaveCount(4 + refused.length);
  for (const username of usernames) {
    await expect(
      roamCalls
        .filter({ has: page.getByRole('cell', { name: username, exact: true }) })
        .filter({ has: page.getByRole('cell', { name: 'succeeded', exact: true }) }),
    ).toHaveCount(1);
  }
  await expect(
    attempts.filter({ has: page.getByRole('cell', { name: 'check on target', exact: true }) }),
  ).toHaveCount(2);
});
