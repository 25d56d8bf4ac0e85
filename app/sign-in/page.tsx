import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { Alert } from '@/components/ui/alert';
import { buttonClassName } from '@/components/ui/button';
import { DEMO_ADMIN } from '@/lib/auth/bootstrap';
import { getCurrentUser } from '@/lib/auth/guard';
import { isOidcFailureCode } from '@/lib/auth/oidc';
import { safeReturnPath } from '@/lib/auth/redirect';
import { getUserByEmail } from '@/lib/db/users';
import { getI18n } from '@/lib/i18n/server';
import { getRuntime } from '@/lib/runtime';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n(null)).t('signIn.title') };
}
export const dynamic = 'force-dynamic';

type SearchParams = {
  next?: string | string[];
  sso?: string | string[];
  ref?: string | string[];
  local?: string;
};

/** A reference of our own log line: eight hex digits, nothing else is echoed from the address. */
const REFERENCE_PATTERN = /^[0-9a-f]{8}$/;

export default async function SignInPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { next, sso, ref, local } = await searchParams;
  const returnTo = safeReturnPath(typeof next === 'string' ? next : '/');
  if (await getCurrentUser()) redirect(returnTo);
  const { t } = await getI18n(null);
  const runtime = await getRuntime();
  const provider = runtime.oidc ? { name: runtime.oidc.displayName } : null;
  // With OIDC_ONLY the password form is for the break-glass admin, behind ?local=1.
  const showLocalForm = !provider || !runtime.config.oidc?.only || local === '1';
  const failure = provider && isOidcFailureCode(sso) ? sso : null;
  const reference = typeof ref === 'string' && REFERENCE_PATTERN.test(ref) ? ref : null;
  // The demo admin's credentials are shown only on the emulator, and only while that account exists.
  const demoAdmin =
    runtime.mode === 'emulator' && showLocalForm && (await getUserByEmail(runtime.db, DEMO_ADMIN.email))
      ? DEMO_ADMIN
      : null;
  const startUrl = `${runtime.config.appUrl ?? ''}/api/auth/oidc/start?next=${encodeURIComponent(returnTo)}`;
  return (
    <div className="mx-auto flex w-full max-w-sm flex-col gap-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:mt-6 sm:p-8 dark:border-slate-800 dark:bg-slate-900">
      <h1 className="text-xl font-semibold tracking-tight text-slate-950 dark:text-white">
        {t('signIn.title')}
      </h1>
      {failure && provider ? (
        <Alert tone="error" role="alert" title={t('sso.failedTitle')}>
          <p>{t(`sso.failed.${failure}`, { name: provider.name })}</p>
          {reference ? <p className="mt-1 text-sm">{t('sso.reference', { reference })}</p> : null}
        </Alert>
      ) : null}
      {provider ? (
        // A plain link: the start is a GET that answers with a redirect to the provider, with or without script.
        <a href={startUrl} className={buttonClassName('primary', 'md')}>
          {t('sso.signInWith', { name: provider.name })}
        </a>
      ) : null}
      {demoAdmin ? (
        <Alert tone="info" title={t('signIn.demoTitle')}>
          <p className="break-words">
            {t('signIn.demo', { email: demoAdmin.email, password: demoAdmin.password })}
          </p>
        </Alert>
      ) : null}
      {showLocalForm ? (
        <>
          {provider ? (
            <p className="text-center text-sm text-slate-600 dark:text-slate-400">
              {runtime.config.oidc?.only ? t('sso.localOnly') : t('sso.orLocal')}
            </p>
          ) : null}
          <SignInForm returnTo={returnTo} />
        </>
      ) : (
        <a
          href={`/sign-in?local=1&next=${encodeURIComponent(returnTo)}`}
          className="text-center text-sm text-slate-600 underline underline-offset-2 dark:text-slate-400"
        >
          {t('sso.localForm')}
        </a>
      )}
    </div>
  );
}
