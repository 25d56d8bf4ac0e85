import 'server-only';
import type { Database } from '@/lib/db/database';
import { type ExportRow, exportRows, type JobFilter } from '@/lib/db/jobs';

/**
 * CSV exports of jobs: one row per username with its outcome and last attempt. Streamed in batches, so an
 * export of any size holds one batch in memory. Cells that a spreadsheet would run as a formula are
 * prefixed with a quote (CSV injection), also when white space or a full-width sign hides the formula.
 */

const COLUMNS: [string, (row: ExportRow) => unknown][] = [
  ['job_id', (row) => row.jobId],
  ['job_created_at', (row) => row.jobCreatedAt],
  ['created_by', (row) => row.createdBy],
  ['mode', (row) => row.mode],
  ['origin_region_id', (row) => row.originRegionId],
  ['origin_instance_id', (row) => row.originInstanceId],
  ['target_region_id', (row) => row.targetRegionId],
  ['target_instance_id', (row) => row.targetInstanceId],
  ['job_status', (row) => row.jobStatus],
  ['username', (row) => row.username],
  ['status', (row) => row.itemStatus],
  ['verified_on_target', (row) => row.verified],
  ['target_presence', (row) => row.targetPresence],
  ['request_id', (row) => row.requestId],
  ['error_code', (row) => row.errorCode],
  ['error_message', (row) => row.errorMessage],
  ['error_request_id', (row) => row.errorRequestId],
  ['attempts', (row) => row.attemptCount],
  ['last_attempt_at', (row) => row.lastAttemptStartedAt],
  ['last_attempt_by', (row) => row.lastAttemptActor],
  ['last_attempt_outcome', (row) => row.lastAttemptOutcome],
  // Added with cancel and undo; after the older columns, so that readers by position keep working.
  ['job_kind', (row) => row.jobKind],
  ['undoes_job_id', (row) => row.undoesJobId],
  ['cancelled_by', (row) => row.cancelledBy],
  ['cancelled_at', (row) => row.cancelledAt],
  // Added with instance names, last for the same reason: the names the job's plan read (empty when none was).
  ['origin_instance_name', (row) => row.originInstanceName],
  ['target_instance_name', (row) => row.targetInstanceName],
];

/**
 * What a spreadsheet skips before it looks for a formula sign: white space of any script (space, tab, line
 * breaks, no-break and ideographic spaces), control characters and invisible format characters (zero-width
 * space, byte order mark).
 */
const LEADING_IGNORED = /^[\s\p{Cc}\p{Cf}]+/u;
/** The formula signs once NFKC has folded the full-width, small and super/subscript forms (＝ ﹦ ⁼ → =). */
const FORMULA_SIGN = /^[=+\-@\u2212]/;

/** Whether a spreadsheet could take the cell for a formula (or a DDE command), so it must be made text. */
function mayRunAsFormula(text: string): boolean {
  if (/^[\t\r]/.test(text)) return true;
  const first = text.replace(LEADING_IGNORED, '').codePointAt(0);
  return first !== undefined && FORMULA_SIGN.test(String.fromCodePoint(first).normalize('NFKC'));
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (mayRunAsFormula(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export function csvResponse(
  db: Database,
  filter: JobFilter & { jobId?: string },
  filename: string,
): Response {
  const encoder = new TextEncoder();
  const rows = exportRows(db, filter);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(COLUMNS.map(([name]) => name))}`));
    },
    async pull(controller) {
      const next = await rows.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(csvLine(COLUMNS.map(([, read]) => read(next.value)))));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
}
