import Link from 'next/link';
import { linkClassName, mutedTextClassName } from '@/components/ui/styles';
import type { Translate } from '@/lib/i18n/translate';

/**
 * An instance as an admin knows it, its name, and as the API knows it, its ID (monospace, a link to the
 * history of the jobs from or to it), with its region when given; the ID alone when no name was read. Name,
 * ID and region wrap as whole pieces on a narrow screen (an ID breaks only when it is wider than the line).
 * No hooks: it renders on the server (history) and in the browser (the job view).
 */
export function InstanceLabel({
  instanceId,
  name,
  regionId,
  t,
}: {
  instanceId: string;
  name: string | null;
  regionId?: string;
  t: Translate;
}) {
  // The spaces between the parts take no room in the flex row; they keep them apart when the text is read or
  // copied.
  return (
    <span className="inline-flex max-w-full min-w-0 flex-wrap items-baseline gap-x-1.5">
      {name ? (
        <>
          <span className="font-medium break-words text-slate-900 dark:text-slate-100">{name}</span>{' '}
        </>
      ) : null}
      <Link
        href={`/history?instance=${encodeURIComponent(instanceId)}`}
        title={t('instanceLabel.historyLink', { id: instanceId })}
        className={`font-mono break-all ${linkClassName}`}
      >
        {instanceId}
      </Link>
      {regionId ? (
        <>
          {' '}
          <span className={`break-keep ${mutedTextClassName}`}>({regionId})</span>
        </>
      ) : null}
    </span>
  );
}
