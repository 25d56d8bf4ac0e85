import type { Page } from '@playwright/test';

/** The cells of one CSV line of an export (quoted cells may hold commas). */
export function csvCells(line: string): string[] {
  const cells: string[] = [];
  for (const match of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)) {
    const cell = match[1] ?? '';
    cells.push(cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell);
    if (match.index + match[0].length >= line.length) break;
  }
  return cells;
}

/** The rows of a job's export, each as an object keyed by the header's column names. */
export async function exportedJob(page: Page, jobId: string): Promise<Record<string, string>[]> {
  const answer = await page.request.get(`/api/jobs/${jobId}/export`);
  if (!answer.ok()) throw new Error(`export of job ${jobId}: HTTP ${answer.status()}`);
  const [head = '', ...lines] = (await answer.text()).trim().split(/\r\n/);
  const header = csvCells(head.replace(/^\uFEFF/, ''));
  return lines.map((line) => {
    const cells = csvCells(line);
    return Object.fromEntries(header.map((name, index) => [name, cells[index] ?? '']));
  });
}
