'use client';

import { useQuery } from '@tanstack/react-query';
import { fieldControlProps, inputClassName } from '@/components/ui/field';
import { regionsQuery } from '@/lib/query/options';

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
  const regions = useQuery(regionsQuery());
  const placeholder = regions.isPending
    ? 'Loading regions…'
    : regions.isError
      ? 'Regions could not be loaded'
      : 'Choose a region';
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
            {region.localName} ({region.regionId})
          </option>
        ))}
      </select>
      {regions.isError ? (
        <p id={`${id}-load-error`} className="text-sm text-red-700 dark:text-red-400">
          {regions.error.message}.{' '}
          <button type="button" className="underline" onClick={() => regions.refetch()}>
            Try again
          </button>
        </p>
      ) : null}
    </>
  );
}
