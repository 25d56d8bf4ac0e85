'use server';

import { revalidatePath } from 'next/cache';
import { addUserSchema, changeRoleSchema, resetPasswordSchema, setDisabledSchema } from '@/lib/auth/schema';
import {
  type Actor,
  addUser,
  changeRole,
  resetPassword,
  setDisabled,
  UserAdminError,
} from '@/lib/auth/users';
import type { Database } from '@/lib/db/database';
import { getRuntime } from '@/lib/runtime';
import { type ActionContext, ActionFailure, runAction } from '../action';
import type { ActionResult } from '../result';

/** User management, for admins only. Every change is recorded with the admin who made it. */

/** Runs one change as the signed-in admin; the service's refusals become messages for the form. */
async function change(context: ActionContext, work: (db: Database, actor: Actor) => Promise<string>) {
  const { db } = await getRuntime();
  try {
    const message = await work(db, { id: context.user.id, email: context.user.email });
    revalidatePath('/admin/users');
    return { message };
  } catch (error) {
    if (error instanceof UserAdminError) throw new ActionFailure(error.message);
    throw error;
  }
}

export async function addUserAction(input: unknown): Promise<ActionResult<{ message: string }>> {
  return runAction('addUser', 'admin', addUserSchema, input, (values, context) =>
    change(context, async (db, actor) => {
      const user = await addUser(db, { ...values, actor });
      return `${user.email} can now sign in as ${user.role}.`;
    }),
  );
}

export async function changeUserRoleAction(input: unknown): Promise<ActionResult<{ message: string }>> {
  return runAction('changeUserRole', 'admin', changeRoleSchema, input, (values, context) =>
    change(context, async (db, actor) => {
      const user = await changeRole(db, { ...values, actor });
      return `${user.email} is now ${user.role}.`;
    }),
  );
}

export async function setUserDisabledAction(input: unknown): Promise<ActionResult<{ message: string }>> {
  return runAction('setUserDisabled', 'admin', setDisabledSchema, input, (values, context) =>
    change(context, async (db, actor) => {
      const user = await setDisabled(db, { ...values, actor });
      return user.disabled ? `${user.email} is disabled and signed out.` : `${user.email} is enabled.`;
    }),
  );
}

export async function resetUserPasswordAction(input: unknown): Promise<ActionResult<{ message: string }>> {
  return runAction('resetUserPassword', 'admin', resetPasswordSchema, input, (values, context) =>
    change(context, async (db, actor) => {
      const user = await resetPassword(db, { ...values, actor });
      return `The password of ${user.email} is reset and their sessions are ended.`;
    }),
  );
}
