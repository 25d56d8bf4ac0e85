import type { ReactNode } from 'react';

/**
 * The top of a page: its one `h1`, a muted line saying what the page is for, and the page's own actions on the
 * right (they wrap under the title on a phone). Every page uses it, so titles sit at the same place and size.
 */
export function PageHeader({
  title,
  description,
  actions,
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** Anything under the description: badges, the instance route, a back link. */
  children?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-3">
      <div className="flex min-w-0 flex-col gap-1">
        <h1 className="text-xl font-semibold tracking-tight break-words text-slate-950 sm:text-2xl dark:text-white">
          {title}
        </h1>
        {description ? (
          <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">{description}</p>
        ) : null}
        {children}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}

/**
 * A titled section of a page (`h2`), framed or not: the section is named by its heading for screen readers, and
 * `actions` sit on the heading's line.
 */
export function Section({
  id,
  title,
  description,
  actions,
  framed = false,
  children,
}: {
  /** Used for the heading's id (`${id}-title`), which names the section. */
  id: string;
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** A panel with a border and padding, as a form or a summary. */
  framed?: boolean;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-title`}
      className={`flex min-w-0 flex-col gap-3 ${
        framed
          ? 'rounded-lg border border-slate-200 bg-white p-4 shadow-xs sm:p-5 dark:border-slate-800 dark:bg-slate-900'
          : ''
      }`}
    >
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <div className="flex min-w-0 flex-col gap-0.5">
          <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900 dark:text-slate-100">
            {title}
          </h2>
          {description ? <p className="text-sm text-slate-600 dark:text-slate-400">{description}</p> : null}
        </div>
        {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}
