// Real app processes for the resilience specs: `next start` of the production build in `.next` (built by
// Playwright's webServer), each on its own free port on 127.0.0.1, with its own log file, killed by process
// group. Also the repository, loaded in Playwright's runner, and bounded polling of real state.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';

const repositoryRoot = path.join(__dirname, '..');
const localRequire = createRequire(__filename);
const nextBin = localRequire.resolve('next/dist/bin/next');

/**
 * lib/db imports `server-only`, which throws outside a React Server environment (Next.js resolves it with the
 * `react-server` condition, Vitest aliases it). Playwright's runner is plain Node: register its empty module
 * before loading the repository, as the `react-server` condition would.
 */
export function allowServerOnlyModules(): void {
  const resolved = localRequire.resolve('server-only');
  if (localRequire.cache[resolved]) return;
  const empty = new Module(resolved);
  empty.filename = resolved;
  empty.loaded = true;
  empty.exports = {};
  localRequire.cache[resolved] = empty;
}

/**
 * The database layer the app itself uses (lib/db), loaded on first use with require: Playwright compiles
 * TypeScript and maps `@/` for require, not for a native dynamic import.
 */
export function loadRepository() {
  allowServerOnlyModules();
  const database = localRequire('@/lib/db/database') as typeof import('@/lib/db/database');
  const jobs = localRequire('@/lib/db/jobs') as typeof import('@/lib/db/jobs');
  return { openDatabase: database.openDatabase, ...jobs };
}

export async function freePort(): Promise<number> {
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

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs` with what it waited for. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs, intervalMs = 100 }: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface AppProcess {
  name: string;
  url: string;
  pid: number;
  logFile: string;
  /** Everything the process wrote so far. */
  log(): string;
  /** Resolves with the exit code (or null after a signal) once the process is gone. */
  exited: Promise<number | null>;
  /** SIGKILL to the whole process group: a crash, with no chance to clean up. */
  crash(): Promise<void>;
  /** SIGTERM to the server, as a rolling update sends it; resolves with its exit code once it has exited. */
  terminate(): Promise<number | null>;
}

const started = new Set<{ child: ChildProcess; exited: Promise<number | null> }>();

/**
 * Starts `next start` on a free port with exactly `env` on top of a minimal environment (no variable of the
 * runner leaks in), and waits until it serves pages and its runtime (database, SAG client, roam worker) is up.
 */
export async function startApp(options: {
  name: string;
  env: Record<string, string>;
  logDir: string;
  readyTimeoutMs?: number;
  /** A port chosen beforehand, for an app that must know its own address (APP_URL); a free one by default. */
  port?: number;
}): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const output = openSync(logFile, 'a');
  // node + next's bin, not npx: the PID is the server's own, so a kill is a crash of the server itself. A
  // process group of its own lets the kill reach anything it may spawn.
  const child = spawn(
    process.execPath,
    [nextBin, 'start', '--hostname', '127.0.0.1', '--port', String(port)],
    {
      cwd: repositoryRoot,
      detached: true,
      stdio: ['ignore', output, output],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: options.logDir,
        LANG: 'C.UTF-8',
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
        ...options.env,
      },
    },
  );
  closeSync(output);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const entry = { child, exited };
  started.add(entry);
  void exited.then(() => started.delete(entry));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name} did not start`);

  const log = () => readFileSync(logFile, 'utf8');
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  await waitFor(
    `${options.name} to serve ${url}/sign-in and start its roam worker`,
    async () => {
      if (gone) throw new Error(`${options.name} exited early:\n${log().slice(-3_000)}`);
      if (!/^sag-roam: .*worker:/m.test(log())) return undefined;
      const response = await fetch(`${url}/sign-in`, { redirect: 'manual' });
      return response.status === 200 ? true : undefined;
    },
    { timeoutMs: options.readyTimeoutMs ?? 60_000, intervalMs: 100 },
  ).catch((error: unknown) => {
    if (gone) throw new Error(`${options.name} exited early:\n${log().slice(-3_000)}`);
    throw error;
  });

  return {
    name: options.name,
    url,
    pid,
    logFile,
    log,
    exited,
    async crash() {
      killGroup(pid);
      await exited;
    },
    async terminate() {
      process.kill(pid, 'SIGTERM');
      return exited;
    },
  };
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Kills every app process this module started that is still running (for afterAll, also after a failure). */
export async function killAllApps(): Promise<void> {
  const running = [...started];
  for (const { child } of running) if (child.pid !== undefined) killGroup(child.pid);
  await Promise.all(running.map(({ exited }) => exited));
}
