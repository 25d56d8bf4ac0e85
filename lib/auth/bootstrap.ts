import 'server-only';

import type { Database } from '@/lib/db/database';
import { countUsers, createFirstUser, getUserCredentialsByEmail } from '@/lib/db/users';
import { hashPassword, verifyPassword } from './passwords';
import { normaliseEmail, passwordProblem } from './schema';

/**
 * The first account of an installation. Run at every start: it does nothing once any user exists.
 *
 * The demo admin's password is public (README, demo script): the account is only ever created in demo mode,
 * and a start outside demo mode refuses to go on while it is still enabled with that password.
 */

export const DEMO_ADMIN = { email: 'demo-admin@sag-roam.local', password: 'sag-roam-demo-password' } as const;

export const INITIAL_ADMIN_ACTOR = 'ADMIN_EMAIL at first start';
export const DEMO_ADMIN_ACTOR = 'demo mode at first start';

export interface EnsureInitialUsersOptions {
  /** From ADMIN_EMAIL and ADMIN_PASSWORD (`getConfig().initialAdmin`). */
  initialAdmin?: { email: string; password: string };
  /** The emulator serves the app: no real Alibaba Cloud account can be reached. */
  demo: boolean;
}

export type EnsureInitialUsersResult =
  | { created: 'initial-admin' | 'demo-admin'; email: string }
  /** `no-users`: nobody can sign in until `npm run user:create` or ADMIN_EMAIL/ADMIN_PASSWORD creates an admin. */
  | { created: null; reason: 'users-exist' | 'no-users' };

/** The start-up must stop; the message says what to do. */
export class BootstrapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootstrapError';
  }
}

export async function ensureInitialUsers(
  db: Database,
  options: EnsureInitialUsersOptions,
): Promise<EnsureInitialUsersResult> {
  if (!options.demo) await refuseEnabledDemoAdmin(db);

  const seed = options.initialAdmin
    ? { ...options.initialAdmin, createdBy: INITIAL_ADMIN_ACTOR, created: 'initial-admin' as const }
    : options.demo
      ? { ...DEMO_ADMIN, createdBy: DEMO_ADMIN_ACTOR, created: 'demo-admin' as const }
      : undefined;
  if ((await countUsers(db)) > 0) return { created: null, reason: 'users-exist' };
  if (!seed) return { created: null, reason: 'no-users' };

  const problem = passwordProblem(seed.password);
  if (problem) throw new BootstrapError(`ADMIN_PASSWORD is ${problem}`);
  const email = normaliseEmail(seed.email);
  // Another process may have created the first user meanwhile: then this one creates nothing.
  const user = await createFirstUser(db, {
    email,
    passwordHash: await hashPassword(seed.password),
    role: 'admin',
    createdBy: seed.createdBy,
  });
  return user ? { created: seed.created, email } : { created: null, reason: 'users-exist' };
}

async function refuseEnabledDemoAdmin(db: Database): Promise<void> {
  const demoAdmin = await getUserCredentialsByEmail(db, DEMO_ADMIN.email);
  if (
    demoAdmin &&
    !demoAdmin.user.disabled &&
    (await verifyPassword(DEMO_ADMIN.password, demoAdmin.passwordHash))
  ) {
    throw new BootstrapError(
      `The demo account ${DEMO_ADMIN.email} is enabled with its public demo password, and sag-roam is not ` +
        'running in demo mode. Give it a new password (npm run user:create -- --email ' +
        `${DEMO_ADMIN.email} --reset-password) or disable it from a demo start, then start again.`,
    );
  }
}
