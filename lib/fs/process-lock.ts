import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { link, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';

/**
 * A directory that one process at a time may use (the embedded database's DATA_DIR, the emulator's state):
 * a lock file holding the owner's pid, host and a token, removed on release or when the process exits.
 *
 * The lock is written whole to a file of its own and linked into place (a link fails when the name exists),
 * so a lock file is never half-written by this code. A lock left by a process that died (a crash, SIGKILL) is
 * taken over when that pid no longer runs on this host; a lock of another host cannot be checked from here
 * and is refused. A file that is not a lock of ours (empty, cut short by a crash of an older version that
 * wrote in place) is taken over once it is older than a few seconds, and counts as held before.
 */

export interface LockHolder {
  /** 0 when the lock is being written at this moment (its owner is not known yet). */
  pid: number;
  hostname: string;
  /** The process asking holds the lock itself. */
  thisProcess: boolean;
  lockFile: string;
}

/** The lock is held by a live process (or one of another host, or this process). */
export class LockHeldError extends Error {
  constructor(readonly holder: LockHolder) {
    super(`${holder.lockFile} is held by process ${holder.pid} on ${holder.hostname}`);
    this.name = 'LockHeldError';
  }
}

/** By name, not instanceof: Next.js may load this module once per server bundle. */
export function isLockHeldError(error: unknown): error is LockHeldError {
  return error instanceof Error && error.name === 'LockHeldError' && 'holder' in error;
}

/** A file that is not a complete lock and younger than this may be one being written by an older version. */
const UNREADABLE_LOCK_GRACE_MS = 5_000;

const TAKE_ATTEMPTS = 5;

interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  /** Tells this lock from a later one of the same pid (a restarted container reuses pids). */
  token: string;
}

// Every bundle of the process (Next.js loads server modules in several) must see the same held locks.
const HELD_LOCKS_KEY = Symbol.for('sag-roam.process-locks');
type HeldLocksGlobal = typeof globalThis & { [HELD_LOCKS_KEY]?: Map<string, LockOwner> };

function heldLocks(): Map<string, LockOwner> {
  const holder = globalThis as HeldLocksGlobal;
  holder[HELD_LOCKS_KEY] ??= new Map();
  return holder[HELD_LOCKS_KEY];
}

/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseLockOwner(text: string): LockOwner | null {
  try {
    const value = JSON.parse(text) as Partial<LockOwner> | null;
    if (
      value &&
      Number.isSafeInteger(value.pid) &&
      (value.pid ?? 0) > 0 &&
      typeof value.hostname === 'string' &&
      typeof value.token === 'string'
    ) {
      return value as LockOwner;
    }
  } catch {
    // Not a lock we wrote completely.
  }
  return null;
}

type LockState = { kind: 'free' } | { kind: 'held'; holder: LockHolder } | { kind: 'stale'; text: string };

async function lockState(lockFile: string): Promise<LockState> {
  let text: string;
  try {
    text = await readFile(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'free' };
    throw error;
  }
  const owner = parseLockOwner(text);
  if (!owner) {
    const age = await stat(lockFile).then(
      (stats) => Date.now() - stats.mtimeMs,
      () => Number.POSITIVE_INFINITY,
    );
    return age < UNREADABLE_LOCK_GRACE_MS
      ? { kind: 'held', holder: { pid: 0, hostname: os.hostname(), thisProcess: false, lockFile } }
      : { kind: 'stale', text };
  }
  const thisProcess = heldLocks().get(lockFile)?.token === owner.token;
  const holder = { pid: owner.pid, hostname: owner.hostname, thisProcess, lockFile };
  if (owner.hostname !== os.hostname()) return { kind: 'held', holder };
  // The same pid as ours but not our lock: left by an earlier process that had this pid (a restart).
  const alive = thisProcess || (owner.pid !== process.pid && processRuns(owner.pid));
  return alive ? { kind: 'held', holder } : { kind: 'stale', text };
}

/** Who holds the lock now, if anyone (a stale lock counts as nobody). */
export async function findLockHolder(lockFile: string): Promise<LockHolder | null> {
  const state = await lockState(lockFile);
  return state.kind === 'held' ? state.holder : null;
}

/**
 * Takes the lock, or throws LockHeldError (or the file system's error). Resolves with its release, which is
 * synchronous and idempotent and also runs when the process exits.
 */
export async function takeProcessLock(lockFile: string): Promise<() => void> {
  const owner: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    token: randomUUID(),
  };
  const written = `${lockFile}.${owner.token}`;
  try {
    await writeFile(written, JSON.stringify(owner), { mode: 0o600, flush: true });
    for (let attempt = 0; attempt < TAKE_ATTEMPTS; attempt += 1) {
      const held = heldLocks().get(lockFile);
      if (held) {
        throw new LockHeldError({ pid: held.pid, hostname: held.hostname, thisProcess: true, lockFile });
      }
      try {
        await link(written, lockFile);
        return holdLock(lockFile, owner);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const state = await lockState(lockFile);
      if (state.kind === 'held') throw new LockHeldError(state.holder);
      if (state.kind === 'stale') await removeStaleLock(lockFile, state.text);
    }
    throw new Error(`Could not take the lock ${lockFile}: other processes keep taking and leaving it.`);
  } finally {
    await rm(written, { force: true });
  }
}

/**
 * Moves a stale lock out of the way. Renamed first, then compared: if another process replaced the stale
 * lock with its own meanwhile, that lock is put back instead of deleted.
 */
async function removeStaleLock(lockFile: string, staleText: string): Promise<void> {
  const aside = `${lockFile}.stale-${process.pid}-${randomUUID()}`;
  try {
    await rename(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if ((await readFile(aside, 'utf8')) !== staleText) {
      try {
        await link(aside, lockFile);
      } catch (error) {
        // EEXIST: yet another lock is in place, and it stays.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  } finally {
    await rm(aside, { force: true });
  }
}

function holdLock(lockFile: string, owner: LockOwner): () => void {
  heldLocks().set(lockFile, owner);
  // Synchronous, so that it also runs from process.exit(); only our own lock is removed.
  const release = () => {
    process.off('exit', release);
    if (heldLocks().get(lockFile)?.token !== owner.token) return;
    heldLocks().delete(lockFile);
    try {
      if (parseLockOwner(readFileSync(lockFile, 'utf8'))?.token === owner.token) rmSync(lockFile);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', release);
  return release;
}
