// A PostgreSQL server for integration tests: TEST_DATABASE_URL when set, otherwise a throwaway cluster
// started from Debian's PostgreSQL binaries in a temporary directory. Every suite gets its own database.
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

export interface TestPostgres {
  /** A fresh, empty database of its own. */
  databaseUrl: string;
  /** Another fresh database on the same server. */
  createDatabase(): Promise<string>;
  /** Drops the databases, and stops and deletes the cluster if this helper started it. */
  stop(): Promise<void>;
  /**
   * Stops the server and starts it again on the same port after `downMs` (an outage), when this helper started
   * it; undefined for an external TEST_DATABASE_URL, which the tests may not stop.
   */
  outage: ((downMs: number) => Promise<void>) | undefined;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.TEST_DATABASE_URL;
  const cluster = external ? undefined : await startCluster();
  const adminUrl = external ?? cluster?.url;
  if (!adminUrl) throw new Error('No PostgreSQL server to test against');

  const created: string[] = [];
  const createDatabase = async () => {
    const name = `sag_roam_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
    created.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };

  try {
    const databaseUrl = await createDatabase();
    return {
      databaseUrl,
      createDatabase,
      outage: cluster?.outage,
      stop: async () => {
        if (cluster) {
          await cluster.stop();
          return;
        }
        await withClient(adminUrl, async (client) => {
          for (const name of created) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        });
      },
    };
  } catch (error) {
    await cluster?.stop();
    throw error;
  }
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

interface Cluster {
  url: string;
  stop(): Promise<void>;
  outage(downMs: number): Promise<void>;
}

const missingBinaries =
  'PostgreSQL server binaries not found under /usr/lib/postgresql/<version>/bin. ' +
  "Install Debian's postgresql: apt-get install -y postgresql (or set TEST_DATABASE_URL to a server you own).";

function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(path.join(root, version, 'bin', 'initdb')))
        .sort((left, right) => Number.parseFloat(right) - Number.parseFloat(left))
    : [];
  const newest = versions[0];
  if (!newest) throw new Error(missingBinaries);
  return path.join(root, newest, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No free port')),
      );
    });
  });
}

async function startCluster(): Promise<Cluster> {
  const binDir = findBinDir();
  const isRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: the cluster belongs to the `postgres` OS user that Debian's package creates.
  const asOwner = (binary: string, args: string[]): [string, string[]] =>
    isRoot
      ? ['runuser', ['-u', 'postgres', '--', path.join(binDir, binary), ...args]]
      : [path.join(binDir, binary), args];

  const directory = await mkdtemp(path.join(os.tmpdir(), 'sag-roam-pg-'));
  const dataDir = path.join(directory, 'data');
  const logFile = path.join(directory, 'postgres.log');
  const exec = async (binary: string, args: string[]) => {
    const [command, commandArgs] = asOwner(binary, args);
    // cwd: the postgres user may not be allowed to read the directory the tests run from.
    return run(command, commandArgs, { cwd: directory, env: { ...process.env, LC_ALL: 'C' } });
  };
  const stopNow = () => {
    const [command, args] = asOwner('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']);
    spawnSync(command, args, { cwd: directory, stdio: 'ignore' });
  };
  const cleanUp = async () => {
    process.off('exit', stopNow);
    if (existsSync(path.join(dataDir, 'postmaster.pid'))) stopNow();
    await rm(directory, { recursive: true, force: true });
  };

  try {
    if (isRoot) await run('chown', ['postgres:postgres', directory]);
    await exec('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    // A stray cluster must not outlive a test process that dies without its afterAll.
    process.once('exit', stopNow);
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const port = await freePort();
      const options = [
        `-c listen_addresses=127.0.0.1`,
        `-c port=${port}`,
        `-c unix_socket_directories=${directory}`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=100',
      ].join(' ');
      try {
        const start = () =>
          exec('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '30', '-o', options]);
        await start();
        return {
          url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
          stop: cleanUp,
          async outage(downMs: number) {
            // Fast: the server ends every session, as a restart or failover would.
            await exec('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w']);
            await new Promise((resolve) => setTimeout(resolve, downMs));
            await start();
          },
        };
      } catch (error) {
        // Another process may have taken the port between the probe and the start: try another one.
        lastError = error;
      }
    }
    const log = await readFile(logFile, 'utf8').catch(() => '');
    throw new Error(
      `Could not start the test PostgreSQL cluster: ${String(lastError)}\n${log.slice(-2_000)}`,
    );
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
