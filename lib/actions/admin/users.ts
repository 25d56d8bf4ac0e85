'use server';

import { revalidatePath } from 'next/cache';
import { createAuthSchemas } from '@/lib/auth/schema';
import {
  type Actor,
  addUser,
  changeRole,
  isUserAdminError,
  resetPassword,
  setDisabled,
} from '@/lib/auth/users';
import type { Database } from '@/lib/db/database';
import { getRuntime } from '@/lib/runtime';
import { type ActionContext, ActionFailure, runAction } from '../action';
import type { ActionResult } from '../result';

/** User management, for admins only. Every change is recorded with the admin who made it. */

/** Runs one change as the signed-in admin; the service's refusals become messages in the reader's language. */
async function change(context: ActionContext, work: (db: Database, actor: Actor) => Promise<string>) {
  const { db } = await getRuntime();
  try {
    const message = await work(db, { id: context.user.id, email: context.user.email });
    revalidatePath('/admin/users');
    return { message };
  } catch (error) {
    if (isUserAdminError(error)) throw new ActionFailure(error.detail ?? context.t(error.key, error.values));
    throw error;
  }
}

export async function addUserAction(input: unknown): Promise<ActionResult<{ message: string }>> {
  return runAction(
    'addUser',
    'admin',
    (t) => createAuthSchemas(t).addUserSchema,
    input,
    (values, context) =>
      change(context, async (db, actor) => {
        const user = await addUser(db, { ...values, actor });
        return context.t('users.added', { email: user.email, role: context.t(`role.${user.role}`) });
      }),
  );
}

export async function changeUserRoleAction(input: unknown): Promise<ActionResult<{ message: string }>> {
  return runAction(
    'changeUserRole',
    'admin',
    (t) => createAuthSchemas(t).changeRoleSchema,
    input,
    (values, context) =>
      change(context, async (db, actor) => {
        const user = await changeRole(db, { ...values, actor });
        return context.t('users.roleChanged', { email: user.email, role: context.t(`role.${user.role}`) });
      }),
  );
}

export async function setUserDisabledAction(input: unknown): Promise<ActionResult<{ message: string }>> {
  return runAction(
    'setUserDisabled',
    'admin',
    (t) => createAuthSchemas(t).setDisabledSchema,
    input,
    (values, context) =>
      change(context, async (db, actor) => {
        const user = await setDisabled(db, { ...values, actor });
        return context.t(user.disabled ? 'users.disabledDone' : 'users.enabledDone', { email: user.email });
      }),
  );
}

export async function resetUserPasswordAction(input: unknown): Promise<ActionResult<{ message: string }>> {
  return runAction(
    'resetUserPassword',
    'admin',
    (t) => createAuthSchemas(t).resetPasswordSchema,
    input,
    (values, context) =>
      change(context, async (db, actor) => {
        const user = await resetPassword(db, { ...values, actor });
        return context.t('users.passwordReset', { email: user.email });
      }),
  );
}
