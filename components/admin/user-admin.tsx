'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { inputClassName } from '@/components/ui/field';
import {
  addUserAction,
  changeUserRoleAction,
  resetUserPasswordAction,
  setUserDisabledAction,
} from '@/lib/actions/admin/users';
import type { ActionResult } from '@/lib/actions/result';
import { ROLES, type Role } from '@/lib/auth/roles';

export interface UserRow {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  createdBy: string;
  /** The identity provider's name for an account that signs in through it (its role comes from its groups). */
  provider: string | null;
}

type Outcome = { tone: 'success' | 'error'; text: string } | null;

function useAdminAction() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const run = (action: () => Promise<ActionResult<{ message: string }>>, onSuccess?: () => void) =>
    start(async () => {
      const result = await action();
      if (result.ok) {
        setOutcome({ tone: 'success', text: result.data.message });
        onSuccess?.();
        router.refresh();
      } else {
        const fields = Object.values(result.fieldErrors ?? {}).flat();
        setOutcome({ tone: 'error', text: fields.length > 0 ? fields.join(' ') : result.formError });
      }
    });
  return { pending, outcome, run };
}

function OutcomeMessage({ outcome }: { outcome: Outcome }) {
  return (
    <div aria-live="polite">
      {outcome ? (
        <Alert tone={outcome.tone} role={outcome.tone === 'error' ? 'alert' : 'status'}>
          {outcome.text}
        </Alert>
      ) : null}
    </div>
  );
}

export function AddUserForm() {
  const { t } = useI18n();
  const id = useId();
  const { pending, outcome, run } = useAdminAction();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [password, setPassword] = useState('');
  return (
    <form
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-xs sm:p-5 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(event) => {
        event.preventDefault();
        run(
          () => addUserAction({ email, role, password }),
          () => {
            setEmail('');
            setPassword('');
          },
        );
      }}
    >
      <h2 id={`${id}-title`} className="text-base font-semibold">
        {t('users.addTitle')}
      </h2>
      <div className="grid gap-3 sm:grid-cols-3">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800 dark:text-slate-200">
          {t('users.email')}
          <input
            type="email"
            autoComplete="off"
            className={inputClassName}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800 dark:text-slate-200">
          {t('users.role')}
          <select
            className={inputClassName}
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
          >
            {ROLES.map((option) => (
              <option key={option} value={option}>
                {t('users.roleOption', {
                  role: t(`role.${option}`),
                  description: t(`role.${option}.description`),
                })}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800 dark:text-slate-200">
          {t('users.initialPassword')}
          <input
            type="password"
            autoComplete="new-password"
            className={inputClassName}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
      </div>
      <div>
        <Button type="submit" disabled={pending}>
          {t('users.add')}
        </Button>
      </div>
      <OutcomeMessage outcome={outcome} />
    </form>
  );
}

export function UserControls({ user, isSelf }: { user: UserRow; isSelf: boolean }) {
  const { t } = useI18n();
  const { pending, outcome, run } = useAdminAction();
  const [role, setRole] = useState<Role>(user.role);
  const [password, setPassword] = useState('');
  const disableButton = (
    <Button
      variant={user.disabled ? 'secondary' : 'danger'}
      size="sm"
      disabled={pending || isSelf}
      onClick={() => run(() => setUserDisabledAction({ userId: user.id, disabled: !user.disabled }))}
    >
      {user.disabled ? t('users.enable') : t('users.disable')}
    </Button>
  );
  if (user.provider !== null) {
    // The provider decides the role (from the groups) and holds the credentials: only disable or enable here.
    return (
      <div className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-xs text-slate-600 dark:text-slate-400">
            {t('users.managedByProvider', { name: user.provider })}
          </span>
          {disableButton}
        </div>
        <OutcomeMessage outcome={outcome} />
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-700 dark:text-slate-300">
          {t('users.roleOf', { email: user.email })}
          <select
            className={`${inputClassName} py-1`}
            value={role}
            disabled={pending}
            onChange={(event) => setRole(event.target.value as Role)}
          >
            {ROLES.map((option) => (
              <option key={option} value={option}>
                {t(`role.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <Button
          variant="secondary"
          size="sm"
          disabled={pending || role === user.role}
          onClick={() => run(() => changeUserRoleAction({ userId: user.id, role }))}
        >
          {t('users.changeRole')}
        </Button>
        {disableButton}
      </div>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          run(
            () => resetUserPasswordAction({ userId: user.id, password }),
            () => setPassword(''),
          );
        }}
      >
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-700 dark:text-slate-300">
          {t('users.newPasswordFor', { email: user.email })}
          <input
            type="password"
            autoComplete="new-password"
            className={`${inputClassName} py-1`}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <Button type="submit" variant="secondary" size="sm" disabled={pending || password === ''}>
          {t('users.resetPassword')}
        </Button>
      </form>
      <OutcomeMessage outcome={outcome} />
    </div>
  );
}
