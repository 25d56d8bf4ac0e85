/**
 * Class names shared by the primitives and the pages, kept literal so Tailwind finds them. One focus ring, one
 * link look and one muted text colour, in light and dark, so every page reads as one console.
 */

/** The focus ring of every control that draws its own (the base layer gives the rest the same one). */
export const focusRingClassName =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 dark:focus-visible:outline-blue-400';

/** A link in running text or a table: blue and underlined, so it is never told by colour alone. */
export const linkClassName = `rounded-sm text-blue-700 underline decoration-blue-700/40 underline-offset-2 hover:decoration-current dark:text-blue-300 dark:decoration-blue-300/40 ${focusRingClassName}`;

/** Secondary text: hints, timestamps, who did what. */
export const mutedTextClassName = 'text-slate-600 dark:text-slate-400';

/** A framed surface: a form, a summary, a group of figures. */
export const panelClassName =
  'rounded-lg border border-slate-200 bg-white shadow-xs dark:border-slate-800 dark:bg-slate-900';
