import type { Metadata } from 'next';
import { NotAllowed } from '@/components/auth/not-allowed';
import { RoamForm } from '@/components/roam/roam-form';
import { RunningJobs } from '@/components/roam/running-jobs';
import { requirePageUser } from '@/lib/auth/guard';
import { roleAllows } from '@/lib/auth/roles';
import { getConfig } from '@/lib/config';
import { listRunningJobsOf } from '@/lib/db/jobs/running';
import { getI18n } from '@/lib/i18n/server';
import { routeFromSearchParams, withRoute } from '@/lib/roam/route-params';
import { getRuntime } from '@/lib/runtime';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('roam.pageTitle') };
}
export const dynamic = 'force-dynamic';

const RUNNING_JOBS_SHOWN = 5;

export default async function RoamPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = await searchParams;
  const { job } = query;
  const jobId = typeof job === 'string' && /^[0-9a-f-]{36}$/i.test(job) ? job : null;
  // The origin and target the address carries (a reload keeps them); anything malformed is left out.
  const route = routeFromSearchParams(query);
  const back = withRoute(new URLSearchParams(jobId ? { job: jobId } : {}), route).toString();
  const user = await requirePageUser(back ? `/?${back}` : '/');
  const { locale, t } = await getI18n(user);
  if (!roleAllows(user.role, 'operator')) {
    return <NotAllowed role={user.role} needed="operator" what="notAllowed.roaming" t={t} />;
  }
  const { db } = await getRuntime();
  const running = (await listRunningJobsOf(db, user.email, RUNNING_JOBS_SHOWN + 2)).filter(
    (running) => running.id !== jobId,
  );
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">{t('roam.title')}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700 dark:text-slate-300">{t('roam.intro')}</p>
      </div>
      <RoamForm
        maxUsernames={getConfig().roam.maxUsernamesPerJob}
        initialJobId={jobId}
        initialRoute={route}
        runningJobs={
          <RunningJobs
            jobs={running.slice(0, RUNNING_JOBS_SHOWN)}
            limit={RUNNING_JOBS_SHOWN}
            more={running.length > RUNNING_JOBS_SHOWN}
            locale={locale}
            t={t}
          />
        }
      />
    </div>
  );
}
