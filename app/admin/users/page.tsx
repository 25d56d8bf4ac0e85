import type { Metadata } from 'next';
import { AddUserForm, UserControls } from '@/components/admin/user-admin';
import { NotAllowed } from '@/components/auth/not-allowed';
import { Badge } from '@/components/ui/badge';
import { cellClassName, DataTable, rowClassName } from '@/components/ui/data-table';
import { PageHeader, Section } from '@/components/ui/page-header';
import { requirePageUser } from '@/lib/auth/guard';
import { roleAllows } from '@/lib/auth/roles';
import { listUserEvents, listUsers } from '@/lib/db/users';
import { getI18n } from '@/lib/i18n/server';
import { formatDateTime } from '@/lib/i18n/translate';
import { getRuntime } from '@/lib/runtime';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('users.title') };
}
export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const user = await requirePageUser('/admin/users');
  const { locale, t } = await getI18n(user);
  if (!roleAllows(user.role, 'admin')) {
    return <NotAllowed role={user.role} needed="admin" what="notAllowed.users" t={t} />;
  }
  const { db, config } = await getRuntime();
  const providerName = config.oidc?.displayName ?? t('users.singleSignOn');
  const [users, events] = await Promise.all([listUsers(db), listUserEvents(db, { limit: 50 })]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t('users.title')} description={t('users.intro')} />
      <AddUserForm />
      <DataTable
        caption={t('users.caption')}
        columns={[
          t('users.columnUser'),
          t('users.columnRole'),
          t('users.columnStatus'),
          t('users.columnAdded'),
          t('users.columnChange'),
        ]}
        minWidthClass="min-w-[56rem]"
      >
        {users.map((row) => (
          <tr key={row.id} className={rowClassName}>
            <td className={`${cellClassName} font-medium break-all`}>
              {row.email}
              {row.oidcIssuer !== null ? (
                <span className="ms-2 align-middle">
                  <Badge tone="info">{t('users.singleSignOn')}</Badge>
                </span>
              ) : null}
              {row.id === user.id ? (
                <span className="block text-xs font-normal text-slate-600 dark:text-slate-400">
                  {t('users.you')}
                </span>
              ) : null}
            </td>
            <td className={cellClassName}>{t(`role.${row.role}`)}</td>
            <td className={cellClassName}>
              <Badge tone={row.disabled ? 'neutral' : 'success'}>
                {row.disabled ? t('users.disabledStatus') : t('users.active')}
              </Badge>
            </td>
            <td className={`${cellClassName} text-xs text-slate-600 dark:text-slate-400`}>
              <span className="whitespace-nowrap tabular-nums">
                {formatDateTime(locale, row.createdAt)} UTC
              </span>
              <span className="block break-all">{t('users.addedBy', { actor: row.createdBy })}</span>
            </td>
            <td className={cellClassName}>
              <UserControls
                isSelf={row.id === user.id}
                user={{
                  id: row.id,
                  email: row.email,
                  role: row.role,
                  disabled: row.disabled,
                  createdAt: row.createdAt.toISOString(),
                  createdBy: row.createdBy,
                  provider: row.oidcIssuer !== null ? providerName : null,
                }}
              />
            </td>
          </tr>
        ))}
      </DataTable>
      <Section id="events" title={t('users.eventsTitle')}>
        <DataTable
          caption={t('users.eventsCaption')}
          columns={[
            t('users.columnWhen'),
            t('users.columnWho'),
            t('users.columnWhat'),
            t('users.columnUser'),
          ]}
          minWidthClass="min-w-[40rem]"
        >
          {events.map((event) => (
            <tr key={event.id} className={rowClassName}>
              <td
                className={`${cellClassName} whitespace-nowrap text-slate-600 tabular-nums dark:text-slate-400`}
              >
                {formatDateTime(locale, event.at)}
              </td>
              <td className={`${cellClassName} break-all`}>{event.actor}</td>
              <td className={cellClassName}>{t(`users.event.${event.action}`)}</td>
              <td className={`${cellClassName} break-all`}>{event.userEmail ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      </Section>
    </div>
  );
}
