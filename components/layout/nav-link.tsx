'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

/**
 * Whether a navigation entry stands for the page at `pathname`: `/` only for itself, any other entry also for
 * its sub-pages (a job page, /history/<id>, belongs to History).
 */
export function isCurrentSection(href: string, pathname: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}

/**
 * An entry of the main navigation. The current page's entry says so to screen readers (`aria-current="page"`)
 * and to the eye by a bar under it and heavier text, not by colour alone. Client-side, because the root layout
 * is not rendered again when the page changes.
 */
export function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const pathname = usePathname();
  const current = isCurrentSection(href, pathname);
  return (
    <Link
      href={href}
      aria-current={current ? 'page' : undefined}
      className={`group relative flex h-10 items-center px-0.5 text-sm focus-visible:outline-none md:h-14 ${
        current
          ? 'font-semibold text-slate-950 after:absolute after:inset-x-1 after:bottom-0 after:h-0.5 after:rounded-full after:bg-blue-600 dark:text-white dark:after:bg-blue-400'
          : 'font-medium text-slate-600 hover:text-slate-950 dark:text-slate-400 dark:hover:text-white'
      }`}
    >
      <span className="rounded-md px-2 py-1 transition-colors group-hover:bg-slate-100 group-focus-visible:outline-2 group-focus-visible:outline-blue-600 dark:group-hover:bg-slate-800 dark:group-focus-visible:outline-blue-400">
        {children}
      </span>
    </Link>
  );
}
