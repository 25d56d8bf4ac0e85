import Link from 'next/link';
import type { Role } from '@/lib/auth/roles';
import type { Translate, TranslationKey } from '@/lib/i18n/translate';

/** Shown instead of a page's content when the signed-in role does not allow it. */
export function NotAllowed({
  role,
  needed,
  what,
  t,
}: {
  role: Role;
  needed: Role;
  what: TranslationKey;
  t: Translate;
}) {
  return (
    <div className="flex max-w-2xl flex-col gap-3 py-6">
      <h1 className="text-2xl font-semibold">{t('notAllowed.title')}</h1>
      <p>{t('notAllowed.body', { role: t(`role.${role}`), needed: t(`role.${needed}`), what: t(what) })}</p>
      <p>
        <Link href="/history" className="text-blue-700 underline dark:text-blue-300">
          {t('notAllowed.history')}
        </Link>
      </p>
    </div>
  );
}
