import type { Metadata } from 'next';
import { NotAllowed } from '@/components/auth/not-allowed';
import { RoamForm } from '@/components/roam/roam-form';
import { requirePageUser } from '@/lib/auth/guard';
import { roleAllows } from '@/lib/auth/roles';
import { getConfig } from '@/lib/config';
import { getI18n } from '@/lib/i18n/server';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('roam.pageTitle') };
}
export const dynamic = 'force-dynamic';

export default async function RoamPage({
  searchParams,
}: {
  searchParams: Promise<{ job?: string | string[] }>;
}) {
  const { job } = await searchParams;
  const jobId = typeof job === 'string' && /^[0-9a-f-]{36}$/i.test(job) ? job : null;
  const user = await requirePageUser(jobId ? `/?job=${jobId}` : '/');
  const { t } = await getI18n(user);
  if (!roleAllows(user.role, 'operator')) {
    return <NotAllowed role={user.role} needed="operator" what="notAllowed.roaming" t={t} />;
  }
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">{t('roam.title')}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700 dark:text-slate-300">{t('roam.intro')}</p>
      </div>
      <RoamForm maxUsernames={getConfig().roam.maxUsernamesPerJob} initialJobId={jobId} />
    </div>
  );
}
