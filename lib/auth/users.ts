import 'server-only';

import type { z } from 'zod/mini';
import { getConfig } from '@/lib/config';
import type { Database } from '@/lib/db/database';
import { createUser, getUserByEmail, type UpdateUserInput, type User, updateUser } from '@/lib/db/users';
import { hasErrorKind, markErrorKind } from '@/lib/errors/kind';
import { en } from '@/lib/i18n/messages/en';
import { createTranslator, type TranslationKey, type Values } from '@/lib/i18n/translate';
import { hashPassword } from './passwords';
import {
  type AddUserInput,
  type ChangeRoleInput,
  normaliseEmail,
  type ResetPasswordInput,
  type SetDisabledInput,
} from './schema';
import { addUserSchema, changeRoleSchema, resetPasswordSchema, setDisabledSchema } from './schema-en';

const english = createTranslator('en', en);

/**
 * User management for admins, and for the console script. The admin actions check the caller's role; the
 * rules that hold whoever calls are here: valid input, unique e-mail, an admin keeps their own admin role
 * and account, and there is always at least one enabled admin (enforced inside the database transaction).
 * Disabling a user, changing their role or resetting their password signs them out everywhere.
 */

/**
 * An expected refusal, written for an admin: `message` in English (console, logs), `key` and `values` to
 * show it in the reader's language. A refused input keeps the schema's (English) message as `detail`.
 */
export class UserAdminError extends Error {
  constructor(
    readonly key: TranslationKey,
    readonly values?: Values,
    readonly detail?: string,
  ) {
    super(detail ?? english(key, values));
    this.name = 'UserAdminError';
    markErrorKind(this, 'UserAdminError');
  }
}

/** Also true for one made by another server bundle's copy of this module (see lib/errors/kind.ts). */
export function isUserAdminError(error: unknown): error is UserAdminError {
  return hasErrorKind(error, 'UserAdminError');
}

/** The signed-in admin making a change. */
export interface Actor {
  id: string;
  email: string;
}

function parse<Schema extends z.ZodMiniType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new UserAdminError('action.invalid', undefined, parsed.error.issues[0]?.message);
  }
  return parsed.data;
}

async function createAccount(db: Database, createdBy: string, input: AddUserInput): Promise<User> {
  const { email, role, password } = parse(addUserSchema, input);
  const user = await createUser(db, { email, role, passwordHash: await hashPassword(password), createdBy });
  if (!user) throw new UserAdminError('auth.duplicate', { email });
  return user;
}

/** The identity provider's name for messages; a generic one once single sign-on is no longer configured. */
export function providerName(): string {
  return getConfig().oidc?.displayName ?? english('users.singleSignOn');
}

async function applyChange(db: Database, change: UpdateUserInput): Promise<User> {
  const result = await updateUser(db, change);
  if (result.ok) return result.user;
  if (result.reason === 'not-found') throw new UserAdminError('auth.noSuchUser');
  if (result.reason === 'managed-by-provider') {
    throw new UserAdminError('auth.managedByProvider', { name: providerName() });
  }
  throw new UserAdminError('auth.lastAdmin');
}

export async function addUser(db: Database, input: AddUserInput & { actor: Actor }): Promise<User> {
  return createAccount(db, input.actor.email, input);
}

export async function changeRole(db: Database, input: ChangeRoleInput & { actor: Actor }): Promise<User> {
  const { actor } = input;
  const { userId, role } = parse(changeRoleSchema, input);
  if (userId === actor.id && role !== 'admin') {
    throw new UserAdminError('auth.ownRole');
  }
  return applyChange(db, { userId, role, actor: actor.email, endSessions: true });
}

export async function setDisabled(db: Database, input: SetDisabledInput & { actor: Actor }): Promise<User> {
  const { actor } = input;
  const { userId, disabled } = parse(setDisabledSchema, input);
  if (userId === actor.id && disabled) {
    throw new UserAdminError('auth.ownAccount');
  }
  return applyChange(db, { userId, disabled, actor: actor.email, endSessions: disabled });
}

/** Also signs the user out everywhere, including the actor when they reset their own password. */
export async function resetPassword(
  db: Database,
  input: ResetPasswordInput & { actor: Actor },
): Promise<User> {
  return applyPasswordReset(db, input.actor.email, input);
}

async function applyPasswordReset(db: Database, actor: string, input: ResetPasswordInput): Promise<User> {
  const { userId, password } = parse(resetPasswordSchema, input);
  return applyChange(db, { userId, passwordHash: await hashPassword(password), actor, endSessions: true });
}

// ---------------------------------------------------------------------------------------------------------
// For scripts/user-create.ts: an operator at the server's console, recorded by a label.

export async function addUserFromConsole(
  db: Database,
  actorLabel: string,
  input: AddUserInput,
): Promise<User> {
  return createAccount(db, actorLabel, input);
}

export async function resetPasswordFromConsole(
  db: Database,
  actorLabel: string,
  input: { email: string; password: string },
): Promise<User> {
  const email = normaliseEmail(input.email);
  const user = await getUserByEmail(db, email);
  if (!user) throw new UserAdminError('auth.noAccountFor', { email });
  return applyPasswordReset(db, actorLabel, { userId: user.id, password: input.password });
}
