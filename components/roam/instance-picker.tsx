'use client';

import { useQuery } from '@tanstack/react-query';
import { Combobox } from '@/components/ui/combobox';
import { ApiError, instancesQuery } from '@/lib/query/options';
import type { InstanceView } from '@/lib/roam/view-models';

export function describeInstance(instance: InstanceView): string {
  const quota = instance.maxUserCount === null ? '' : ` of ${instance.maxUserCount}`;
  return `${instance.smartAGId} · ${instance.status} · ${instance.userCount}${quota} accounts · CIDR ${
    instance.cidrBlock || 'none'
  }`;
}

/**
 * The SAG APP instances of a region in a searchable list. When listing is refused (a RAM identity may be
 * allowed to roam but not to list), the admin can still type an instance ID; the form checks its format.
 */
export function InstancePicker({
  id,
  regionId,
  value,
  onChange,
  onBlur,
  error,
}: {
  id: string;
  regionId: string;
  value: string;
  onChange: (value: string) => void;
  onBlur: () => void;
  error?: string;
}) {
  const instances = useQuery(instancesQuery(regionId));
  const list = instances.data?.instances ?? [];
  const selected = list.find((instance) => instance.smartAGId === value);
  const statusId = `${id}-status`;

  let status: string;
  if (!regionId) status = 'Choose a region first, or type an instance ID.';
  else if (instances.isPending) status = `Loading SAG APP instances in ${regionId}…`;
  else if (instances.isError)
    status =
      instances.error instanceof ApiError
        ? `${instances.error.view.title} (${instances.error.view.code}). You can still type an instance ID.`
        : 'The instances could not be loaded. You can still type an instance ID.';
  else if (list.length === 0)
    status = `No SAG APP instances in ${regionId}. You can still type an instance ID.`;
  else status = `${list.length} SAG APP instance${list.length === 1 ? '' : 's'} in ${regionId}.`;

  return (
    <>
      <Combobox
        id={id}
        value={value}
        onChange={onChange}
        onBlur={onBlur}
        invalid={Boolean(error)}
        describedBy={[error ? `${id}-error` : null, statusId].filter(Boolean).join(' ')}
        placeholder="sag-…"
        status={status}
        options={list.map((instance) => ({
          value: instance.smartAGId,
          label: instance.name || instance.smartAGId,
          description: describeInstance(instance),
        }))}
      />
      <p
        id={statusId}
        className={`text-xs ${instances.isError ? 'text-amber-800 dark:text-amber-300' : 'text-slate-600 dark:text-slate-400'}`}
      >
        {selected ? describeInstance(selected) : status}
      </p>
    </>
  );
}
