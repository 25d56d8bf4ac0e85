import type { ReactNode } from 'react';

/** A column heading, with classes for its `<th>` (a width, `whitespace-nowrap`, `text-right` for figures). */
export interface DataTableColumn {
  label: string;
  className?: string;
}

/**
 * A dense table with a caption for screen readers and a quiet header row; rows are marked on hover. Wide tables
 * scroll sideways inside their frame on narrow screens; `stacked` tables instead show each row as a block
 * below 640 px, each cell under the previous one, so nothing is cut off on a phone.
 */
export function DataTable({
  caption,
  columns,
  minWidthClass,
  stacked = false,
  children,
}: {
  caption: string;
  columns: readonly (string | DataTableColumn)[];
  /** A literal Tailwind class, e.g. `min-w-[44rem]` (kept literal so Tailwind generates it). */
  minWidthClass: string;
  stacked?: boolean;
  children: ReactNode;
}) {
  return (
    // The frame scrolls sideways when the table is wider than the screen: it takes the focus, so a keyboard user
    // can scroll it with the arrow keys, and is named by the caption.
    <section
      aria-label={caption}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
      tabIndex={0}
      className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs dark:border-slate-800 dark:bg-slate-900"
    >
      <table
        className={`w-full border-collapse text-left text-sm ${minWidthClass} ${stacked ? 'max-sm:block max-sm:min-w-0' : ''}`}
      >
        <caption className="sr-only">{caption}</caption>
        <thead
          className={`border-b border-slate-200 bg-slate-50 text-xs text-slate-600 dark:border-slate-800 dark:bg-slate-800/60 dark:text-slate-300 ${stacked ? 'max-sm:sr-only' : ''}`}
        >
          <tr>
            {columns.map((column) => {
              const { label, className = '' } = typeof column === 'string' ? { label: column } : column;
              return (
                <th key={label} scope="col" className={`px-3 py-2 font-medium break-keep ${className}`}>
                  {label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className={stacked ? 'max-sm:block' : undefined}>{children}</tbody>
      </table>
    </section>
  );
}

/** A body row: a hairline between rows, marked on hover. */
export const rowClassName =
  'border-b border-slate-100 align-top transition-colors last:border-b-0 hover:bg-slate-50/70 dark:border-slate-800 dark:hover:bg-slate-800/40';
/** A body cell of the usual density. */
export const cellClassName = 'px-3 py-2';
/** Row and cell classes of a `stacked` table. */
export const stackedRowClassName = `${rowClassName} max-sm:block max-sm:py-2`;
export const stackedCellClassName = 'px-3 py-2 max-sm:block max-sm:py-0.5';
