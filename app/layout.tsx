import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { SignOutForm } from '@/components/auth/sign-out-form';
import { I18nProvider } from '@/components/i18n/i18n-provider';
import { LanguageSwitcher } from '@/components/i18n/language-switcher';
import { HeaderMenu } from '@/components/layout/header-menu';
import { NavLink } from '@/components/layout/nav-link';
import { Providers } from '@/components/providers';
import { UiIcon } from '@/components/ui/icons';
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

/** The brand mark, the same as the tab icon (app/icon.svg), drawn inline so it costs no request. */
function BrandMark() {
  return (
    <svg aria-hidden="true" focusable="false" viewBox="0 0 32 32" className="size-6 shrink-0">
      <rect width="32" height="32" rx="7" className="fill-blue-700 dark:fill-blue-500" />
      <path
        d="M8 20h10l-3 3m3-3-3-3M24 12H14l3-3m-3 3 3 3"
        stroke="#fff"
        strokeWidth="2.5"
        fill="none"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

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
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-blue-800 focus:shadow-lg dark:focus:bg-slate-900 dark:focus:text-blue-300"
        >
          {t('layout.skipToContent')}
        </a>
        {runtime.mode === 'emulator' ? (
          // One line on a phone (the key words); the whole sentence from 640 px wide.
          <div
            role="note"
            className="border-b border-amber-300 bg-amber-50 px-4 py-1.5 text-center text-xs text-amber-950 sm:text-sm dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
          >
            <strong className="font-semibold">{t('layout.emulatorBannerTitle')}</strong>{' '}
            <span className="sm:hidden">{t('layout.emulatorBannerShort')}</span>
            <span className="max-sm:hidden">{t('layout.emulatorBanner')}</span>
          </div>
        ) : null}
        <I18nProvider locale={locale} messages={MESSAGES[locale]}>
          <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950">
            <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-5 px-4 xl:max-w-7xl">
              <Link
                href="/"
                className="flex h-12 items-center gap-2 rounded-md text-base font-semibold tracking-tight text-slate-950 md:h-14 dark:text-white"
              >
                <BrandMark />
                sag-roam
              </Link>
              {user ? (
                <nav
                  aria-label={t('layout.nav')}
                  className="order-last -mx-2 flex w-[calc(100%+1rem)] gap-1 md:order-none md:mx-0 md:w-auto"
                >
                  {roleAllows(user.role, 'operator') ? (
                    <NavLink href="/">{t('layout.navRoam')}</NavLink>
                  ) : null}
                  <NavLink href="/history">{t('layout.navHistory')}</NavLink>
                  {roleAllows(user.role, 'admin') ? (
                    <NavLink href="/admin/users">{t('layout.navUsers')}</NavLink>
                  ) : null}
                </nav>
              ) : null}
              <HeaderMenu label={t('layout.menu')}>
                <span className="inline-flex max-w-full items-center gap-1.5 rounded-full border border-slate-200 px-2 py-0.5 break-words dark:border-slate-700">
                  <span
                    aria-hidden="true"
                    className={`size-1.5 shrink-0 rounded-full ${runtime.endpoint.kind === 'emulator' ? 'bg-amber-500' : 'bg-green-600'}`}
                  />
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
                    <span className="inline-flex min-w-0 items-center gap-1.5 break-words text-slate-700 dark:text-slate-300">
                      <UiIcon name="user" className="size-3.5" />
                      {t('layout.signedInAs', { email: user.email, role: t(`role.${user.role}`) })}
                    </span>
                  </SignOutForm>
                ) : null}
              </HeaderMenu>
            </div>
          </header>
          <Providers>
            <main id="main" className="mx-auto max-w-6xl px-4 py-5 sm:py-8 xl:max-w-7xl">
              {children}
            </main>
          </Providers>
        </I18nProvider>
      </body>
    </html>
  );
}
