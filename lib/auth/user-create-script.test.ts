// `npm run user:create` end to end: the real script under tsx, on a temporary embedded database, with the
// password on standard input. Production scrypt parameters throughout.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '@/lib/db/database';
import { getUserCredentialsByEmail, listUserEvents, listUsers } from '@/lib/db/users';
import { reachableTempDir } from '@/lib/testing/temp-dir';
import { verifyPassword } from './passwords';

const root = process.cwd();
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
/** tsx compiles the script and the embedded PostgreSQL starts in each run: a few seconds, not the default 20 s per test. */
const SCRIPT_TEST_TIMEOUT_MS = 60_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('scripts/user-create.ts', () => {
  let directory: string;

  beforeAll(async () => {
    directory = reachableTempDir('sag-roam-user-create-');
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  function run(args: string[], stdin = ''): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(tsx, ['--conditions=react-server', 'scripts/user-create.ts', ...args], {
        cwd: root,
        // Only what the script needs: no DATABASE_URL or ADMIN_* from the developer's shell.
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', DATA_DIR: directory },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  async function withDatabase<T>(use: (db: Database) => Promise<T>): Promise<T> {
    const opened = await openDatabase({ dataDir: directory });
    try {
      return await use(opened.db);
    } finally {
      await opened.close();
    }
  }

  it('prints its usage', { timeout: SCRIPT_TEST_TIMEOUT_MS }, async () => {
    const result = await run(['--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--email <address>/);
    expect(result.stdout).toMatch(/--reset-password/);
  });

  it('creates an admin from the first line of standard input, and never prints the password', {
    timeout: SCRIPT_TEST_TIMEOUT_MS,
  }, async () => {
    const result = await run(['--email', 'Ops@Example.com'], 'a console password\nsecond line\n');

    expect(result).toMatchObject({ code: 0, stdout: 'Created admin ops@example.com.\n' });
    expect(result.stdout + result.stderr).not.toContain('a console password');
    await withDatabase(async (db) => {
      const account = await getUserCredentialsByEmail(db, 'ops@example.com');
      expect(account?.user).toMatchObject({ role: 'admin', disabled: false });
      expect(account?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(await verifyPassword('a console password', account?.passwordHash ?? '')).toBe(true);
      const [event] = await listUserEvents(db, { userId: account?.user.id, limit: 1 });
      expect(event).toMatchObject({
        action: 'created',
        actor: expect.stringMatching(/^user:create script \(/),
      });
    });
  });

  it('refuses a bad e-mail, a bad role, a short password and a taken e-mail, changing nothing', {
    timeout: SCRIPT_TEST_TIMEOUT_MS,
  }, async () => {
    // One at a time: one process may open the data directory.
    const badEmail = await run(['--email', 'not-an-address'], 'a console password\n');
    const badRole = await run(['--email', 'new@example.com', '--role', 'root'], 'a console password\n');
    const shortPassword = await run(['--email', 'new@example.com'], 'short pw\n');
    const noPassword = await run(['--email', 'new@example.com'], '');
    const taken = await run(['--email', 'OPS@example.com', '--role', 'viewer'], 'another password\n');

    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toMatch(/--email: Enter an e-mail address such as admin@example.com/);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of viewer, operator, admin/);
    expect(shortPassword.code).toBe(1);
    expect(shortPassword.stderr).toMatch(/The password is too short: at least 12 characters/);
    expect(shortPassword.stdout + shortPassword.stderr).not.toContain('short pw');
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toMatch(/No password/);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/There is already an account for ops@example.com\. Nothing was changed\./);
    await withDatabase(async (db) => {
      expect((await listUsers(db)).map((user) => user.email)).toEqual(['ops@example.com']);
    });
  });

  it('resets the password of an existing user', { timeout: SCRIPT_TEST_TIMEOUT_MS }, async () => {
    const result = await run(
      ['--email', 'ops@example.com', '--reset-password'],
      'the replacement password\n',
    );
    const unknown = await run(
      ['--email', 'nobody@example.com', '--reset-password'],
      'the replacement password\n',
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Set a new password for ops@example.com \(admin\)/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/There is no account for nobody@example.com/);
    await withDatabase(async (db) => {
      const hash = (await getUserCredentialsByEmail(db, 'ops@example.com'))?.passwordHash ?? '';
      expect(await verifyPassword('the replacement password', hash)).toBe(true);
      expect(await verifyPassword('a console password', hash)).toBe(false);
    });
  });

  it('refuses to open the embedded database while another process has it open', {
    timeout: SCRIPT_TEST_TIMEOUT_MS,
  }, async () => {
    const result = await withDatabase(() =>
      run(['--email', 'late@example.com', '--role', 'viewer'], 'a console password\n'),
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is open in another process, probably sag-roam/);
    // The process holding it, by pid: here the test's own, which has it open.
    expect(result.stderr).toContain(
      `The embedded database in ${directory} is open in another process, probably sag-roam (pid ${process.pid}).`,
    );
    await withDatabase(async (db) => {
      expect(await getUserCredentialsByEmail(db, 'late@example.com')).toBeNull();
    });
  });
});
