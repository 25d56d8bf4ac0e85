'use client';

import { useQuery } from '@tanstack/react-query';
import { useI18n } from '@/components/i18n/i18n-provider';
import { Combobox } from '@/components/ui/combobox';
import type { Translate } from '@/lib/i18n/translate';
import { ApiError, instancesQuery } from '@/lib/query/options';
import type { InstanceView } from '@/lib/roam/view-models';

/** The quota, not the accounts in use: those cost a call per instance, and the plan reads them for the two chosen. */
export function describeInstance(instance: InstanceView, t: Translate): string {
  const values = {
    id: instance.smartAGId,
    status: instance.status,
    cidr: instance.cidrBlock || t('instances.noCidr'),
  };
  return instance.quota === null
    ? t('instances.describeNoQuota', values)
    : t('instances.describe', { ...values, quota: instance.quota });
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
  const { t } = useI18n();
  const instances = useQuery(instancesQuery(regionId));
  const list = instances.data?.instances ?? [];
  const selected = list.find((instance) => instance.smartAGId === value);
  const statusId = `${id}-status`;

  let status: string;
  if (!regionId) status = t('instances.chooseRegionFirst');
  else if (instances.isPending) status = t('instances.loading', { region: regionId });
  else if (instances.isError)
    status =
      instances.error instanceof ApiError
        ? t('instances.refused', { title: instances.error.view.title, code: instances.error.view.code })
        : t('instances.failed');
  else if (list.length === 0) status = t('instances.none', { region: regionId });
  else status = t('instances.count', { count: list.length, region: regionId });

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
          description: describeInstance(instance, t),
        }))}
      />
      <p
        id={statusId}
        className={`text-xs ${instances.isError ? 'text-amber-800 dark:text-amber-300' : 'text-slate-600 dark:text-slate-400'}`}
      >
        {/* The input holds the ID (what is sent, and what can be typed): the name is said here, beside it. */}
        {selected ? (
          <>
            {selected.name ? (
              <>
                <span className="font-medium text-slate-800 dark:text-slate-200">{selected.name}</span>
                {' · '}
              </>
            ) : null}
            {describeInstance(selected, t)}
          </>
        ) : (
          status
        )}
      </p>
    </>
  );
}
