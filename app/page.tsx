import type { Metadata } from 'next';
import { NotAllowed } from '@/components/auth/not-allowed';
import { RoamForm } from '@/components/roam/roam-form';
import { RunningJobs } from '@/components/roam/running-jobs';
import { Alert } from '@/components/ui/alert';
import { requirePageUser } from '@/lib/auth/guard';
import { roleAllows } from '@/lib/auth/roles';
import { getConfig } from '@/lib/config';
import { listRunningJobsOf } from '@/lib/db/jobs/running';
import { getI18n } from '@/lib/i18n/server';
import { roamAgainValues } from '@/lib/roam/roam-again';
import { type RouteValues, routeFromSearchParams, withRoute } from '@/lib/roam/route-params';
import { getRuntime } from '@/lib/runtime';
import { isUuid } from '@/lib/uuid';

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
  const { job, again } = query;
  const jobId = typeof job === 'string' && isUuid(job) ? job : null;
  // "Roam the missing again" from a verified job: its route and the usernames found missing fill the form.
  const againId = typeof again === 'string' && isUuid(again) ? again : null;
  const kept = new URLSearchParams();
  if (againId) kept.set('again', againId);
  if (jobId) kept.set('job', jobId);
  // The origin and target the address carries (a reload keeps them); anything malformed is left out.
  const addressRoute = routeFromSearchParams(query);
  const back = withRoute(kept, addressRoute).toString();
  const user = await requirePageUser(back ? `/?${back}` : '/');
  const { locale, t } = await getI18n(user);
  if (!roleAllows(user.role, 'operator')) {
    return <NotAllowed role={user.role} needed="operator" what="notAllowed.roaming" t={t} />;
  }
  const { db } = await getRuntime();
  const againValues = againId ? await roamAgainValues(db, againId) : null;
  const againUsernames = againValues?.usernames ?? [];
  // The address wins over the job's route: it is what the admin chose after arriving here.
  const route: RouteValues = againValues
    ? {
        originRegionId: addressRoute.originRegionId || againValues.originRegionId,
        originInstanceId: addressRoute.originInstanceId || againValues.originInstanceId,
        targetRegionId: addressRoute.targetRegionId || againValues.targetRegionId,
        targetInstanceId: addressRoute.targetInstanceId || againValues.targetInstanceId,
      }
    : addressRoute;
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
        initialUsernames={againUsernames}
        notice={
          againId ? (
            <Alert tone={againValues ? 'info' : 'warning'} role="status">
              {againValues
                ? t('roamPage.againNotice', { count: againUsernames.length, id: againId })
                : t('roamPage.againNone', { id: againId })}
            </Alert>
          ) : undefined
        }
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
