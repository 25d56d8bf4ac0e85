import { expect, type Page, test } from '@playwright/test';

// Entering usernames (issue 15): what is pasted or loaded is cleaned the way the admin meant it (、 separates,
// full-width letters become ASCII, invisible characters go and are counted, a quoted name stays one), a table
// without a UserName column is refused rather than read as names, and a list over the limit of one job says so
// at once with its two ways out. Nothing here is sent: Roam is pressed only with names the form refuses.

const SHANGHAI_HQ = 'sag-shhqisehm13vdzujo497';
const TOKYO = 'sag-jptk65n2k1jy6rqfktbz';

function pasteBox(page: Page, name = 'Paste usernames') {
  return page.getByRole('textbox', { name });
}

function usernameList(page: Page, name = 'Usernames to roam') {
  return page.getByRole('list', { name });
}

async function paste(page: Page, text: string) {
  await pasteBox(page).fill(text);
  await page.getByRole('button', { name: 'Add to list' }).click();
}

/** `count` distinct valid usernames (never roamed: this file sends nothing). */
function manyUsernames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `bulk.user${String(index + 1).padStart(4, '0')}`);
}

test('full-width names separated by 、 are listed as the ASCII names they are', async ({ page }) => {
  await page.goto('/');
  await paste(
    page,
    'ｓｈ．ｅｍｐ０７０＠ｃｏｒｐ．ｅｘａｍｐｌｅ．ｃｏｍ、sh.emp071@corp.example.com、ｓｈ．ｅｍｐ０７２',
  );
  const list = usernameList(page);
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(list.getByText('sh.emp070@corp.example.com', { exact: true })).toBeVisible();
  await expect(list.getByText('sh.emp071@corp.example.com', { exact: true })).toBeVisible();
  await expect(list.getByText('sh.emp072', { exact: true })).toBeVisible();
  await expect(page.getByText('3 usernames (at most 1,000)')).toBeVisible();
});

test('an invisible zero-width space is removed, and the notice says so', async ({ page }) => {
  await page.goto('/');
  await paste(page, 'sh.emp073@corp.example.com\u200B, sh.emp074@\u200Dcorp.example.com');
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: '2 invisible characters (such as zero-width spaces) were removed.' }),
  ).toBeVisible();
  // Nothing left to fix: both names are valid.
  await expect(page.getByText('2 usernames (at most 1,000)')).toBeVisible();
  await expect(usernameList(page).getByText(/^Invalid/)).toHaveCount(0);
  await expect(usernameList(page).getByText('sh.emp073@corp.example.com', { exact: true })).toBeVisible();
});

test('a quoted name with a space stays one entry, shown invalid with its rule', async ({ page }) => {
  await page.goto('/');
  await paste(page, '"john smith", “mary jane” sh.emp070@corp.example.com');
  const list = usernameList(page);
  await expect(list.getByRole('listitem')).toHaveCount(3);
  const john = list.getByRole('listitem').filter({ hasText: 'john smith' });
  await expect(john).toContainText('Invalid: only letters, digits and _ @ . - are allowed');
  await expect(page.getByText('3 usernames, 2 invalid')).toBeVisible();

  // Roam names every invalid name, and takes the admin to the first of them rather than staying on Roam.
  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill(SHANGHAI_HQ);
  await page.getByLabel('Target region').selectOption('ap-northeast-1');
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill(TOKYO);
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(
    page.getByText(
      '2 usernames are not valid: "john smith" (only letters, digits and _ @ . - are allowed), "mary jane" (only letters, digits and _ @ . - are allowed)',
    ),
  ).toBeVisible();
  await expect(john).toBeFocused();
  // The error is about the list: the (empty) paste box is not marked invalid.
  await expect(pasteBox(page)).not.toHaveAttribute('aria-invalid', 'true');
});

test('a CSV without a UserName column is refused, naming its columns', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Load a file' }).click();
  await page.getByLabel('CSV or text file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('Email,Status,Phone\r\nsh.emp070@corp.example.com,active,5550100\r\n'),
  });
  await expect(
    page.getByRole('status').filter({
      hasText:
        'This file has the columns Email, Status, Phone but no UserName column; add one or paste the names.',
    }),
  ).toBeVisible();
  await expect(page.getByText('No usernames yet')).toBeVisible();

  // The console's export, with its UserName column, is read as before.
  await page.getByLabel('CSV or text file').setInputFiles({
    name: 'export.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('\uFEFFUserName,UserMail\r\nsh.emp071@corp.example.com,emp071@corp.example.com\r\n'),
  });
  await expect(page.getByText('1 username added from export.csv.')).toBeVisible();
  await expect(usernameList(page).getByText('sh.emp071@corp.example.com', { exact: true })).toBeVisible();
});

test('over the limit, "Keep the first 1,000" drops the rest and says how many', async ({ page }) => {
  await page.goto('/');
  await paste(page, manyUsernames(1005).join('\n'));
  // Said at once, beside the list, before any Roam.
  await expect(
    page.getByText('1,005 usernames are in the list, and one job takes at most 1,000.'),
  ).toBeVisible();
  // A bounded number of rows is rendered, and the rest are a click away.
  await expect(usernameList(page).getByRole('listitem')).toHaveCount(200);
  await expect(page.getByText('Showing 200 of 1,005.')).toBeVisible();

  await page.getByRole('button', { name: 'Keep the first 1,000' }).click();
  await expect(page.getByText('The first 1,000 are kept; 5 usernames were dropped.')).toBeVisible();
  await expect(page.getByText('1,000 usernames (at most 1,000)')).toBeVisible();
  await expect(page.getByText(/usernames are in the list, and one job takes at most/)).toHaveCount(0);
});

test('over the limit, "Split into jobs of 1,000" holds the rest and loads them as the next list', async ({
  page,
}) => {
  await page.goto('/');
  const names = manyUsernames(1005);
  await paste(page, names.join('\n'));
  await page.getByRole('button', { name: 'Split into jobs of 1,000' }).click();
  await expect(page.getByText('1,000 usernames (at most 1,000)')).toBeVisible();
  await expect(page.getByText('5 more names are held for the next jobs.')).toBeVisible();

  // Held names outlive a reload of the tab, until they are used or cleared.
  await page.reload();
  await expect(page.getByText('5 more names are held for the next jobs.')).toBeVisible();

  await page.getByRole('button', { name: 'Load the next 5' }).click();
  await expect(page.getByText('5 usernames (at most 1,000)')).toBeVisible();
  const list = usernameList(page);
  for (const name of names.slice(1000)) {
    await expect(list.getByText(name, { exact: true })).toBeVisible();
  }
  await expect(page.getByText(/more names? (is|are) held/)).toHaveCount(0);
});

test('an invalid name past the rendered rows is found: Roam renders it and focuses it', async ({ page }) => {
  await page.goto('/');
  const names = manyUsernames(400);
  names.splice(350, 0, 'bad!');
  await paste(page, names.join('\n'));
  await expect(usernameList(page).getByText('bad!', { exact: true })).toHaveCount(0);

  // "Show only the problems" lists it at once.
  await page.getByRole('button', { name: 'Show only the problems (1)' }).click();
  await expect(usernameList(page).getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: 'Show only the problems (1)' }).click();

  await page.getByLabel('Origin region').selectOption('cn-shanghai');
  await page.getByRole('combobox', { name: 'Origin SAG APP instance' }).fill(SHANGHAI_HQ);
  await page.getByLabel('Target region').selectOption('ap-northeast-1');
  await page.getByRole('combobox', { name: 'Target SAG APP instance' }).fill(TOKYO);
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await expect(
    page.getByText('"bad!" is not a valid username: too short: at least 7 characters'),
  ).toBeVisible();
  await expect(usernameList(page).getByRole('listitem').filter({ hasText: 'bad!' })).toBeFocused();
});

test.describe('in Simplified Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('separators, invisible characters, refusals and the limit speak Chinese', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await pasteBox(page, '粘贴用户名').fill(
      'ｓｈ．ｅｍｐ０７３＠ｃｏｒｐ．ｅｘａｍｐｌｅ．ｃｏｍ\u200B、“zhang san feng”',
    );
    await page.getByRole('button', { name: '加入列表' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: '已移除 1 个不可见字符（如零宽空格）。' }),
    ).toBeVisible();
    const list = usernameList(page, '要漫游的用户名');
    await expect(list.getByText('sh.emp073@corp.example.com', { exact: true })).toBeVisible();
    await expect(list.getByRole('listitem').filter({ hasText: 'zhang san feng' })).toContainText(
      '无效：只能包含字母、数字和 _ @ . -',
    );

    await page.getByRole('button', { name: '导入文件' }).click();
    await page.getByLabel('CSV 或文本文件').setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('邮箱,状态\n a@corp.example.com,正常\n'),
    });
    await expect(
      page.getByRole('status').filter({ hasText: '此文件有 邮箱、状态 列，但没有 UserName 列' }),
    ).toBeVisible();

    await page.getByRole('button', { name: '粘贴' }).click();
    await pasteBox(page, '粘贴用户名').fill(manyUsernames(1001).join('\n'));
    await page.getByRole('button', { name: '加入列表' }).click();
    await expect(page.getByText('列表中有 1,003 个用户名，而一个任务最多 1,000 个。')).toBeVisible();
    await page.getByRole('button', { name: '拆分为每个任务 1,000 个' }).click();
    await expect(page.getByText('另有 3 个用户名留待后续任务。')).toBeVisible();
    await page.getByRole('button', { name: '载入下一批 3 个' }).click();
    await expect(page.getByText('3 个用户名（最多 1,000 个）')).toBeVisible();
  });
});
