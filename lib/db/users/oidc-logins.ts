import 'server-only';

import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import { clock } from '../clock';
import type { Database } from '../database';
import { oidcLogins } from '../schema';

// Sign-ins through the identity provider between the start (the browser sent to the provider) and the
// callback: one row each, taken once.

export interface NewOidcLogin {
  /** SHA-256 (hex) of the state sent to the provider. */
  id: string;
  /** SHA-256 (hex) of the browser's binding cookie. */
  bindingHash: string;
  codeVerifier: string;
  nonce: string;
  returnTo: string;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertOidcLogin(db: Database, login: NewOidcLogin): Promise<void> {
  await db.insert(oidcLogins).values(login);
}

export type TakenOidcLogin =
  | { found: false }
  | { found: true; alreadyUsed: boolean; expired: boolean; login: NewOidcLogin };

/**
 * Marks the sign-in of this state used and returns it; a second callback with the same state (a replay, or a
 * reload of the callback's address) finds it used. One statement, so that two callbacks at once cannot both
 * take it.
 */
export async function takeOidcLogin(db: Database, id: string, now?: Date): Promise<TakenOidcLogin> {
  const columns = {
    id: oidcLogins.id,
    bindingHash: oidcLogins.bindingHash,
    codeVerifier: oidcLogins.codeVerifier,
    nonce: oidcLogins.nonce,
    returnTo: oidcLogins.returnTo,
    createdAt: oidcLogins.createdAt,
    expiresAt: oidcLogins.expiresAt,
    // In the database's clock, like every other expiry.
    expired: sql<boolean>`${oidcLogins.expiresAt} <= ${clock(now)}`,
  };
  const [taken] = await db
    .update(oidcLogins)
    .set({ usedAt: clock(now) })
    .where(and(eq(oidcLogins.id, id), isNull(oidcLogins.usedAt)))
    .returning(columns);
  const row = taken ?? (await db.select(columns).from(oidcLogins).where(eq(oidcLogins.id, id)))[0];
  if (!row) return { found: false };
  const { expired, ...login } = row;
  return { found: true, alreadyUsed: !taken, expired: Boolean(expired), login };
}

/** Sign-ins started before `before` (their time is up, used or not). */
export async function deleteOidcLoginsBefore(db: Database, before: Date): Promise<number> {
  const deleted = await db
    .delete(oidcLogins)
    .where(lt(oidcLogins.expiresAt, before))
    .returning({ id: oidcLogins.id });
  return deleted.length;
}
