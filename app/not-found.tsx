import Link from 'next/link';
import { buttonClassName } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { getI18n } from '@/lib/i18n/server';

export default async function NotFound() {
  const { t } = await getI18n();
  return (
    <div className="flex max-w-2xl flex-col gap-5 py-4">
      <PageHeader title={t('notFound.title')} description={t('notFound.body')} />
      <p className="flex flex-wrap gap-2">
        <Link href="/history" className={buttonClassName('primary')}>
          {t('notAllowed.history')}
        </Link>
        <Link href="/" className={buttonClassName('secondary')}>
          {t('roam.title')}
        </Link>
      </p>
    </div>
  );
}
