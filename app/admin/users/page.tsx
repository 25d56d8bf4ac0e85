import type { Metadata } from 'next';
import { AddUserForm, UserControls } from '@/components/admin/user-admin';
import { NotAllowed } from '@/components/auth/not-allowed';
import { DataTable, rowClassName } from '@/components/ui/data-table';
import { requirePageUser } from '@/lib/auth/guard';
import { roleAllows } from '@/lib/auth/roles';
import { listUserEvents, listUsers } from '@/lib/db/users-repository';
import { getRuntime } from '@/lib/runtime';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

function formatTime(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}

export default async function UsersPage() {
  const user = await requirePageUser('/admin/users');
  if (!roleAllows(user.role, 'admin')) {
    return <NotAllowed role={user.role} needed="admin" what="Managing users" />;
  }
  const { db } = await getRuntime();
  const [users, events] = await Promise.all([listUsers(db), listUserEvents(db, { limit: 50 })]);
  return (
    <div className="flex flex-col gap-8">
      <div>
        <h1 className="text-2xl font-semibold">Users</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700 dark:text-slate-300">
          Viewers see the history; operators also roam, retry and verify; admins also manage users. Disabling
          a user, changing their role or resetting their password signs them out everywhere.
        </p>
      </div>
      <AddUserForm />
      <DataTable caption="Users" columns={['User', 'Role', 'Status', 'Added', 'Change']} minWidth="56rem">
        {users.map((row) => (
          <tr key={row.id} className={rowClassName}>
            <td className="px-3 py-2 break-all">
              {row.email}
              {row.id === user.id ? (
                <span className="block text-xs text-slate-600 dark:text-slate-400">you</span>
              ) : null}
            </td>
            <td className="px-3 py-2">{row.role}</td>
            <td className="px-3 py-2">{row.disabled ? 'Disabled' : 'Active'}</td>
            <td className="px-3 py-2 text-xs">
              {formatTime(row.createdAt)} UTC
              <span className="block break-all">by {row.createdBy}</span>
            </td>
            <td className="px-3 py-2">
              <UserControls
                isSelf={row.id === user.id}
                user={{
                  id: row.id,
                  email: row.email,
                  role: row.role,
                  disabled: row.disabled,
                  createdAt: row.createdAt.toISOString(),
                  createdBy: row.createdBy,
                }}
              />
            </td>
          </tr>
        ))}
      </DataTable>
      <section aria-labelledby="events-title" className="flex flex-col gap-3">
        <h2 id="events-title" className="text-lg font-semibold">
          Recent changes and sign-ins
        </h2>
        <DataTable
          caption="User events, newest first"
          columns={['When (UTC)', 'Who', 'What', 'User']}
          minWidth="40rem"
        >
          {events.map((event) => (
            <tr key={event.id} className={rowClassName}>
              <td className="px-3 py-2 whitespace-nowrap">{formatTime(event.at)}</td>
              <td className="px-3 py-2 break-all">{event.actor}</td>
              <td className="px-3 py-2">{event.action.replace('_', ' ')}</td>
              <td className="px-3 py-2 break-all">{event.userEmail ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      </section>
    </div>
  );
}
