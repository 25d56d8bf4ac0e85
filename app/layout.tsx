import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import { signOutAction } from '@/lib/actions/auth/sign-out';
import { getCurrentUser } from '@/lib/auth/guard';
import { roleAllows } from '@/lib/auth/roles';
import { getRuntime } from '@/lib/runtime';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'sag-roam', template: '%s · sag-roam' },
  description: 'Roam Alibaba Cloud Smart Access Gateway APP client accounts between instances',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page depends on the running server (mode banner, database): render on request, never at build time.
  await connection();
  const runtime = await getRuntime();
  const user = await getCurrentUser();
  return (
    <html lang="en">
      <body className="min-h-screen bg-white font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-blue-800"
        >
          Skip to content
        </a>
        {runtime.mode === 'emulator' ? (
          <div
            role="note"
            className="border-b border-amber-300 bg-amber-100 px-4 py-2 text-center text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
          >
            <strong>Emulator mode:</strong> no Alibaba Cloud credentials are configured, so no real cloud
            calls are made. Requests go to the built-in SAG emulator.
          </div>
        ) : null}
        <header className="border-b border-slate-200 dark:border-slate-800">
          <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
            <Link href="/" className="text-lg font-semibold">
              sag-roam
            </Link>
            {user ? (
              <nav aria-label="Main" className="flex gap-4 text-sm">
                {roleAllows(user.role, 'operator') ? (
                  <Link href="/" className="hover:underline">
                    Roam
                  </Link>
                ) : null}
                <Link href="/history" className="hover:underline">
                  History
                </Link>
                {roleAllows(user.role, 'admin') ? (
                  <Link href="/admin/users" className="hover:underline">
                    Users
                  </Link>
                ) : null}
              </nav>
            ) : null}
            <div className="flex flex-wrap items-center gap-3 text-xs text-slate-600 dark:text-slate-400">
              <span>{runtime.endpointLabel}</span>
              {user ? (
                <form action={signOutAction} className="flex items-center gap-2">
                  <span className="break-all">
                    {user.email} ({user.role})
                  </span>
                  <button
                    type="submit"
                    className="rounded border border-slate-300 px-2 py-1 text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
                  >
                    Sign out
                  </button>
                </form>
              ) : null}
            </div>
          </div>
        </header>
        <Providers>
          <main id="main" className="mx-auto max-w-6xl px-4 py-6">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
