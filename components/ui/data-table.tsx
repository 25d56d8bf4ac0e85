import type { ReactNode } from 'react';

/**
 * A table with a caption for screen readers and a plain header row. Wide tables scroll sideways inside their
 * frame on narrow screens; `stacked` tables instead show each row as a block below 640 px, each cell under
 * the previous one, so nothing is cut off on a phone.
 */
export function DataTable({
  caption,
  columns,
  minWidthClass,
  stacked = false,
  children,
}: {
  caption: string;
  columns: string[];
  /** A literal Tailwind class, e.g. `min-w-[44rem]` (kept literal so Tailwind generates it). */
  minWidthClass: string;
  stacked?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-700">
      <table
        className={`w-full text-left text-sm ${minWidthClass} ${stacked ? 'max-sm:block max-sm:min-w-0' : ''}`}
      >
        <caption className="sr-only">{caption}</caption>
        <thead
          className={`bg-slate-50 text-slate-700 dark:bg-slate-800 dark:text-slate-300 ${stacked ? 'max-sm:sr-only' : ''}`}
        >
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" className="px-3 py-2 font-medium">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={stacked ? 'max-sm:block' : undefined}>{children}</tbody>
      </table>
    </div>
  );
}

export const rowClassName = 'border-b border-slate-100 align-top last:border-b-0 dark:border-slate-800';
/** Row and cell classes of a `stacked` table. */
export const stackedRowClassName = `${rowClassName} max-sm:block max-sm:py-2`;
export const stackedCellClassName = 'px-3 py-2 max-sm:block max-sm:py-0.5';
