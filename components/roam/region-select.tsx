'use client';

import { useQuery } from '@tanstack/react-query';
import { useI18n } from '@/components/i18n/i18n-provider';
import { fieldControlProps, inputClassName } from '@/components/ui/field';
import { ApiError, regionsQuery } from '@/lib/query/options';

/** A native select of the regions DescribeRegions returns (local name and ID). */
export function RegionSelect({
  id,
  value,
  onChange,
  onBlur,
  error,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  onBlur: () => void;
  error?: string;
}) {
  const { locale, t } = useI18n();
  const regions = useQuery(regionsQuery(locale));
  const placeholder = regions.isPending
    ? t('regions.loading')
    : regions.isError
      ? t('regions.failed')
      : t('regions.choose');
  return (
    <>
      <select
        {...fieldControlProps(id, error ?? (regions.isError ? 'regions-failed' : undefined))}
        aria-describedby={error ? `${id}-error` : regions.isError ? `${id}-load-error` : undefined}
        className={inputClassName}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
      >
        <option value="">{placeholder}</option>
        {regions.data?.regions.map((region) => (
          <option key={region.regionId} value={region.regionId}>
            {t('regions.option', { name: region.localName, id: region.regionId })}
          </option>
        ))}
      </select>
      {regions.isError ? (
        <p id={`${id}-load-error`} className="text-sm text-red-700 dark:text-red-400">
          {regions.error instanceof ApiError ? regions.error.view.title : t('regions.failed')}{' '}
          <button type="button" className="underline" onClick={() => regions.refetch()}>
            {t('regions.tryAgain')}
          </button>
        </p>
      ) : null}
    </>
  );
}
