import Link from 'next/link';
import { getI18n } from '@/lib/i18n/server';

export default async function NotFound() {
  const { t } = await getI18n();
  return (
    <div className="flex max-w-2xl flex-col gap-3 py-6">
      <h1 className="text-2xl font-semibold">{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <p className="flex gap-4">
        <Link href="/history" className="text-blue-700 underline dark:text-blue-300">
          {t('notAllowed.history')}
        </Link>
        <Link href="/" className="text-blue-700 underline dark:text-blue-300">
          {t('roam.title')}
        </Link>
      </p>
    </div>
  );
}
