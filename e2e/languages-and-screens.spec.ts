import { expect, type Page, test } from '@playwright/test';
import { storageStates, VIEWER } from './accounts';

// The main flow in Simplified Chinese and at phone width, and the language switch remembered per user.

function row(page: Page, username: string) {
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });
}

test.describe('in Simplified Chinese', () => {
  test.use({ locale: 'zh-CN', storageState: storageStates.operator });

  test('an operator roams in Chinese: labels, region names, results and mapped errors', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('heading', { level: 1, name: '漫游客户端账号' })).toBeVisible();
    await expect(page.getByText('模拟器模式：')).toBeVisible();

    const originRegion = page.getByRole('combobox', { name: '源地域' });
    await expect(originRegion.getByRole('option', { name: '华东2（上海）（cn-shanghai）' })).toBeAttached();
    await originRegion.selectOption('cn-shanghai');
    await page.getByRole('combobox', { name: '源 SAG APP 实例' }).click();
    await page
      .getByRole('listbox')
      .filter({ visible: true })
      .getByRole('option', { name: /shanghai-hq-app/ })
      .click();
    await page.getByRole('combobox', { name: '目标地域' }).selectOption('cn-hangzhou');
    await page.getByRole('combobox', { name: '目标 SAG APP 实例' }).click();
    await page
      .getByRole('listbox')
      .filter({ visible: true })
      .getByRole('option', { name: /hangzhou-rnd-app/ })
      .click();

    // One that roams, one already on the target (the plan skips it), one the target refuses, one invalid.
    await page
      .getByRole('textbox', { name: '粘贴用户名' })
      .fill('sh.emp120@corp.example.com，chen.jie@corp.example.com；nas.gateway；x');
    await page.getByRole('button', { name: '加入列表' }).click();
    await expect(page.getByText('无效：太短：至少 7 个字符')).toBeVisible();
    await page.getByRole('button', { name: '漫游', exact: true }).click();
    await expect(page.getByText('“x”不是有效的用户名：太短：至少 7 个字符')).toBeVisible();
    await page.getByRole('button', { name: '移除 1 个无效用户名' }).click();
    await page.getByRole('button', { name: '漫游', exact: true }).click();

    const plan = page.getByRole('region', { name: '发送前的计划' });
    await expect(plan.getByRole('status')).toHaveText(
      '2 个将发送 · 1 个已在目标实例上（跳过，记为目标实例上已有）',
    );
    await expect(
      plan.getByText('将 2 个账号从 shanghai-hq-app（cn-shanghai）漫游到 hangzhou-rnd-app（cn-hangzhou）？'),
    ).toBeVisible();
    await expect(plan.getByRole('listitem').filter({ hasText: '同属中国内地' })).toContainText('警告');
    await plan.getByRole('button', { name: '漫游', exact: true }).click();

    await expect(
      page.getByRole('status').filter({
        hasText: '任务已结束，有失败：3 个中有 1 个失败或未发送；1 个成功，1 个目标实例上已有，1 个失败。',
      }),
    ).toBeVisible();
    await expect(row(page, 'sh.emp120@corp.example.com')).toContainText('成功');
    await expect(row(page, 'chen.jie@corp.example.com')).toContainText('目标实例上已有');
    const refused = row(page, 'nas.gateway');
    await expect(refused).toContainText('失败');
    await expect(refused).toContainText('ClientUser.InvalidClientIp');
    await expect(refused).toContainText(/静态客户端 IP 不适用于目标实例/);

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '历史' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '历史' })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: '开始时间（UTC）' })).toBeVisible();
    // Dates as Chinese readers write them: year/month/day.
    await expect(page.getByRole('table').getByRole('link').first()).toHaveText(
      /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/,
    );
  });
});

test.describe('the language switch', () => {
  test.use({ locale: 'en-US', storageState: { cookies: [], origins: [] } });

  test('is remembered on the account, whatever the browser says', async ({ page, browser }) => {
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(VIEWER.email);
    await page.getByLabel('Password').fill(VIEWER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Not available to your role' })).toBeVisible();

    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await expect(page.getByRole('heading', { name: '您的角色无权访问' })).toBeVisible();

    // Another browser, English by its settings: the viewer's saved choice wins after signing in.
    const other = await browser.newContext({ locale: 'en-US' });
    const otherPage = await other.newPage();
    await otherPage.goto('/sign-in');
    await expect(otherPage.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await otherPage.getByLabel('E-mail').fill(VIEWER.email);
    await otherPage.getByLabel('Password').fill(VIEWER.password);
    await otherPage.getByRole('button', { name: 'Sign in' }).click();
    await expect(otherPage.getByRole('heading', { name: '您的角色无权访问' })).toBeVisible();
    await other.close();

    // Back to English, for the other tests that sign in as the viewer.
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await expect(page.getByRole('heading', { name: 'Not available to your role' })).toBeVisible();
  });
});

test.describe('at phone width', () => {
  test.use({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    storageState: storageStates.operator,
  });

  test('the whole flow fits 360 px: no sideways scrolling, long names wrap', async ({ page }) => {
    const fitsWidth = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    await page.goto('/');
    expect(await fitsWidth()).toBe(true);
    await page.getByLabel('Origin region').selectOption('cn-shanghai');
    await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill('sag-shhqisehm13vdzujo497');
    await page.getByLabel('Target region').selectOption('ap-northeast-1');
    await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill('sag-jptk65n2k1jy6rqfktbz');
    await page.getByRole('textbox', { name: 'Paste usernames' }).fill('sh.emp069@corp.example.com');
    await page.getByRole('button', { name: 'Add to list' }).click();
    await page.getByRole('button', { name: 'Roam', exact: true }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Job finished: 1 of 1 done, 1 succeeded' }),
    ).toBeVisible();
    expect(await fitsWidth()).toBe(true);
    await page.goto('/history');
    expect(await fitsWidth()).toBe(true);
  });
});

test.describe('states with a next step', () => {
  test.use({ storageState: storageStates.operator });

  test('a job that does not exist gets a page that says so and where to go, in the reader’s language', async ({
    page,
  }) => {
    const response = await page.goto('/history/00000000-0000-4000-8000-000000000000');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
    await page.getByRole('link', { name: 'See the history of roam jobs' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
  });
});
