import type { Page } from '@playwright/test';

/** A username's row of a job's results table (a job page's attempts table has rows of that name too). */
export function resultRow(page: Page, username: string) {
  return page
    .getByRole('table', { name: 'Result per username' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: username, exact: true }) });
}
