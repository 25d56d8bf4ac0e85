import { expect, type Locator, type Page, test } from '@playwright/test';
import { OPERATOR, storageStates } from './accounts';

// The console's frame (issue 15): the navigation marks the page you are on, also on a job page; on a phone the
// emulator banner and the header stay short and every header control is still reached by keyboard; on a
// desktop who is signed in and which endpoint is used stay in view.

/** At 390×844 the banner and the header together take at most about a fifth of the screen. */
const PHONE_HEADER_BUDGET_PX = 170;

const english = { nav: 'Main', roam: 'Roam', history: 'History', users: 'Users', menu: 'Menu' };
const chinese = { nav: '主导航', roam: '漫游', history: '历史', users: '用户', menu: '菜单' };

/** A finished one-username job of this file's own (sh.emp044, which no other spec sends to tokyo-app), for a job page's address. */
async function oneJob(page: Page): Promise<string> {
  await page.goto('/');
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill('sag-shhqisehm13vdzujo497');
  await page.getByLabel('Target region').selectOption('ap-northeast-1');
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill('sag-jptk65n2k1jy6rqfktbz');
  await page.getByRole('textbox', { name: 'Paste usernames' }).fill('sh.emp044@corp.example.com');
  await page.getByRole('button', { name: 'Add to list' }).click();
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(page).toHaveURL(/[?&]job=[0-9a-f-]{36}/);
  return `/history/${new URL(page.url()).searchParams.get('job')}`;
}

/** The bar under the current entry: drawn by its ::after, so it is a shape and not only a colour. */
async function markerBarHeight(link: Locator): Promise<number> {
  return link.evaluate((element) => {
    const bar = getComputedStyle(element, '::after');
    return bar.content === 'none' ? 0 : Number.parseFloat(bar.height) || 0;
  });
}

async function expectCurrent(page: Page, words: typeof english, current: 'roam' | 'history' | 'users') {
  const nav = page.getByRole('navigation', { name: words.nav });
  for (const entry of ['roam', 'history', 'users'] as const) {
    const link = nav.getByRole('link', { name: words[entry], exact: true });
    if (entry === current) {
      await expect(link).toHaveAttribute('aria-current', 'page');
      expect(await markerBarHeight(link), `${entry}'s bar`).toBeGreaterThanOrEqual(2);
    } else {
      await expect(link).not.toHaveAttribute('aria-current');
      expect(await markerBarHeight(link), `${entry} has no bar`).toBe(0);
    }
  }
  await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
}

test.describe('the navigation', () => {
  test.use({ storageState: storageStates.admin });

  test('marks the current page, a job page as part of History', async ({ page }) => {
    const jobPath = await oneJob(page);
    await expectCurrent(page, english, 'roam');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
    await expectCurrent(page, english, 'history');
    await page.goto(jobPath);
    await expectCurrent(page, english, 'history');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await expectCurrent(page, english, 'users');
  });

  test.describe('in Simplified Chinese', () => {
    test.use({ locale: 'zh-CN' });

    test('marks the current page', async ({ page }) => {
      await page.goto('/history');
      await expectCurrent(page, chinese, 'history');
      await page.goto('/');
      await expectCurrent(page, chinese, 'roam');
    });
  });
});

/** Presses Tab until `target` has the focus (at most `limit` times), as a keyboard user reaches it. */
async function tabTo(page: Page, target: Locator, limit = 20) {
  for (let presses = 0; presses < limit; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

for (const [locale, words, language, signOut] of [
  ['en-US', english, 'Language', 'Sign out'],
  ['zh-CN', chinese, '语言', '退出登录'],
] as const) {
  test.describe(`at phone size (390×844, ${locale})`, () => {
    test.use({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale,
      storageState: storageStates.admin,
    });

    test('the banner and header stay short and every header control is reached by keyboard', async ({
      page,
    }) => {
      await page.goto('/history');
      const header = page.getByRole('banner');
      const box = await header.boundingBox();
      expect(box, 'the header is laid out').not.toBeNull();
      // The banner sits above the header: the header's bottom edge is the height of both.
      const bottom = (box?.y ?? 0) + (box?.height ?? 0);
      expect(bottom, `banner + header: ${bottom} px`).toBeLessThanOrEqual(PHONE_HEADER_BUDGET_PX);
      // The emulator banner is one line on a phone.
      const banner = await page.getByRole('note').boundingBox();
      expect(banner?.height ?? 0).toBeLessThanOrEqual(40);

      const nav = page.getByRole('navigation', { name: words.nav });
      for (const entry of ['roam', 'history', 'users'] as const) {
        const link = nav.getByRole('link', { name: words[entry], exact: true });
        await tabTo(page, link);
        await expect(link).toBeInViewport();
      }

      // The account details are behind a disclosure button until asked for.
      const menu = page.getByRole('button', { name: words.menu });
      const languageSelect = page.getByRole('combobox', { name: language });
      const signOutButton = page.getByRole('button', { name: signOut });
      await expect(signOutButton).toBeHidden();
      await tabTo(page, menu);
      await expect(menu).toHaveAttribute('aria-expanded', 'false');
      await page.keyboard.press('Enter');
      await expect(menu).toHaveAttribute('aria-expanded', 'true');
      await tabTo(page, languageSelect, 3);
      await expect(languageSelect).toBeVisible();
      await tabTo(page, signOutButton, 3);
      await expect(signOutButton).toBeVisible();

      // Escape closes it again and gives the focus back to the button.
      await page.keyboard.press('Escape');
      await expect(menu).toHaveAttribute('aria-expanded', 'false');
      await expect(menu).toBeFocused();
      await expect(signOutButton).toBeHidden();
    });
  });
}

test.describe('at desktop size (1440×900)', () => {
  test.use({ viewport: { width: 1440, height: 900 }, storageState: storageStates.operator });

  test('who is signed in, the endpoint, the language and sign out are in view without a menu', async ({
    page,
  }) => {
    await page.goto('/history');
    const header = page.getByRole('banner');
    await expect(header.getByText(`${OPERATOR.email} (operator)`)).toBeVisible();
    await expect(header.getByText(/^Built-in SAG emulator at http:\/\/127\.0\.0\.1:\d+$/)).toBeVisible();
    await expect(header.getByRole('combobox', { name: 'Language' })).toBeVisible();
    await expect(header.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(header.getByRole('button', { name: 'Menu' })).toBeHidden();
    // All on one row: the sign-out button sits level with the brand.
    const brand = await header.getByRole('link', { name: 'sag-roam' }).boundingBox();
    const signOut = await header.getByRole('button', { name: 'Sign out' }).boundingBox();
    const middle = (box: typeof brand) => (box ? box.y + box.height / 2 : Number.NaN);
    expect(Math.abs(middle(brand) - middle(signOut))).toBeLessThanOrEqual(4);
    // The whole emulator sentence, not the phone's short one.
    await expect(page.getByRole('note')).toContainText('no real cloud calls are made');
  });
});
