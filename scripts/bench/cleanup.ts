// Everything the bench starts or creates (child processes, temporary directories, in-process servers and
// databases) is registered here and undone on every way out: a normal end, a failed section, an uncaught
// error, Ctrl-C or SIGTERM. Children are started in their own process group, so that stopping one also ends
// what it started (the workers of `next build`, the Chromium of Lighthouse) and nothing else.
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { reachableTempDir } from '@/lib/testing/temp-dir';

const children = new Set<ChildProcess>();
const directories = new Set<string>();
const closers: { name: string; close: () => Promise<void> }[] = [];
let installed = false;

/** A fresh directory under the system's temporary directory, removed at the end whatever happens. */
export function tempDir(purpose: string): string {
  const directory = reachableTempDir(`sag-roam-bench-${purpose}-`);
  directories.add(directory);
  return directory;
}

export function removeTempDir(directory: string): void {
  rmSync(directory, { recursive: true, force: true, maxRetries: 3 });
  directories.delete(directory);
}

/** Registers an asynchronous release (an emulator, a database, a browser); run last-in first-out. */
export function onCleanup(name: string, close: () => Promise<void>): () => Promise<void> {
  const entry = { name, close };
  closers.push(entry);
  return async () => {
    const index = closers.indexOf(entry);
    if (index < 0) return;
    closers.splice(index, 1);
    await close();
  };
}

/** `spawn` in a new process group, tracked until it exits. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // The negative id addresses the group this child leads (it was spawned detached).
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** SIGTERM to the child's group, then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([exited, killed]);
  clearTimeout(timer);
  // After SIGKILL the exit event follows at once; bound the wait anyway.
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
}

/** Releases everything still registered. Safe to call more than once. */
export async function cleanupAll(): Promise<void> {
  while (closers.length > 0) {
    const entry = closers.pop();
    if (!entry) break;
    try {
      await withTimeout(entry.close(), 15_000, `closing ${entry.name}`);
    } catch (error) {
      console.error(`bench: could not close ${entry.name}: ${errorMessage(error)}`);
    }
  }
  await Promise.all([...children].map((child) => stopChild(child)));
  for (const directory of [...directories]) removeTempDir(directory);
}

/** Last resort when the process is leaving without the asynchronous clean-up having run. */
function cleanupSync(): void {
  for (const child of children) signalGroup(child, 'SIGKILL');
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
}

export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  process.once('exit', cleanupSync);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, stopping what was started ...`);
      const force = setTimeout(() => process.exit(code), 20_000);
      force.unref();
      cleanupAll().finally(() => process.exit(code));
    });
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
