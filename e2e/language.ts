import { expect, type Page } from '@playwright/test';

/** Switches the interface language in the header, as a person does (no reload follows). */
export async function switchLanguage(page: Page, to: 'en' | 'zh-CN') {
  const select = page.getByRole('combobox', { name: to === 'en' ? '语言' : 'Language' });
  await select.selectOption(to);
  await expect(page.locator('html')).toHaveAttribute('lang', to);
}

/** A test left in Chinese by a failure must not make the next one fail. */
export async function startInEnglish(page: Page) {
  if ((await page.locator('html').getAttribute('lang')) !== 'en') await switchLanguage(page, 'en');
}

type MarkedWindow = Window & { sagRoamDocumentMark?: boolean };

/** Marks the document, so that a reload (a new document) is noticed: the mark would be gone. */
export async function markDocument(page: Page) {
  await page.evaluate(() => {
    (window as MarkedWindow).sagRoamDocumentMark = true;
  });
}

export async function documentStillMarked(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as MarkedWindow).sagRoamDocumentMark === true);
}
