import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { Alert } from '@/components/ui/alert';
import { DEMO_ADMIN } from '@/lib/auth/bootstrap';
import { getCurrentUser } from '@/lib/auth/guard';
import { safeReturnPath } from '@/lib/auth/redirect';
import { getUserByEmail } from '@/lib/db/users';
import { getI18n } from '@/lib/i18n/server';
import { getRuntime } from '@/lib/runtime';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n(null)).t('signIn.title') };
}
export const dynamic = 'force-dynamic';

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { next } = await searchParams;
  const returnTo = safeReturnPath(typeof next === 'string' ? next : '/');
  if (await getCurrentUser()) redirect(returnTo);
  const { t } = await getI18n(null);
  const runtime = await getRuntime();
  // The demo admin's credentials are shown only on the emulator, and only while that account exists.
  const demoAdmin =
    runtime.mode === 'emulator' && (await getUserByEmail(runtime.db, DEMO_ADMIN.email)) ? DEMO_ADMIN : null;
  return (
    <div className="mx-auto flex w-full max-w-sm flex-col gap-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:mt-6 sm:p-8 dark:border-slate-800 dark:bg-slate-900">
      <h1 className="text-xl font-semibold tracking-tight text-slate-950 dark:text-white">
        {t('signIn.title')}
      </h1>
      {demoAdmin ? (
        <Alert tone="info" title={t('signIn.demoTitle')}>
          <p className="break-words">
            {t('signIn.demo', { email: demoAdmin.email, password: demoAdmin.password })}
          </p>
        </Alert>
      ) : null}
      <SignInForm returnTo={returnTo} />
    </div>
  );
}
