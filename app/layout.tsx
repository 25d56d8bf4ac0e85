import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { SignOutForm } from '@/components/auth/sign-out-form';
import { I18nProvider } from '@/components/i18n/i18n-provider';
import { LanguageSwitcher } from '@/components/i18n/language-switcher';
import { Providers } from '@/components/providers';
import { getCurrentUser } from '@/lib/auth/guard';
import { roleAllows } from '@/lib/auth/roles';
import { MESSAGES } from '@/lib/i18n/messages';
import { getI18n } from '@/lib/i18n/server';
import { getRuntime } from '@/lib/runtime';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'sag-roam', template: '%s · sag-roam' },
  description: 'Roam Alibaba Cloud Smart Access Gateway APP client accounts between instances',
};

const navLink =
  'rounded px-1 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600';

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page depends on the running server (mode banner, database): render on request, never at build time.
  await connection();
  const runtime = await getRuntime();
  const user = await getCurrentUser();
  const { locale, t } = await getI18n(user);
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-white font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-blue-800"
        >
          {t('layout.skipToContent')}
        </a>
        {runtime.mode === 'emulator' ? (
          <div
            role="note"
            className="border-b border-amber-300 bg-amber-100 px-4 py-2 text-center text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
          >
            <strong>{t('layout.emulatorBannerTitle')}</strong> {t('layout.emulatorBanner')}
          </div>
        ) : null}
        <I18nProvider locale={locale} messages={MESSAGES[locale]}>
          <header className="border-b border-slate-200 dark:border-slate-800">
            <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
              <Link href="/" className="text-lg font-semibold">
                sag-roam
              </Link>
              {user ? (
                <nav aria-label={t('layout.nav')} className="flex gap-4 text-sm">
                  {roleAllows(user.role, 'operator') ? (
                    <Link href="/" className={navLink}>
                      {t('layout.navRoam')}
                    </Link>
                  ) : null}
                  <Link href="/history" className={navLink}>
                    {t('layout.navHistory')}
                  </Link>
                  {roleAllows(user.role, 'admin') ? (
                    <Link href="/admin/users" className={navLink}>
                      {t('layout.navUsers')}
                    </Link>
                  ) : null}
                </nav>
              ) : null}
              <div className="flex min-w-0 flex-wrap items-center gap-3 text-xs text-slate-600 dark:text-slate-400">
                <span className="break-all">
                  {runtime.endpoint.kind === 'emulator'
                    ? t('layout.endpointEmulator', { url: runtime.endpoint.url })
                    : t('layout.endpointCloud', {
                        endpoint: runtime.endpoint.endpoint,
                        provider: runtime.endpoint.provider,
                      })}
                </span>
                <LanguageSwitcher />
                {user ? (
                  <SignOutForm>
                    <span className="break-all">
                      {t('layout.signedInAs', { email: user.email, role: t(`role.${user.role}`) })}
                    </span>
                  </SignOutForm>
                ) : null}
              </div>
            </div>
          </header>
          <Providers>
            <main id="main" className="mx-auto max-w-6xl px-4 py-6">
              {children}
            </main>
          </Providers>
        </I18nProvider>
      </body>
    </html>
  );
}
