// The embedded PostgreSQL as the app runs it: a real server started from the npm package's binaries, real
// processes killed with SIGKILL in the middle of writes, a real PGlite directory of an earlier version.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { count, eq, sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processRuns } from '@/lib/fs/process-lock';
import { jobExists } from '@/lib/testing/database-contents';
import { reachableTempDir } from '@/lib/testing/temp-dir';
import { type Database, migrationsFolder, openDatabase } from './database';
import { EmbeddedPostgresError } from './embedded-postgres';
import { type CreateJobInput, createJob, getJob } from './jobs';
import * as schema from './schema';

const job: CreateJobInput = {
  createdBy: 'admin@example.com',
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-origin0001',
  targetRegionId: 'cn-hangzhou',
  targetInstanceId: 'sag-target0001',
  usernames: ['alice001', 'bob002', 'carol003'],
  mode: 'emulator',
};

const root = process.cwd();
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
/** tsx compiles the child and the server starts in it, on a loaded CI machine too. */
const CHILD_TEST_TIMEOUT_MS = 90_000;
/** Writes acknowledged before the kill: enough that the kill lands in the middle of one. */
const ACKNOWLEDGED_BEFORE_KILL = 40;

let directory: string;
let writerScript: string;

beforeAll(async () => {
  directory = reachableTempDir('sag-roam-embedded-');
  // A writer: creates jobs one after the other, as fast as it can, and prints each id once its transaction
  // has committed. It never stops by itself: the test kills it.
  writerScript = path.join(directory, 'writer.mts');
  await writeFile(
    writerScript,
    `import { openDatabase } from ${JSON.stringify(path.join(root, 'lib', 'db', 'database.ts'))};
import { createJob } from ${JSON.stringify(path.join(root, 'lib', 'db', 'jobs', 'index.ts'))};
const opened = await openDatabase({ dataDir: process.argv[2] });
process.stdout.write(\`opened \${process.pid}\\n\`);
const input = ${JSON.stringify(job)};
for (let n = 0; ; n += 1) {
  // Usernames of their own: a username may be in one open job per target at a time.
  const created = await createJob(opened.db, { ...input, usernames: input.usernames.map((name) => \`\${name}w\${n}\`) });
  process.stdout.write(\`committed \${created.id}\\n\`);
}
`,
  );
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

interface Writer {
  child: ChildProcess;
  /** The pid of the process that opened the database (tsx runs the script in a child of its own). */
  opened: Promise<number>;
  /** Resolves once `n` writes were acknowledged. */
  acknowledged(n: number): Promise<string[]>;
  committed: string[];
  exited: Promise<void>;
}

function startWriter(dataDir: string): Writer {
  // A process group of its own, so that the test can kill the writer with everything it started.
  const child = spawn(tsx, ['--conditions=react-server', writerScript, dataDir], {
    cwd: root,
    detached: true,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const committed: string[] = [];
  let stderr = '';
  let buffered = '';
  let onOpened: (pid: number) => void = () => {};
  const opened = new Promise<number>((resolve) => {
    onOpened = resolve;
  });
  const waiting: { n: number; resolve: (ids: string[]) => void }[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const pid = /^opened (\d+)$/.exec(line)?.[1];
      if (pid) onOpened(Number(pid));
      const id = /^committed (\S+)$/.exec(line)?.[1];
      if (id) committed.push(id);
    }
    for (const wait of waiting.filter((each) => committed.length >= each.n)) wait.resolve([...committed]);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    child,
    opened: Promise.race([
      opened,
      exited.then((): never => {
        throw new Error(`the writer did not open the database: ${stderr}`);
      }),
    ]),
    committed,
    exited,
    acknowledged: (n) =>
      Promise.race([
        new Promise<string[]>((resolve) => waiting.push({ n, resolve })),
        exited.then((): never => {
          throw new Error(`the writer stopped: ${stderr}`);
        }),
      ]),
  };
}

async function jobCount(db: Database): Promise<number> {
  const [row] = await db.select({ value: count() }).from(schema.roamJobs);
  return row?.value ?? 0;
}

/** Every acknowledged job is there whole (its items too); the database takes new writes. */
async function expectEveryAcknowledgedWrite(dataDir: string, acknowledged: string[]): Promise<void> {
  const reopened = await openDatabase({ dataDir });
  try {
    for (const id of acknowledged) {
      const stored = await getJob(reopened.db, id);
      expect(stored?.items).toHaveLength(job.usernames.length);
    }
    // The write in flight at the kill is there whole or not at all.
    const jobs = await jobCount(reopened.db);
    expect(jobs).toBeGreaterThanOrEqual(acknowledged.length);
    expect(jobs).toBeLessThanOrEqual(acknowledged.length + 1);
    const [{ items } = { items: 0 }] = await reopened.db.select({ items: count() }).from(schema.roamItems);
    expect(items).toBe(jobs * job.usernames.length);
    // The job in flight, if it committed, is there with its items (counted above); nothing half-written.
    const after = await createJob(reopened.db, { ...job, usernames: ['after001'] });
    expect(await jobExists(reopened.db, after.id)).toBe(true);
  } finally {
    await reopened.close();
  }
}

/** A killed process is gone once the system has reaped it, which may come after its parent's end. */
async function gone(pid: number): Promise<void> {
  while (processRuns(pid)) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the embedded PostgreSQL after SIGKILL', () => {
  it('keeps every acknowledged write when the app and its server are killed mid-write', {
    timeout: CHILD_TEST_TIMEOUT_MS,
  }, async () => {
    const dataDir = path.join(directory, 'killed-group');
    const writer = startWriter(dataDir);
    await writer.opened;
    await writer.acknowledged(ACKNOWLEDGED_BEFORE_KILL);
    // The whole group at once, as the OOM killer or a container's end would: the server gets no checkpoint.
    process.kill(-(writer.child.pid ?? 0), 'SIGKILL');
    await writer.exited;
    await gone(await writer.opened);
    const acknowledged = [...writer.committed];
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_KILL);

    await expectEveryAcknowledgedWrite(dataDir, acknowledged);
  });

  it('stops the server an app killed alone left running, then keeps every acknowledged write', {
    timeout: CHILD_TEST_TIMEOUT_MS,
  }, async () => {
    const dataDir = path.join(directory, 'killed-app');
    const writer = startWriter(dataDir);
    const app = await writer.opened;
    await writer.acknowledged(ACKNOWLEDGED_BEFORE_KILL);
    process.kill(app, 'SIGKILL');
    await writer.exited;
    await gone(app);
    const acknowledged = [...writer.committed];
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    const leftover = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    expect(processRuns(leftover), 'the server outlives an app killed alone').toBe(true);

    await expectEveryAcknowledgedWrite(dataDir, acknowledged);
    expect(processRuns(leftover), 'the next start stopped it').toBe(false);
  });
});

describe('the embedded PostgreSQL on start', () => {
  it('refuses a postgres directory that holds something else, changing nothing', async () => {
    const dataDir = path.join(directory, 'not-a-cluster');
    await mkdir(path.join(dataDir, 'postgres'), { recursive: true });
    await writeFile(path.join(dataDir, 'postgres', 'notes.txt'), 'mine');

    const opening = openDatabase({ dataDir });
    await expect(opening).rejects.toBeInstanceOf(EmbeddedPostgresError);
    await expect(openDatabase({ dataDir })).rejects.toThrow(
      `${path.join(dataDir, 'postgres')} exists but holds no PostgreSQL cluster (no PG_VERSION).`,
    );
    expect(await readdir(path.join(dataDir, 'postgres'))).toEqual(['notes.txt']);
  });

  it('stops its server on close, and the next open finds the data', async () => {
    const dataDir = path.join(directory, 'close');
    const first = await openDatabase({ dataDir });
    const created = await createJob(first.db, job);
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    expect(existsSync(pidFile)).toBe(true);
    await first.close();
    expect(existsSync(pidFile), 'a clean shutdown removes postmaster.pid').toBe(false);

    const second = await openDatabase({ dataDir });
    try {
      expect(await jobExists(second.db, created.id)).toBe(true);
    } finally {
      await second.close();
    }
  });
});

describe('a PGlite database of an earlier version in DATA_DIR', () => {
  /** One PGlite directory (PGlite's initdb takes seconds), copied for each test. */
  let legacySource: Promise<{ jobIds: string[]; userEmail: string }> | undefined;
  const legacySourceDir = () => path.join(directory, 'legacy-source');

  async function createLegacySource(): Promise<{ jobIds: string[]; userEmail: string }> {
    const client = await PGlite.create(legacySourceDir());
    try {
      const db = drizzlePglite({ client, schema });
      await migratePglite(db, { migrationsFolder });
      const jobIds: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const input = {
          ...job,
          createdBy: `admin${index}@example.com`,
          usernames: [`legacy${index}a`, `legacy${index}b`],
        };
        jobIds.push((await createJob(db as unknown as Database, input)).id);
      }
      await db.insert(schema.users).values({
        email: 'ops@example.com',
        role: 'operator',
        passwordHash: 'scrypt$not-a-real-hash',
        createdBy: 'console',
      });
      return { jobIds, userEmail: 'ops@example.com' };
    } finally {
      await client.close();
    }
  }

  async function legacyDirectory(dataDir: string): Promise<{ jobIds: string[]; userEmail: string }> {
    legacySource ??= createLegacySource();
    const contents = await legacySource;
    await mkdir(dataDir, { recursive: true });
    await cp(legacySourceDir(), path.join(dataDir, 'pglite'), { recursive: true });
    return contents;
  }

  it('is copied in once, every row with its values, and kept aside; sequences continue after the copy', {
    timeout: CHILD_TEST_TIMEOUT_MS,
  }, async () => {
    const dataDir = path.join(directory, 'legacy');
    const { jobIds, userEmail } = await legacyDirectory(dataDir);

    const opened = await openDatabase({ dataDir });
    try {
      for (const id of jobIds) {
        const stored = await getJob(opened.db, id);
        expect(stored?.items.map((item) => item.username).sort()).toEqual([
          `legacy${jobIds.indexOf(id)}a`,
          `legacy${jobIds.indexOf(id)}b`,
        ]);
        expect(stored?.createdBy).toMatch(/^admin\d@example\.com$/);
      }
      const [user] = await opened.db.select().from(schema.users).where(eq(schema.users.email, userEmail));
      expect(user?.role).toBe('operator');
      // New rows after the copy: ids and sequences do not collide with the copied ones.
      expect(await jobExists(opened.db, (await createJob(opened.db, job)).id)).toBe(true);
      await opened.db.execute(sql`SELECT 1`);
    } finally {
      await opened.close();
    }
    const entries = await readdir(dataDir);
    expect(entries).not.toContain('pglite');
    expect(entries.some((name) => name.startsWith('pglite.imported-'))).toBe(true);

    // A second open does not copy again.
    const again = await openDatabase({ dataDir });
    try {
      expect(await jobCount(again.db)).toBe(jobIds.length + 1);
    } finally {
      await again.close();
    }
  });

  it('is never copied over a database that holds data: it is set aside', {
    timeout: CHILD_TEST_TIMEOUT_MS,
  }, async () => {
    const dataDir = path.join(directory, 'legacy-late');
    const first = await openDatabase({ dataDir });
    await createJob(first.db, job);
    await first.close();
    await legacyDirectory(dataDir);

    const opened = await openDatabase({ dataDir });
    try {
      expect(await jobCount(opened.db)).toBe(1);
    } finally {
      await opened.close();
    }
    expect((await readdir(dataDir)).some((name) => name.startsWith('pglite.imported-'))).toBe(true);
  });
});
