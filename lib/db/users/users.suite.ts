// The users store's behaviour, run by one test file per driver (embedded PostgreSQL, PostgreSQL server).
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/database';
import { sessions, signInFailures, userEvents, users } from '@/lib/db/schema';
import {
  type CreateUserInput,
  clearSignInFailures,
  countActiveAdmins,
  countRecentFailures,
  countUsers,
  createFirstUser,
  createUser,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfUser,
  deleteSignInFailuresBefore,
  findSessionWithUser,
  getUserByEmail,
  getUserById,
  getUserCredentialsByEmail,
  insertSession,
  listUserEvents,
  listUsers,
  recentFailureTimes,
  recordSignInFailure,
  recordUserEvent,
  SINGLE_SIGN_ON_ACTOR,
  signInProviderUser,
  touchSession,
  type User,
  updateUser,
} from '@/lib/db/users';
import { type SuiteDatabase, useSuiteDatabase } from '@/lib/testing/suite-database';

const t0 = new Date('2030-01-01T08:00:00.000Z');
const later = (ms: number, from = t0) => new Date(from.getTime() + ms);
const minutes = (count: number) => count * 60_000;
const sessionId = (digit: string) => digit.repeat(64);

export function describeUsersStore(driver: string, open: () => Promise<SuiteDatabase>) {
  describe(`users store on ${driver}`, () => {
    let databases: SuiteDatabase;
    let db: Database;
    useSuiteDatabase(open, [sessions, signInFailures, userEvents, users], (opened) => {
      databases = opened;
      db = opened.db;
    });

    async function create(email: string, overrides: Partial<CreateUserInput> = {}): Promise<User> {
      const user = await createUser(db, {
        email,
        passwordHash: `scrypt$1024$8$1$c2FsdA==$${email}`,
        role: 'admin',
        createdBy: 'first-admin@example.com',
        ...overrides,
      });
      if (!user) throw new Error(`expected to create ${email}`);
      return user;
    }

    async function eventsOf(userId: string) {
      return (await listUserEvents(db, { userId, limit: 100 })).reverse();
    }

    describe('accounts', () => {
      it('stores the e-mail in lower case, records who created the account, and never returns the hash', async () => {
        const user = await create('  Alice@Example.COM ', { role: 'operator', now: t0 });

        expect(user).toMatchObject({
          email: 'alice@example.com',
          role: 'operator',
          disabled: false,
          createdBy: 'first-admin@example.com',
          createdAt: t0,
          passwordChangedAt: t0,
        });
        expect(user).not.toHaveProperty('passwordHash');
        expect(await getUserById(db, user.id)).toEqual(user);
        expect(await getUserByEmail(db, 'ALICE@example.com')).toEqual(user);
        expect(await getUserCredentialsByEmail(db, 'alice@EXAMPLE.com')).toEqual({
          user,
          passwordHash: 'scrypt$1024$8$1$c2FsdA==$  Alice@Example.COM ',
        });
        expect(await eventsOf(user.id)).toMatchObject([
          { action: 'created', actor: 'first-admin@example.com', details: { role: 'operator' }, at: t0 },
        ]);
      });

      it('refuses a second account for the same e-mail in any case', async () => {
        await create('bob@example.com');

        expect(
          await createUser(db, {
            email: 'BOB@example.com',
            passwordHash: 'x',
            role: 'viewer',
            createdBy: 'someone',
          }),
        ).toBeNull();
        expect(await countUsers(db)).toBe(1);
        expect(await db.select().from(userEvents)).toHaveLength(1);
      });

      it('finds nothing for unknown or malformed ids and addresses', async () => {
        expect(await getUserById(db, 'not-a-uuid')).toBeNull();
        expect(await getUserById(db, '00000000-0000-4000-8000-000000000000')).toBeNull();
        expect(await getUserByEmail(db, 'nobody@example.com')).toBeNull();
        expect(await getUserCredentialsByEmail(db, 'nobody@example.com')).toBeNull();
      });

      it('lists users by e-mail and counts enabled admins', async () => {
        await create('carol@example.com');
        await create('alice@example.com', { role: 'viewer' });
        const bob = await create('bob@example.com');
        await updateUser(db, { userId: bob.id, actor: 'carol@example.com', disabled: true });

        expect((await listUsers(db)).map((user) => user.email)).toEqual([
          'alice@example.com',
          'bob@example.com',
          'carol@example.com',
        ]);
        expect(await countActiveAdmins(db)).toBe(1);
      });

      it('creates the first user only while there is none', async () => {
        const input = { passwordHash: 'x', role: 'admin', createdBy: 'start-up' } as const;

        const first = await createFirstUser(db, { ...input, email: 'first@example.com' });
        const second = await createFirstUser(db, { ...input, email: 'second@example.com' });

        expect(first?.email).toBe('first@example.com');
        expect(second).toBeNull();
        expect(await countUsers(db)).toBe(1);
      });

      it('creates one first user when two connections try at once', async () => {
        const input = { passwordHash: 'x', role: 'admin', createdBy: 'start-up' } as const;

        const created = await Promise.all([
          createFirstUser(db, { ...input, email: 'one@example.com' }),
          createFirstUser(databases.otherDb, { ...input, email: 'two@example.com' }),
          createFirstUser(db, { ...input, email: 'three@example.com' }),
          createFirstUser(databases.otherDb, { ...input, email: 'four@example.com' }),
        ]);

        expect(created.filter(Boolean)).toHaveLength(1);
        expect(await countUsers(db)).toBe(1);
      });
    });

    describe('updateUser', () => {
      it('records each change as an event by the actor, in the same transaction', async () => {
        await create('admin@example.com');
        const user = await create('dave@example.com', { role: 'viewer', now: t0 });

        const promoted = await updateUser(db, {
          userId: user.id,
          actor: 'admin@example.com',
          role: 'operator',
          now: later(minutes(1)),
        });
        const disabled = await updateUser(db, {
          userId: user.id,
          actor: 'admin@example.com',
          disabled: true,
          passwordHash: 'scrypt$new',
          now: later(minutes(2)),
        });
        const enabled = await updateUser(db, { userId: user.id, actor: 'other-admin', disabled: false });

        expect(promoted).toMatchObject({ ok: true, changes: ['role_changed'], user: { role: 'operator' } });
        expect(disabled).toMatchObject({
          ok: true,
          changes: ['disabled', 'password_reset'],
          user: { disabled: true, passwordChangedAt: later(minutes(2)), updatedAt: later(minutes(2)) },
        });
        expect(enabled).toMatchObject({ ok: true, changes: ['enabled'], user: { disabled: false } });
        expect((await getUserCredentialsByEmail(db, 'dave@example.com'))?.passwordHash).toBe('scrypt$new');
        expect(
          (await eventsOf(user.id)).map(({ action, actor, details }) => ({ action, actor, details })),
        ).toEqual([
          { action: 'created', actor: 'first-admin@example.com', details: { role: 'viewer' } },
          { action: 'role_changed', actor: 'admin@example.com', details: { from: 'viewer', to: 'operator' } },
          { action: 'disabled', actor: 'admin@example.com', details: {} },
          { action: 'password_reset', actor: 'admin@example.com', details: {} },
          { action: 'enabled', actor: 'other-admin', details: {} },
        ]);
      });

      it('records nothing when nothing changes', async () => {
        const user = await create('erin@example.com', { role: 'viewer' });

        const result = await updateUser(db, { userId: user.id, actor: 'x', role: 'viewer', disabled: false });

        expect(result).toMatchObject({ ok: true, changes: [], sessionsEnded: 0 });
        expect(await eventsOf(user.id)).toHaveLength(1);
      });

      it('ends the sessions of the user when asked, and says how many in the events', async () => {
        await create('admin@example.com');
        const user = await create('frank@example.com', { role: 'operator' });
        await insertSession(db, {
          id: sessionId('a'),
          userId: user.id,
          createdAt: t0,
          expiresAt: later(minutes(60)),
        });
        await insertSession(db, {
          id: sessionId('b'),
          userId: user.id,
          createdAt: t0,
          expiresAt: later(minutes(60)),
        });

        const result = await updateUser(db, {
          userId: user.id,
          actor: 'admin',
          role: 'viewer',
          endSessions: true,
        });

        expect(result).toMatchObject({ ok: true, sessionsEnded: 2 });
        expect(await findSessionWithUser(db, sessionId('a'))).toBeNull();
        expect((await eventsOf(user.id)).at(-1)?.details).toEqual({
          from: 'operator',
          to: 'viewer',
          sessionsEnded: 2,
        });
      });

      it('never leaves no enabled admin', async () => {
        const only = await create('only-admin@example.com');
        await create('viewer@example.com', { role: 'viewer' });

        expect(await updateUser(db, { userId: only.id, actor: 'x', role: 'operator' })).toEqual({
          ok: false,
          reason: 'last-active-admin',
        });
        expect(await updateUser(db, { userId: only.id, actor: 'x', disabled: true })).toEqual({
          ok: false,
          reason: 'last-active-admin',
        });
        expect(await getUserById(db, only.id)).toMatchObject({ role: 'admin', disabled: false });
        expect(await eventsOf(only.id)).toHaveLength(1);

        const second = await create('second-admin@example.com');
        expect(await updateUser(db, { userId: only.id, actor: 'x', disabled: true })).toMatchObject({
          ok: true,
        });
        expect(await updateUser(db, { userId: second.id, actor: 'x', role: 'viewer' })).toEqual({
          ok: false,
          reason: 'last-active-admin',
        });
      });

      it('lets only one of two admins demoting each other at once succeed', async () => {
        const alice = await create('alice@example.com');
        const bob = await create('bob@example.com');

        const results = await Promise.all([
          updateUser(db, { userId: bob.id, actor: 'alice@example.com', role: 'viewer' }),
          updateUser(databases.otherDb, { userId: alice.id, actor: 'bob@example.com', disabled: true }),
        ]);

        expect(results.map((result) => result.ok).sort()).toEqual([false, true]);
        expect(await countActiveAdmins(db)).toBe(1);
      });

      it('answers not-found for an unknown user', async () => {
        expect(await updateUser(db, { userId: 'nope', actor: 'x', role: 'admin' })).toEqual({
          ok: false,
          reason: 'not-found',
        });
        expect(
          await updateUser(db, { userId: '00000000-0000-4000-8000-000000000000', actor: 'x', role: 'admin' }),
        ).toEqual({ ok: false, reason: 'not-found' });
      });
    });

    describe('sessions', () => {
      it('stores a session with its sign-in event, finds it with its user, and deletes it with its sign-out event', async () => {
        const user = await create('gina@example.com', { role: 'operator' });

        await insertSession(
          db,
          {
            id: sessionId('c'),
            userId: user.id,
            createdAt: t0,
            expiresAt: later(minutes(720)),
            userAgent: 'Firefox',
            clientAddress: '192.0.2.1',
          },
          { audit: { actor: user.email, action: 'signed_in', details: { clientAddress: '192.0.2.1' } } },
        );

        expect(await findSessionWithUser(db, sessionId('c'))).toEqual({
          session: {
            id: sessionId('c'),
            userId: user.id,
            createdAt: t0,
            lastSeenAt: t0,
            expiresAt: later(minutes(720)),
            userAgent: 'Firefox',
            clientAddress: '192.0.2.1',
          },
          user,
        });
        expect(
          await deleteSession(db, sessionId('c'), { audit: { actor: user.email, action: 'signed_out' } }),
        ).toBe(true);
        expect(
          await deleteSession(db, sessionId('c'), { audit: { actor: user.email, action: 'signed_out' } }),
        ).toBe(false);
        expect((await eventsOf(user.id)).map((event) => [event.action, event.actor])).toEqual([
          ['created', 'first-admin@example.com'],
          ['signed_in', 'gina@example.com'],
          ['signed_out', 'gina@example.com'],
        ]);
      });

      it('refuses an id that is not a SHA-256 in hex: a raw token can never be stored', async () => {
        const user = await create('hank@example.com');

        await expect(
          insertSession(db, {
            id: 'raw-token',
            userId: user.id,
            createdAt: t0,
            expiresAt: later(minutes(1)),
          }),
        ).rejects.toThrow();
      });

      it('moves last_seen_at forward only', async () => {
        const user = await create('ivy@example.com');
        await insertSession(db, {
          id: sessionId('d'),
          userId: user.id,
          createdAt: t0,
          expiresAt: later(minutes(720)),
        });

        expect(await touchSession(db, sessionId('d'), later(minutes(5)))).toBe(true);
        expect(await touchSession(db, sessionId('d'), later(minutes(2)))).toBe(false);
        expect((await findSessionWithUser(db, sessionId('d')))?.session.lastSeenAt).toEqual(
          later(minutes(5)),
        );
      });

      it('deletes the sessions of one user, and the expired or idle ones of everyone', async () => {
        const jane = await create('jane@example.com');
        const kim = await create('kim@example.com');
        await insertSession(db, {
          id: sessionId('1'),
          userId: jane.id,
          createdAt: t0,
          expiresAt: later(minutes(720)),
        });
        await insertSession(db, {
          id: sessionId('2'),
          userId: jane.id,
          createdAt: t0,
          expiresAt: later(minutes(720)),
        });
        // Absolute end passed / idle for 31 minutes / active.
        await insertSession(db, {
          id: sessionId('3'),
          userId: kim.id,
          createdAt: t0,
          expiresAt: later(minutes(10)),
        });
        await insertSession(db, {
          id: sessionId('4'),
          userId: kim.id,
          createdAt: t0,
          expiresAt: later(minutes(720)),
        });
        await insertSession(db, {
          id: sessionId('5'),
          userId: kim.id,
          createdAt: t0,
          expiresAt: later(minutes(720)),
        });
        await touchSession(db, sessionId('5'), later(minutes(20)));

        expect(await deleteSessionsOfUser(db, jane.id)).toBe(2);
        expect(await deleteExpiredSessions(db, { idleMs: minutes(30), now: later(minutes(31)) })).toBe(2);
        expect(await db.select({ id: sessions.id }).from(sessions)).toEqual([{ id: sessionId('5') }]);
      });
    });

    describe('sign-in failures', () => {
      it('counts failures per key after an instant, lists the newest, and clears them', async () => {
        await recordSignInFailure(db, ['account:a@example.com', 'address:192.0.2.1'], later(minutes(1)));
        await recordSignInFailure(db, ['account:a@example.com', 'address:192.0.2.1'], later(minutes(2)));
        await recordSignInFailure(db, ['account:b@example.com', 'address:192.0.2.1'], later(minutes(3)));

        expect(await countRecentFailures(db, 'account:a@example.com', t0)).toBe(2);
        expect(await countRecentFailures(db, 'account:a@example.com', later(minutes(1)))).toBe(1);
        expect(await countRecentFailures(db, 'address:192.0.2.1', t0)).toBe(3);
        expect(await recentFailureTimes(db, 'address:192.0.2.1', t0, 2)).toEqual([
          later(minutes(3)),
          later(minutes(2)),
        ]);

        expect(await clearSignInFailures(db, 'account:a@example.com')).toBe(2);
        expect(await countRecentFailures(db, 'account:a@example.com', t0)).toBe(0);
        expect(await countRecentFailures(db, 'address:192.0.2.1', t0)).toBe(3);
        expect(await deleteSignInFailuresBefore(db, later(minutes(2)))).toBe(2);
        expect(
          (await db.select({ key: signInFailures.key }).from(signInFailures)).map((row) => row.key).sort(),
        ).toEqual(['account:b@example.com', 'address:192.0.2.1']);
      });
    });

    describe('accounts of the identity provider', () => {
      const issuer = 'https://login.example.com/realms/corp';
      const provider = (subject: string, email: string, role: User['role'] = 'operator') =>
        signInProviderUser(db, { issuer, subject, email, role, now: t0 });

      it('creates the account at the first sign-in, keyed by issuer and subject, with no password', async () => {
        const first = await provider('sub-1', 'Olivia@Example.com');
        expect(first).toMatchObject({ ok: true, created: true, changes: ['created'] });
        if (!first.ok) throw new Error('expected a sign-in');
        expect(first.user).toMatchObject({
          email: 'olivia@example.com',
          role: 'operator',
          oidcIssuer: issuer,
          oidcSubject: 'sub-1',
          createdBy: SINGLE_SIGN_ON_ACTOR,
        });
        const [row] = await db.select().from(users).where(eq(users.id, first.user.id));
        expect(row?.passwordHash).toBeNull();
        // It has no password to sign in with, and the e-mail is not its identity.
        expect(await getUserCredentialsByEmail(db, 'olivia@example.com')).toBeNull();
        expect(await getUserByEmail(db, 'olivia@example.com')).toBeNull();
        expect(await provider('sub-1', 'olivia@example.com')).toMatchObject({
          ok: true,
          created: false,
          changes: [],
        });
        expect(await countUsers(db)).toBe(1);
      });

      it('takes the role and e-mail the provider gives at each sign-in, audited as single sign-on', async () => {
        await provider('sub-2', 'pat@example.com', 'viewer');
        const later = await provider('sub-2', 'pat.new@example.com', 'admin');
        expect(later).toMatchObject({ ok: true, changes: ['role_changed', 'email_changed'] });
        if (!later.ok) throw new Error('expected a sign-in');
        expect(later.user).toMatchObject({ role: 'admin', email: 'pat.new@example.com' });
        expect(
          (await eventsOf(later.user.id)).map((event) => [event.action, event.actor, event.details]),
        ).toEqual([
          ['created', SINGLE_SIGN_ON_ACTOR, { role: 'viewer' }],
          ['role_changed', SINGLE_SIGN_ON_ACTOR, { from: 'viewer', to: 'admin' }],
          ['email_changed', SINGLE_SIGN_ON_ACTOR, { from: 'pat@example.com', to: 'pat.new@example.com' }],
        ]);
      });

      it('lives beside a local account of the same e-mail: two identities, two accounts', async () => {
        const local = await create('sam@example.com', { role: 'admin' });
        const sso = await provider('sub-3', 'sam@example.com', 'viewer');
        if (!sso.ok) throw new Error('expected a sign-in');
        expect(sso.user.id).not.toBe(local.id);
        expect((await getUserCredentialsByEmail(db, 'sam@example.com'))?.user.id).toBe(local.id);
        // Another subject of the same issuer is another person, whatever e-mail it states.
        const other = await provider('sub-4', 'sam@example.com', 'viewer');
        if (!other.ok) throw new Error('expected a sign-in');
        expect(other.user.id).not.toBe(sso.user.id);
        expect(await countUsers(db)).toBe(3);
      });

      it('keeps a disabled account disabled, and lets an admin only disable or enable it', async () => {
        const first = await provider('sub-5', 'dan@example.com');
        if (!first.ok) throw new Error('expected a sign-in');
        const userId = first.user.id;
        expect(await updateUser(db, { userId, actor: 'admin@example.com', role: 'admin' })).toEqual({
          ok: false,
          reason: 'managed-by-provider',
        });
        expect(await updateUser(db, { userId, actor: 'admin@example.com', passwordHash: 'x' })).toEqual({
          ok: false,
          reason: 'managed-by-provider',
        });
        expect(
          await updateUser(db, { userId, actor: 'admin@example.com', disabled: true, endSessions: true }),
        ).toMatchObject({ ok: true, changes: ['disabled'] });
        expect(await provider('sub-5', 'dan@example.com', 'admin')).toEqual({
          ok: false,
          reason: 'disabled',
        });
        expect((await getUserById(db, userId))?.role).toBe('operator');
      });

      it('refuses a row that is both kinds of account, or neither', async () => {
        const base = { email: 'x@example.com', role: 'viewer' as const, createdBy: 'test' };
        await expect(
          db.insert(users).values({ ...base, passwordHash: 'h', oidcIssuer: issuer, oidcSubject: 's' }),
        ).rejects.toThrow();
        await expect(db.insert(users).values({ ...base, passwordHash: null })).rejects.toThrow();
        await expect(
          db.insert(users).values({ ...base, passwordHash: null, oidcIssuer: issuer, oidcSubject: null }),
        ).rejects.toThrow();
      });
    });

    describe('listUserEvents', () => {
      it('lists the newest events first, for one user or all, with the e-mail of the user concerned', async () => {
        const lee = await create('lee@example.com');
        const max = await create('max@example.com');
        await recordUserEvent(db, { userId: lee.id, actor: 'lee@example.com', action: 'signed_in' });
        await recordUserEvent(db, { userId: max.id, actor: 'max@example.com', action: 'signed_in' });

        expect(
          (await listUserEvents(db, { limit: 3 })).map((event) => [event.userEmail, event.action]),
        ).toEqual([
          ['max@example.com', 'signed_in'],
          ['lee@example.com', 'signed_in'],
          ['max@example.com', 'created'],
        ]);
        expect(
          (await listUserEvents(db, { userId: lee.id, limit: 10 })).map((event) => event.action),
        ).toEqual(['signed_in', 'created']);
        expect(await listUserEvents(db, { userId: 'nope', limit: 10 })).toEqual([]);
      });

      it('keeps the audit: a user with events cannot be deleted', async () => {
        const user = await create('nina@example.com');

        await expect(db.delete(users).where(eq(users.id, user.id))).rejects.toThrow();
      });
    });
  });
}
