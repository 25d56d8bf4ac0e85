// Sessions, sign-in, user management and the first start, on a real database: run by one test file per
// driver (embedded PostgreSQL, PostgreSQL server). The test files hash passwords at a test cost
// (lib/testing/password-cost.ts).
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '@/lib/db/database';
import { sessions, signInFailures, userEvents, users } from '@/lib/db/schema';
import {
  countRecentFailures,
  createUser,
  getUserByEmail,
  getUserCredentialsByEmail,
  listUserEvents,
  type User,
  updateUser,
} from '@/lib/db/users';
import { clientAddressFrom } from '@/lib/security/client-address';
import type { SuiteDatabase } from '@/lib/testing/suite-database';
import { BootstrapError, DEMO_ADMIN, ensureInitialUsers, INITIAL_ADMIN_ACTOR } from './bootstrap';
import * as passwords from './passwords';
import type { Role } from './roles';
import {
  endSession,
  pruneAuthRecords,
  resolveSession,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  sessionCookieName,
  sessionCookieOptions,
  startSession,
} from './sessions';
import {
  ACCOUNT_DELAY_FIRST_MS,
  ACCOUNT_DELAY_MAX_MS,
  FAILURES_BEFORE_ACCOUNT_DELAY,
  MAX_ACCOUNTS_FAILED_PER_ADDRESS,
  MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
  SIGN_IN_THROTTLE_WINDOW_MS,
  signIn,
  signInFailureKeys,
} from './sign-in';
import { addUser, changeRole, resetPassword, setDisabled, UserAdminError } from './users';

const t0 = new Date('2030-01-01T08:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const seconds = (count: number) => count * 1_000;
const minutes = (count: number) => count * 60_000;
const PASSWORD = 'the right password';
const ADDRESS = '192.0.2.10';

export function describeAuth(driver: string, open: () => Promise<SuiteDatabase>) {
  describe(`auth on ${driver}`, () => {
    let databases: SuiteDatabase;
    let db: Database;
    /** The delays sign-in asked to wait, in order: recorded instead of slept. */
    let waits: number[] = [];

    beforeAll(async () => {
      databases = await open();
      db = databases.db;
    });
    afterAll(async () => {
      await databases?.close();
    });
    beforeEach(async () => {
      await db.execute(sql`TRUNCATE ${sessions}, ${signInFailures}, ${userEvents}, ${users}`);
      vi.clearAllMocks();
      waits = [];
    });

    async function account(email: string, role: Role = 'operator', password = PASSWORD): Promise<User> {
      const user = await createUser(db, {
        email,
        role,
        passwordHash: await passwords.hashPassword(password),
        createdBy: 'test setup',
      });
      if (!user) throw new Error(`expected to create ${email}`);
      return user;
    }

    async function signInAt(now: Date, email: string, password = PASSWORD, clientAddress = ADDRESS) {
      return signIn(
        db,
        { email, password, clientAddress, userAgent: 'vitest', now },
        {
          wait: async (ms) => {
            waits.push(ms);
          },
        },
      );
    }

    const pairKey = (email: string, address = ADDRESS) => signInFailureKeys(email, address).pair;
    const throttled = { ok: false, reason: 'throttled' };
    const wrong = { ok: false, reason: 'invalid' };

    async function actions(userId: string) {
      return (await listUserEvents(db, { userId, limit: 100 }))
        .reverse()
        .map((event) => [event.action, event.actor]);
    }

    describe('sessions', () => {
      it('gives the browser a random token and stores only its SHA-256', async () => {
        const user = await account('alice@example.com');

        const { token, expiresAt } = await startSession(db, {
          userId: user.id,
          userAgent: 'Firefox',
          now: t0,
        });

        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(expiresAt).toEqual(at(SESSION_ABSOLUTE_MS));
        const stored = await db.select().from(sessions);
        expect(stored).toEqual([
          expect.objectContaining({
            id: createHash('sha256').update(token).digest('hex'),
            userId: user.id,
            userAgent: 'Firefox',
          }),
        ]);
        expect(JSON.stringify(stored)).not.toContain(token);
        expect(await resolveSession(db, token, { now: at(seconds(1)) })).toEqual({
          user: { id: user.id, email: 'alice@example.com', role: 'operator', locale: null },
          sessionId: stored[0]?.id,
          expiresAt,
        });
      });

      it.each([
        ['no token', undefined],
        ['an empty token', ''],
        ['a token of the wrong length', 'abc'],
        ['a token with other characters', `${'a'.repeat(42)}.`],
        ['the stored hash instead of the token', 'f'.repeat(64)],
      ])('knows no session for %s', async (_, token) => {
        const user = await account('bob@example.com');
        await startSession(db, { userId: user.id, now: t0 });

        expect(await resolveSession(db, token, { now: t0 })).toBeNull();
      });

      it('gives every sign-in a new token; ending one session leaves the other', async () => {
        await account('carol@example.com');

        const first = await signInAt(t0, 'carol@example.com');
        const second = await signInAt(at(seconds(5)), 'carol@example.com');
        if (!first.ok || !second.ok) throw new Error('expected both sign-ins to succeed');

        expect(first.token).not.toBe(second.token);
        expect(await resolveSession(db, first.token, { now: at(seconds(10)) })).not.toBeNull();
        expect(await resolveSession(db, second.token, { now: at(seconds(10)) })).not.toBeNull();

        expect(await endSession(db, first.token)).toEqual({ viaIdentityProvider: false });
        expect(await endSession(db, first.token)).toBeNull();
        expect(await resolveSession(db, first.token, { now: at(seconds(11)) })).toBeNull();
        expect(await resolveSession(db, second.token, { now: at(seconds(11)) })).not.toBeNull();
        expect(await actions(first.user.id)).toEqual([
          ['created', 'test setup'],
          ['signed_in', 'carol@example.com'],
          ['signed_in', 'carol@example.com'],
          ['signed_out', 'carol@example.com'],
        ]);
      });

      it('ends a session left idle for 30 minutes, and keeps one in use', async () => {
        const user = await account('dave@example.com');
        const idle = await startSession(db, { userId: user.id, now: t0 });
        const active = await startSession(db, { userId: user.id, now: t0 });

        expect(await resolveSession(db, active.token, { now: at(minutes(20)) })).not.toBeNull();
        expect(await resolveSession(db, idle.token, { now: at(SESSION_IDLE_MS - 1) })).not.toBeNull();
        expect(await resolveSession(db, active.token, { now: at(minutes(45)) })).not.toBeNull();
        // `idle` was last seen just before 30 minutes: it ends 30 minutes after that.
        expect(await resolveSession(db, idle.token, { now: at(2 * SESSION_IDLE_MS - 1) })).toBeNull();

        expect(await db.select({ id: sessions.id }).from(sessions)).toHaveLength(1);
        expect(await resolveSession(db, active.token, { now: at(minutes(45) + SESSION_IDLE_MS) })).toBeNull();
      });

      it('writes last_seen_at at most once a minute', async () => {
        const user = await account('erin@example.com');
        const { token } = await startSession(db, { userId: user.id, now: t0 });
        const lastSeen = async () =>
          (await db.select({ lastSeenAt: sessions.lastSeenAt }).from(sessions))[0]?.lastSeenAt;

        await resolveSession(db, token, { now: at(seconds(59)) });
        expect(await lastSeen()).toEqual(t0);
        await resolveSession(db, token, { now: at(seconds(61)) });
        expect(await lastSeen()).toEqual(at(seconds(61)));
      });

      it('ends a session 12 hours after sign-in however active it is', async () => {
        const user = await account('frank@example.com');
        const { token } = await startSession(db, { userId: user.id, now: t0 });

        for (let elapsed = minutes(20); elapsed < SESSION_ABSOLUTE_MS; elapsed += minutes(20)) {
          expect(await resolveSession(db, token, { now: at(elapsed) })).not.toBeNull();
        }
        expect(await resolveSession(db, token, { now: at(SESSION_ABSOLUTE_MS) })).toBeNull();
        expect(await db.select().from(sessions)).toEqual([]);
      });

      it('ends the session of a user who was disabled, and shows a role change at once', async () => {
        await account('admin@example.com', 'admin');
        const user = await account('gina@example.com', 'operator');
        const kept = await startSession(db, { userId: user.id, now: t0 });

        await updateUser(db, { userId: user.id, actor: 'admin@example.com', role: 'viewer' });
        expect((await resolveSession(db, kept.token, { now: t0 }))?.user.role).toBe('viewer');

        await updateUser(db, { userId: user.id, actor: 'admin@example.com', disabled: true });
        expect(await resolveSession(db, kept.token, { now: t0 })).toBeNull();
        expect(await db.select().from(sessions)).toEqual([]);
      });

      it('names the cookie __Host- on https, and keeps it from scripts and other sites', () => {
        const expires = at(SESSION_ABSOLUTE_MS);

        expect(sessionCookieName(true)).toBe('__Host-sag-roam-session');
        expect(sessionCookieName(false)).toBe('sag-roam-session');
        expect(sessionCookieOptions(true, expires)).toEqual({
          httpOnly: true,
          sameSite: 'lax',
          secure: true,
          path: '/',
          expires,
        });
        expect(sessionCookieOptions(false, expires).secure).toBe(false);
      });

      it('prunes expired sessions and sign-in failures older than a day', async () => {
        const user = await account('hank@example.com');
        await startSession(db, { userId: user.id, now: t0 });
        const fresh = await startSession(db, { userId: user.id, now: at(minutes(40)) });
        await signInAt(t0, 'hank@example.com', 'wrong password');
        await signInAt(at(minutes(24 * 60 + 30)), 'hank@example.com', 'wrong password');

        expect(await pruneAuthRecords(db, { now: at(minutes(24 * 60 + 31)) })).toEqual({
          sessions: 2,
          signInFailures: 2,
          oidcLogins: 0,
        });
        expect(await resolveSession(db, fresh.token, { now: at(minutes(41)) })).toBeNull();
      });
    });

    describe('signIn', () => {
      it('signs in with the right password, in any case of the e-mail, and records it', async () => {
        const user = await account('ivy@example.com', 'viewer');

        const result = await signInAt(t0, '  IVY@Example.com ');

        expect(result).toMatchObject({
          ok: true,
          user: { id: user.id, email: 'ivy@example.com', role: 'viewer' },
          expiresAt: at(SESSION_ABSOLUTE_MS),
        });
        if (!result.ok) throw new Error('expected success');
        expect((await resolveSession(db, result.token, { now: t0 }))?.user.id).toBe(user.id);
        const [event] = await listUserEvents(db, { userId: user.id, limit: 1 });
        expect(event).toMatchObject({
          action: 'signed_in',
          actor: 'ivy@example.com',
          details: { clientAddress: ADDRESS },
        });
        expect(JSON.stringify(await db.select().from(userEvents))).not.toContain(PASSWORD);
      });

      it('answers the same, after one scrypt run, for an unknown account, a wrong password and a disabled account', async () => {
        await account('admin@example.com', 'admin');
        const disabled = await account('jane@example.com');
        await account('kim@example.com');
        await updateUser(db, { userId: disabled.id, actor: 'admin@example.com', disabled: true });
        vi.clearAllMocks();
        const scryptRuns = () =>
          vi.mocked(passwords.verifyPassword).mock.calls.length +
          vi.mocked(passwords.verifyAgainstDummy).mock.calls.length;

        const unknown = await signInAt(t0, 'nobody@example.com');
        expect(scryptRuns()).toBe(1);
        const wrong = await signInAt(t0, 'kim@example.com', 'not the password');
        expect(scryptRuns()).toBe(2);
        const whileDisabled = await signInAt(t0, 'jane@example.com');
        expect(scryptRuns()).toBe(3);

        expect(unknown).toEqual({ ok: false, reason: 'invalid' });
        expect(wrong).toEqual(unknown);
        expect(whileDisabled).toEqual(unknown);
        for (const email of ['nobody@example.com', 'kim@example.com', 'jane@example.com']) {
          expect(await countRecentFailures(db, `account:${email}`, at(-1))).toBe(1);
        }
        expect(await db.select().from(sessions)).toEqual([]);
      });

      it(`refuses one account from one address, unchecked, after ${MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS} failures in 15 minutes`, async () => {
        await account('lee@example.com');
        for (let attempt = 0; attempt < MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS; attempt += 1) {
          expect(await signInAt(at(minutes(attempt)), 'lee@example.com', 'wrong guess')).toEqual(wrong);
        }
        vi.clearAllMocks();

        // Even the right password is not checked now, but the answer costs the same scrypt run.
        const refused = await signInAt(at(minutes(10)), 'LEE@example.com');

        // The first counted failure (at minute 0) drops out of the window at minute 15.
        expect(refused).toEqual({ ...throttled, retryAfterSeconds: 5 * 60 });
        expect(passwords.verifyPassword).not.toHaveBeenCalled();
        expect(passwords.verifyAgainstDummy).toHaveBeenCalledTimes(1);
        expect(await countRecentFailures(db, pairKey('lee@example.com'), at(-1))).toBe(
          MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        );
        // Other accounts from this address are not affected.
        await account('max@example.com');
        expect((await signInAt(at(minutes(10)), 'max@example.com')).ok).toBe(true);
        // Once the oldest failure is 15 minutes old, the address may try that account again.
        expect((await signInAt(at(SIGN_IN_THROTTLE_WINDOW_MS), 'lee@example.com')).ok).toBe(true);
      });

      it(`refuses a client address after failures against ${MAX_ACCOUNTS_FAILED_PER_ADDRESS} accounts in 15 minutes, whatever the account`, async () => {
        await account('nina@example.com');
        for (let attempt = 0; attempt < MAX_ACCOUNTS_FAILED_PER_ADDRESS; attempt += 1) {
          await signInAt(at(seconds(attempt)), `guess${attempt}@example.com`, 'wrong guess');
        }

        expect(await signInAt(at(minutes(1)), 'nina@example.com')).toMatchObject(throttled);
        expect((await signInAt(at(minutes(1)), 'nina@example.com', PASSWORD, '198.51.100.77')).ok).toBe(true);
      });

      it('clears the failures of an account and its pair with the address on sign-in, not those of other accounts', async () => {
        await account('omar@example.com');
        for (let attempt = 0; attempt < MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS - 1; attempt += 1) {
          await signInAt(at(seconds(attempt)), 'omar@example.com', 'wrong guess');
        }
        await signInAt(at(seconds(5)), 'someone-else@example.com', 'wrong guess');

        expect((await signInAt(at(seconds(10)), 'omar@example.com')).ok).toBe(true);
        expect(await countRecentFailures(db, 'account:omar@example.com', at(-1))).toBe(0);
        expect(await countRecentFailures(db, pairKey('omar@example.com'), at(-1))).toBe(0);
        expect(await countRecentFailures(db, pairKey('someone-else@example.com'), at(-1))).toBe(1);
        // A fresh allowance: four more failures are still answered as wrong, not throttled.
        for (let attempt = 0; attempt < MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS - 1; attempt += 1) {
          expect(await signInAt(at(seconds(20 + attempt)), 'omar@example.com', 'wrong')).toEqual(wrong);
        }
      });

      it('throttles a client that rotates the X-Forwarded-For it sends: only the socket or a trusted proxy names it', async () => {
        await account('pia@example.com');
        const attacker = '203.0.113.7';
        const proxy = '10.0.0.2';
        // Directly connected (TRUSTED_PROXY_HOPS=0): the header is the client's own writing.
        const direct = (attempt: number) =>
          clientAddressFrom({
            peer: attacker,
            forwardedFor: `198.51.100.${attempt}`,
            trustedProxyHops: 0,
          });
        // Behind one proxy (TRUSTED_PROXY_HOPS=1), which appends the address it sees to what the client sent.
        const proxied = (attempt: number) =>
          clientAddressFrom({
            peer: proxy,
            forwardedFor: `198.51.100.${attempt}, 192.0.2.${attempt}, ${attacker}`,
            trustedProxyHops: 1,
          });

        for (const addressOf of [direct, proxied]) {
          await db.execute(sql`TRUNCATE ${signInFailures}`);
          for (let attempt = 0; attempt < MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS; attempt += 1) {
            expect(addressOf(attempt)).toBe(attacker);
            expect(
              await signInAt(at(seconds(attempt)), 'pia@example.com', 'wrong guess', addressOf(attempt)),
            ).toEqual(wrong);
          }
          expect(await signInAt(at(minutes(1)), 'pia@example.com', PASSWORD, addressOf(99))).toMatchObject(
            throttled,
          );
        }

        // An IPv6 client holds a whole /64: moving within it is the same address to the throttle.
        await db.execute(sql`TRUNCATE ${signInFailures}`);
        for (let attempt = 0; attempt < MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS; attempt += 1) {
          await signInAt(
            at(seconds(attempt)),
            'pia@example.com',
            'wrong guess',
            `2001:db8:5:6::${attempt + 1}`,
          );
        }
        expect(
          await signInAt(at(minutes(1)), 'pia@example.com', PASSWORD, '2001:db8:5:6:ffff:1234:abcd:99'),
        ).toMatchObject(throttled);
        expect((await signInAt(at(minutes(1)), 'pia@example.com', PASSWORD, '2001:db8:5:7::1')).ok).toBe(
          true,
        );
      });

      it('behind one shared address, people who mistype their own passwords do not lock out the others', async () => {
        // Everyone comes from the proxy's address (TRUSTED_PROXY_HOPS not set, or a NAT).
        const shared = '10.0.0.1';
        const colleagues = Array.from(
          { length: MAX_ACCOUNTS_FAILED_PER_ADDRESS - 1 },
          (_, index) => `colleague${index}@example.com`,
        );
        for (const email of colleagues) await account(email);
        await account('quinn@example.com');
        let elapsed = 0;
        // Many more failures in all than the limit of one address, each person at most their own limit...
        for (const email of colleagues) {
          for (let attempt = 0; attempt < MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS + 3; attempt += 1) {
            elapsed += 1;
            await signInAt(at(seconds(elapsed)), email, 'a typo', shared);
          }
        }
        expect(await countRecentFailures(db, `account:${colleagues[0]}`, at(-1))).toBe(
          MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        );

        // ...and each of them, and anyone else there, still signs in with the right password.
        expect((await signInAt(at(minutes(5)), 'quinn@example.com', PASSWORD, shared)).ok).toBe(true);
        // A colleague waits for their own pair only, as before.
        expect(await signInAt(at(minutes(5)), colleagues[0] ?? '', PASSWORD, shared)).toMatchObject(
          throttled,
        );
        expect((await signInAt(at(minutes(20)), colleagues[0] ?? '', PASSWORD, shared)).ok).toBe(true);
      });

      it('lets the last admin in with the right password while an attacker keeps failing from ever new addresses', async () => {
        const admin = await account('root@example.com', 'admin');
        const attackerAddress = (guess: number) =>
          `198.51.100.${Math.floor(guess / MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS)}`;
        const attack = async (email: string) => {
          const delays: number[] = [];
          // An hour of guesses, one every 10 seconds, each address used up to its limit.
          for (let guess = 0; guess < 360; guess += 1) {
            const address = attackerAddress(guess);
            waits = [];
            const result = await signInAt(at(seconds(10 * guess)), email, `guess ${guess}`, address);
            expect(result).toEqual(wrong);
            delays.push(waits[0] ?? 0);
          }
          return delays;
        };

        const delays = await attack('root@example.com');

        // The attacker's attempts are slowed down, by a delay that grows up to its cap...
        expect(delays.slice(0, FAILURES_BEFORE_ACCOUNT_DELAY)).toEqual(
          Array(FAILURES_BEFORE_ACCOUNT_DELAY).fill(0),
        );
        expect(delays.slice(FAILURES_BEFORE_ACCOUNT_DELAY, FAILURES_BEFORE_ACCOUNT_DELAY + 4)).toEqual([
          ACCOUNT_DELAY_FIRST_MS,
          2 * ACCOUNT_DELAY_FIRST_MS,
          4 * ACCOUNT_DELAY_FIRST_MS,
          8 * ACCOUNT_DELAY_FIRST_MS,
        ]);
        expect(Math.max(...delays)).toBe(ACCOUNT_DELAY_MAX_MS);
        expect(delays.at(-1)).toBe(ACCOUNT_DELAY_MAX_MS);

        // ...and the admin, from an address of their own, is delayed as much but let in.
        waits = [];
        const result = await signInAt(at(minutes(60)), 'root@example.com', PASSWORD, '203.0.113.50');
        expect(result).toMatchObject({ ok: true, user: { id: admin.id, role: 'admin' } });
        expect(waits).toEqual([ACCOUNT_DELAY_MAX_MS]);
        // The attacker's last address stays refused for this account.
        expect(
          await signInAt(at(minutes(60)), 'root@example.com', PASSWORD, attackerAddress(359)),
        ).toMatchObject(throttled);

        // The delays do not tell that the account exists: an unknown e-mail under the same attack gets the same.
        await db.execute(sql`TRUNCATE ${signInFailures}`);
        expect(await attack('nobody@example.com')).toEqual(delays);
      });

      it('lets at most the limit of attempts made at the same moment from one address be checked', async () => {
        await account('rae@example.com');
        vi.clearAllMocks();

        const results = await Promise.all(
          Array.from({ length: 3 * MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS }, () =>
            signInAt(t0, 'rae@example.com', 'wrong guess'),
          ),
        );

        expect(vi.mocked(passwords.verifyPassword).mock.calls.length).toBeLessThanOrEqual(
          MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        );
        for (const result of results)
          expect([wrong, throttled]).toContainEqual(
            result.ok ? result : { ok: false, reason: result.reason },
          );
        expect(await signInAt(at(seconds(1)), 'rae@example.com')).toMatchObject(throttled);
      });
    });

    describe('user management', () => {
      let admin: { id: string; email: string };

      beforeEach(async () => {
        const created = await account('admin@example.com', 'admin');
        admin = { id: created.id, email: created.email };
      });

      it('adds a user, attributed to the admin who did it', async () => {
        const user = await addUser(db, {
          email: 'New@Example.com',
          role: 'viewer',
          password: 'a good password',
          actor: admin,
        });

        expect(user).toMatchObject({
          email: 'new@example.com',
          role: 'viewer',
          createdBy: 'admin@example.com',
        });
        expect(await actions(user.id)).toEqual([['created', 'admin@example.com']]);
        expect((await signInAt(t0, 'new@example.com', 'a good password')).ok).toBe(true);
      });

      it.each([
        [{ email: 'ADMIN@example.com' }, 'There is already an account for admin@example.com.'],
        [{ email: 'not an address' }, 'Enter an e-mail address such as admin@example.com'],
        [{ password: 'short' }, 'The password is too short: at least 12 characters'],
        [{ role: 'root' }, 'Choose viewer, operator or admin'],
      ])('refuses to add %j with a clear message', async (change, message) => {
        const input = {
          email: 'someone@example.com',
          role: 'viewer',
          password: 'a good password',
          ...change,
        };

        await expect(
          addUser(db, { ...(input as { email: string; role: Role; password: string }), actor: admin }),
        ).rejects.toThrow(message);
        expect(await db.select().from(users)).toHaveLength(1);
      });

      it('changes a role and signs the user out; an admin cannot demote themselves', async () => {
        const user = await account('pat@example.com', 'viewer');
        const { token } = await startSession(db, { userId: user.id });

        expect(await changeRole(db, { userId: user.id, role: 'operator', actor: admin })).toMatchObject({
          role: 'operator',
        });
        expect(await resolveSession(db, token)).toBeNull();
        await expect(changeRole(db, { userId: admin.id, role: 'operator', actor: admin })).rejects.toThrow(
          /cannot take away your own admin role/,
        );
        expect((await getUserByEmail(db, admin.email))?.role).toBe('admin');
        expect(await actions(user.id)).toEqual([
          ['created', 'test setup'],
          ['role_changed', 'admin@example.com'],
        ]);
      });

      it('disables a user and ends their sessions; an admin cannot disable themselves', async () => {
        const user = await account('quinn@example.com');
        const { token } = await startSession(db, { userId: user.id });

        expect(await setDisabled(db, { userId: user.id, disabled: true, actor: admin })).toMatchObject({
          disabled: true,
        });
        expect(await db.select().from(sessions)).toEqual([]);
        expect(await resolveSession(db, token)).toBeNull();
        expect(await signInAt(t0, 'quinn@example.com')).toEqual({ ok: false, reason: 'invalid' });
        await expect(setDisabled(db, { userId: admin.id, disabled: true, actor: admin })).rejects.toThrow(
          /cannot disable your own account/,
        );

        expect(await setDisabled(db, { userId: user.id, disabled: false, actor: admin })).toMatchObject({
          disabled: false,
        });
        expect(await actions(user.id)).toEqual([
          ['created', 'test setup'],
          ['disabled', 'admin@example.com'],
          ['enabled', 'admin@example.com'],
        ]);
      });

      it('never demotes or disables the last enabled admin, whoever asks', async () => {
        // An admin whose own account was demoted a moment ago, still acting from an old page.
        const ghost = { id: '00000000-0000-4000-8000-000000000000', email: 'former-admin@example.com' };

        await expect(changeRole(db, { userId: admin.id, role: 'viewer', actor: ghost })).rejects.toThrow(
          'This is the last enabled admin: make another user an admin before demoting or disabling this one.',
        );
        await expect(setDisabled(db, { userId: admin.id, disabled: true, actor: ghost })).rejects.toThrow(
          /last enabled admin/,
        );
        expect(await getUserByEmail(db, admin.email)).toMatchObject({ role: 'admin', disabled: false });
      });

      it('lets only one of two admins who demote each other at once succeed', async () => {
        const other = await account('second-admin@example.com', 'admin');
        const secondAdmin = { id: other.id, email: other.email };

        const results = await Promise.allSettled([
          changeRole(db, { userId: other.id, role: 'viewer', actor: admin }),
          changeRole(databases.otherDb, { userId: admin.id, role: 'viewer', actor: secondAdmin }),
        ]);

        expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
        const rejected = results.find((result) => result.status === 'rejected');
        expect(rejected?.reason).toBeInstanceOf(UserAdminError);
        const admins = (await db.select().from(users)).filter((user) => user.role === 'admin');
        expect(admins).toHaveLength(1);
      });

      it('resets a password: the old one stops working, sessions end, and no secret is recorded', async () => {
        const user = await account('rosa@example.com');
        const { token } = await startSession(db, { userId: user.id });
        const oldHash = (await getUserCredentialsByEmail(db, user.email))?.passwordHash ?? '';

        await resetPassword(db, { userId: user.id, password: 'a brand new password', actor: admin });

        expect(await resolveSession(db, token)).toBeNull();
        expect(await signInAt(t0, 'rosa@example.com')).toEqual({ ok: false, reason: 'invalid' });
        expect((await signInAt(t0, 'rosa@example.com', 'a brand new password')).ok).toBe(true);
        const newHash = (await getUserCredentialsByEmail(db, user.email))?.passwordHash ?? '';
        const audit = JSON.stringify(await db.select().from(userEvents));
        for (const secret of ['a brand new password', oldHash, newHash]) expect(audit).not.toContain(secret);
        expect(await actions(user.id)).toContainEqual(['password_reset', 'admin@example.com']);
        await expect(
          resetPassword(db, { userId: user.id, password: 'too short', actor: admin }),
        ).rejects.toThrow(/too short/);
      });

      it('refuses changes to a user that does not exist', async () => {
        await expect(
          setDisabled(db, { userId: '00000000-0000-4000-8000-000000000000', disabled: true, actor: admin }),
        ).rejects.toThrow('This user does not exist.');
        await expect(changeRole(db, { userId: 'nope', role: 'viewer', actor: admin })).rejects.toThrow(
          'Not a user ID',
        );
      });
    });

    describe('ensureInitialUsers', () => {
      it('creates the ADMIN_EMAIL admin once, on an empty database', async () => {
        const initialAdmin = { email: 'Root@Example.com', password: 'from the environment' };

        expect(await ensureInitialUsers(db, { initialAdmin, demo: true })).toEqual({
          created: 'initial-admin',
          email: 'root@example.com',
        });
        expect(await ensureInitialUsers(db, { initialAdmin, demo: true })).toEqual({
          created: null,
          reason: 'users-exist',
        });
        const root = await getUserByEmail(db, 'root@example.com');
        expect(root).toMatchObject({ role: 'admin', createdBy: INITIAL_ADMIN_ACTOR });
        expect(await actions(root?.id ?? '')).toEqual([['created', INITIAL_ADMIN_ACTOR]]);
        expect((await signInAt(t0, 'root@example.com', 'from the environment')).ok).toBe(true);
        expect(await db.select().from(users)).toHaveLength(1);
      });

      it('creates the demo admin only in demo mode, and nothing otherwise', async () => {
        expect(await ensureInitialUsers(db, { demo: false })).toEqual({ created: null, reason: 'no-users' });
        expect(await ensureInitialUsers(db, { demo: true })).toEqual({
          created: 'demo-admin',
          email: DEMO_ADMIN.email,
        });
        expect((await signInAt(t0, DEMO_ADMIN.email, DEMO_ADMIN.password)).ok).toBe(true);
      });

      it('refuses to start outside demo mode while the demo admin keeps its public password', async () => {
        await ensureInitialUsers(db, { demo: true });

        await expect(ensureInitialUsers(db, { demo: false })).rejects.toThrow(BootstrapError);
        await expect(ensureInitialUsers(db, { demo: false })).rejects.toThrow(/--reset-password/);

        const demoAdmin = await getUserByEmail(db, DEMO_ADMIN.email);
        await updateUser(db, {
          userId: demoAdmin?.id ?? '',
          actor: 'test',
          passwordHash: await passwords.hashPassword('a private password now'),
        });
        expect(await ensureInitialUsers(db, { demo: false })).toEqual({
          created: null,
          reason: 'users-exist',
        });
      });

      it('refuses an ADMIN_PASSWORD that breaks the password rules', async () => {
        await expect(
          ensureInitialUsers(db, {
            initialAdmin: { email: 'a@example.com', password: 'x'.repeat(300) },
            demo: false,
          }),
        ).rejects.toThrow(new BootstrapError('ADMIN_PASSWORD is too long: at most 256 characters'));
        expect(await db.select().from(users)).toEqual([]);
      });

      it('creates one admin when several processes start at once', async () => {
        const initialAdmin = { email: 'root@example.com', password: 'from the environment' };

        const results = await Promise.all(
          [db, databases.otherDb, db, databases.otherDb].map((database) =>
            ensureInitialUsers(database, { initialAdmin, demo: false }),
          ),
        );

        expect(results.filter((result) => result.created === 'initial-admin')).toHaveLength(1);
        expect(await db.select().from(users)).toHaveLength(1);
        expect(await db.select().from(userEvents)).toHaveLength(1);
      });
    });
  });
}
