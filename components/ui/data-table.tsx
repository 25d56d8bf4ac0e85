import type { ReactNode } from 'react';

/** A scrollable table with a caption for screen readers and a plain header row. */
export function DataTable({
  caption,
  columns,
  minWidth,
  children,
}: {
  caption: string;
  columns: string[];
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth: `${number}rem`;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-700">
      <table className="w-full text-left text-sm" style={{ minWidth }}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" className="px-3 py-2 font-medium">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export const rowClassName = 'border-b border-slate-100 align-top last:border-b-0 dark:border-slate-800';
export const cellClassName = 'px-3 py-2';
