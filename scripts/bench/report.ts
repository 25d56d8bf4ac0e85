// The bench's results: one row per figure, printed as a table, written as JSON and as a Markdown table.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * pass / fail: measured against a target. info: a figure without a target. not run: could not be measured
 * here (the value says why). error: the section failed (the value says how).
 */
export type Verdict = 'pass' | 'fail' | 'info' | 'not run' | 'error';

export interface BenchRow {
  section: string;
  metric: string;
  /** As shown, with its unit. */
  value: string;
  /** As shown; '' when the figure has no target. */
  target: string;
  verdict: Verdict;
  /** The number behind `value`, for tools reading the JSON. */
  measured?: number;
  unit?: string;
  note?: string;
}

export class Rows {
  readonly rows: BenchRow[] = [];

  constructor(private readonly section: string) {}

  info(metric: string, value: string, extra: Partial<BenchRow> = {}): void {
    this.rows.push({ section: this.section, metric, value, target: '', verdict: 'info', ...extra });
  }

  /** A figure with a target; the verdict is `met`. */
  check(metric: string, value: string, target: string, met: boolean, extra: Partial<BenchRow> = {}): void {
    this.rows.push({
      section: this.section,
      metric,
      value,
      target,
      verdict: met ? 'pass' : 'fail',
      ...extra,
    });
  }

  notRun(metric: string, reason: string, target = ''): void {
    this.rows.push({ section: this.section, metric, value: reason, target, verdict: 'not run' });
  }

  error(metric: string, message: string): void {
    this.rows.push({ section: this.section, metric, value: message, target: '', verdict: 'error' });
  }
}

const VERDICT_LABEL: Record<Verdict, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  info: '-',
  'not run': 'NOT RUN',
  error: 'ERROR',
};

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** A plain-text table for the terminal, grouped by section. */
export function textTable(rows: readonly BenchRow[]): string {
  const headers = ['metric', 'value', 'target', 'verdict'];
  const cells = rows.map((row) => [row.metric, clip(row.value, 90), row.target, VERDICT_LABEL[row.verdict]]);
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...cells.map((line) => (line[column] ?? '').length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, column) => value.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const out: string[] = [line(headers), widths.map((width) => '-'.repeat(width)).join('  ')];
  let section = '';
  rows.forEach((row, index) => {
    if (row.section !== section) {
      section = row.section;
      out.push(`[${section}]`);
    }
    out.push(line(cells[index] ?? []));
  });
  return out.join('\n');
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The same rows as a Markdown table, then the notes, ready to paste into the README. */
export function markdownTable(rows: readonly BenchRow[], preamble: string): string {
  const out = [
    preamble,
    '',
    '| section | metric | value | target | verdict |',
    '| ------- | ------ | ----- | ------ | ------- |',
    ...rows.map(
      (row) =>
        `| ${[row.section, row.metric, row.value, row.target, VERDICT_LABEL[row.verdict]]
          .map(markdownCell)
          .join(' | ')} |`,
    ),
  ];
  const notes = rows.filter((row) => row.note);
  if (notes.length > 0) {
    out.push('', 'Notes:', '');
    for (const row of notes) {
      out.push(`- **${markdownCell(`${row.section}: ${row.metric}`)}**: ${markdownCell(row.note ?? '')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export async function writeResults(
  directory: string,
  payload: { rows: readonly BenchRow[] } & Record<string, unknown>,
  preamble: string,
): Promise<{ json: string; markdown: string }> {
  await mkdir(directory, { recursive: true });
  const json = path.join(directory, 'latest.json');
  const markdown = path.join(directory, 'latest.md');
  await writeFile(json, `${JSON.stringify(payload, null, 2)}\n`);
  await writeFile(markdown, markdownTable(payload.rows, preamble));
  return { json, markdown };
}
