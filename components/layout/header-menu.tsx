'use client';

import { usePathname } from 'next/navigation';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { UiIcon } from '@/components/ui/icons';
import { focusRingClassName } from '@/components/ui/styles';

/**
 * The header's details (endpoint, language, who is signed in, sign out). From 768 px wide they are always shown,
 * in the room the header's row leaves (wrapping inside it, right-aligned, when it is short); on a phone they sit behind a disclosure button (`aria-expanded`), so the header stays
 * two short rows. Escape closes it and returns to the button; moving to another page closes it too.
 */
export function HeaderMenu({ label, children }: { label: string; children: ReactNode }) {
  const panelId = useId();
  const pathname = usePathname();
  const buttonRef = useRef<HTMLButtonElement>(null);
  // Open for the page it was opened on: after a navigation it is closed without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  useEffect(() => {
    if (!open) return;
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpenOn(null);
      buttonRef.current?.focus();
    };
    document.addEventListener('keydown', closeOnEscape);
    return () => document.removeEventListener('keydown', closeOnEscape);
  }, [open]);
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpenOn(open ? null : pathname)}
        className={`ml-auto inline-flex h-8 items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 text-xs font-medium text-slate-800 hover:bg-slate-50 md:hidden dark:border-slate-600 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800 ${focusRingClassName}`}
      >
        <UiIcon name="user" className="size-4" />
        {label}
        <UiIcon name="chevron" className={`size-3.5 transition-transform ${open ? 'rotate-180' : ''}`} />
      </button>
      <div
        id={panelId}
        className={`${open ? 'flex' : 'hidden'} order-last w-full flex-col items-start gap-3 border-t border-slate-200 py-3 text-xs text-slate-600 md:order-none md:flex md:w-auto md:min-w-0 md:flex-1 md:flex-row md:flex-wrap md:items-center md:justify-end md:gap-x-4 md:gap-y-2 md:border-t-0 md:py-2 dark:border-slate-800 dark:text-slate-400`}
      >
        {children}
      </div>
    </>
  );
}
