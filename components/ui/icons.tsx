import type { ReactNode } from 'react';

/**
 * Small line icons drawn inline (no icon font, nothing to download). Always decorative: hidden from assistive
 * technology and carrying no text, so a status still reads as its words and `textContent` stays the words alone.
 */
function Icon({ className = 'size-4', children }: { className?: string; children: ReactNode }) {
  return (
    <svg
      aria-hidden="true"
      focusable="false"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={`shrink-0 ${className}`}
    >
      {children}
    </svg>
  );
}

export type IconName = 'check' | 'cross' | 'alert' | 'info' | 'dash' | 'clock' | 'chevron' | 'copy' | 'user';

const paths: Record<IconName, ReactNode> = {
  check: <path d="M3.5 8.5l3 3 6-7" />,
  cross: <path d="M4.5 4.5l7 7m0-7l-7 7" />,
  alert: (
    <>
      <path d="M8 2.5l6 11H2z" />
      <path d="M8 6.75v3M8 11.75v.01" />
    </>
  ),
  info: (
    <>
      <circle cx="8" cy="8" r="6" />
      <path d="M8 7.25v4M8 4.75v.01" />
    </>
  ),
  dash: <path d="M4 8h8" />,
  clock: (
    <>
      <circle cx="8" cy="8" r="6" />
      <path d="M8 4.75V8l2 1.5" />
    </>
  ),
  chevron: <path d="M4 6l4 4 4-4" />,
  copy: (
    <>
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
      <path d="M10.5 3.5V3A1.5 1.5 0 0 0 9 1.5H4A1.5 1.5 0 0 0 2.5 3v5A1.5 1.5 0 0 0 4 9.5h.5" />
    </>
  ),
  user: (
    <>
      <circle cx="8" cy="5.5" r="2.75" />
      <path d="M2.75 14a5.25 5.25 0 0 1 10.5 0" />
    </>
  ),
};

export function UiIcon({ name, className }: { name: IconName; className?: string }) {
  return <Icon className={className}>{paths[name]}</Icon>;
}
