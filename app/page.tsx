import { NotAllowed } from '@/components/auth/not-allowed';
import { RoamForm } from '@/components/roam/roam-form';
import { requirePageUser } from '@/lib/auth/guard';
import { roleAllows } from '@/lib/auth/roles';
import { getConfig } from '@/lib/config';

export const dynamic = 'force-dynamic';

export default async function RoamPage({
  searchParams,
}: {
  searchParams: Promise<{ job?: string | string[] }>;
}) {
  const { job } = await searchParams;
  const jobId = typeof job === 'string' && /^[0-9a-f-]{36}$/i.test(job) ? job : null;
  const user = await requirePageUser(jobId ? `/?job=${jobId}` : '/');
  if (!roleAllows(user.role, 'operator')) {
    return <NotAllowed role={user.role} needed="operator" what="Roaming client accounts" />;
  }
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Roam client accounts</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700 dark:text-slate-300">
          Copy SAG APP client accounts from an origin instance to an instance in another region, so that their
          users can connect there. Each username is one RoamClientUser call; every call and its outcome is
          recorded.
        </p>
      </div>
      <RoamForm maxUsernames={getConfig().roam.maxUsernamesPerJob} initialJobId={jobId} />
    </div>
  );
}
