'use client';

import { type ReactNode, useActionState } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { buttonClassName } from '@/components/ui/button';
import { signOutAction } from '@/lib/actions/auth/sign-out';
import type { ActionResult } from '@/lib/actions/result';

/**
 * The sign-out button, after `children` (who is signed in). The action redirects to the sign-in page; it
 * comes back only when something unexpected failed (the session then still stands), and says so here with
 * the reference of the server's log line.
 */
export function SignOutForm({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [state, action, pending] = useActionState<ActionResult<never> | null, FormData>(signOutAction, null);
  return (
    <form action={action} className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-2">
      {children}
      <button type="submit" disabled={pending} className={buttonClassName('secondary', 'sm')}>
        {t('layout.signOut')}
      </button>
      {state && !state.ok ? (
        <span role="alert" className="font-medium text-red-700 dark:text-red-300">
          {state.reference
            ? t('roam.reference', { message: state.formError, reference: state.reference })
            : state.formError}
        </span>
      ) : null}
    </form>
  );
}
