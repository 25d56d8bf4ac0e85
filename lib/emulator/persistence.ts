import { type FileHandle, mkdir, open, readFile, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isLockHeldError, takeProcessLock } from '../fs/process-lock';
import { syncDirectory } from '../fs/sync-directory';
import type { AccountView } from './model';
import type { AccountChange, AccountsByInstance, EmulatorStore } from './state';

export const STATE_FILE = 'state.json';
export const JOURNAL_FILE = 'journal.jsonl';
export const LOCK_FILE = 'lock';
const SNAPSHOT_VERSION = 1;
/** Journal lines before they are folded into a new snapshot (a snapshot of the seed is about 90 kB). */
export const COMPACT_AFTER_CHANGES = 5_000;

export interface StateLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** The saved state cannot be used, and setting it aside would not help: the start is refused. */
export class EmulatorStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorStateError';
  }
}

/** Content that was written but cannot be trusted. */
class UnreadableStateError extends Error {}

export interface SavedState {
  readonly dir: string;
  /** Resolves once every change made so far is on disk; rejects once a write has failed. */
  durable(): Promise<void>;
  /** Set once a write failed: the emulator then answers 503 (server.ts) until it is restarted. */
  readonly failure: Error | undefined;
  close(): Promise<void>;
}

type JournalEntry = AccountChange & { seq: number };

interface Snapshot {
  version: typeof SNAPSHOT_VERSION;
  seq: number;
  savedAt: string;
  instances: AccountsByInstance;
}

/** Loads the saved state into `store` (which holds its seed), then records every later change of it. */
export async function openSavedState(
  dir: string,
  store: EmulatorStore,
  logger: StateLogger,
): Promise<SavedState> {
  const directory = path.resolve(dir);
  try {
    // Only the state directory itself is private: a DATA_DIR created here must stay enterable by the user the
    // embedded PostgreSQL runs as (lib/db/embedded-postgres.ts, when the app runs as root).
    await mkdir(path.dirname(directory), { recursive: true });
    await mkdir(directory, { mode: 0o700 }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    });
  } catch (error) {
    throw new EmulatorStateError(
      `The SAG emulator cannot create its state directory ${directory}: ${why(error)}`,
    );
  }
  const releaseLock = await lockStateDirectory(directory);
  try {
    const loaded = await loadInto(directory, store, logger);
    const journal = await openJournal(directory, loaded.foldIntoSnapshot ? { seq: loaded.seq, store } : null);
    const saved = new JournalWriter(directory, store, journal, loaded.seq, logger, releaseLock);
    store.onChange = (change) => saved.record(change);
    logger.info(
      `[sag-emulator] accounts kept in ${directory}${
        loaded.from === 'seed'
          ? ' (starting from the seed)'
          : ` (restored, ${loaded.replayed} change(s) replayed)`
      }`,
    );
    return saved;
  } catch (error) {
    releaseLock();
    throw error;
  }
}

// ----- loading ---------------------------------------------------------------------------------

interface Loaded {
  from: 'seed' | 'saved';
  seq: number;
  replayed: number;
  /** The journal holds lines (or a cut-off one) that a new snapshot should replace. */
  foldIntoSnapshot: boolean;
}

async function loadInto(directory: string, store: EmulatorStore, logger: StateLogger): Promise<Loaded> {
  const snapshotText = await readIfThere(path.join(directory, STATE_FILE));
  const journalText = await readIfThere(path.join(directory, JOURNAL_FILE));
  if (snapshotText === undefined && (journalText ?? '') === '') {
    return { from: 'seed', seq: 0, replayed: 0, foldIntoSnapshot: false };
  }
  try {
    const snapshot = snapshotText === undefined ? undefined : parseSnapshot(snapshotText);
    const journal = parseJournal(journalText ?? '');
    const dropped = new Set<string>();
    if (snapshot) for (const smartAgId of store.restoreAccounts(snapshot.instances)) dropped.add(smartAgId);
    let seq = snapshot?.seq ?? 0;
    let replayed = 0;
    for (const entry of journal.entries) {
      // Lines a snapshot written after them already holds (a crash between its rename and the journal's truncation).
      if (entry.seq <= seq) continue;
      if (!store.applyChange(entry) && entry.op !== 'reset') dropped.add(entry.smartAgId);
      seq = entry.seq;
      replayed += 1;
    }
    if (journal.cutOff) {
      logger.warn(
        `[sag-emulator] ${path.join(directory, JOURNAL_FILE)} ended in a change cut off by a crash; it was never answered and is dropped`,
      );
    }
    if (dropped.size > 0) {
      logger.warn(
        `[sag-emulator] the saved state names instance(s) this emulator's seed has no APP instance for (${[...dropped].join(', ')}); their accounts are dropped`,
      );
    }
    return {
      from: 'saved',
      seq,
      replayed,
      foldIntoSnapshot: journal.entries.length > 0 || journal.cutOff || dropped.size > 0,
    };
  } catch (error) {
    if (!(error instanceof UnreadableStateError)) throw error;
    const aside = await setAside(directory);
    store.reset();
    logger.warn(
      `[sag-emulator] the saved state in ${directory} cannot be read (${error.message}); it was moved to ${aside} and the emulator starts from its seed, so accounts roamed or deleted before are back as the seed has them (the app's history still lists those jobs). To start the jobs and the emulator afresh together, stop the app and delete its DATA_DIR.`,
    );
    return { from: 'seed', seq: 0, replayed: 0, foldIntoSnapshot: false };
  }
}

async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EmulatorStateError(
      `The SAG emulator cannot read its saved state ${file}: ${why(error)}. Make it readable by this user, or stop the app and delete its DATA_DIR to start the jobs and the emulator afresh.`,
    );
  }
}

/** Both files go to `corrupt-<time>` beside them, kept for a look and never read again. */
async function setAside(directory: string): Promise<string> {
  const aside = path.join(directory, `corrupt-${new Date().toISOString().replaceAll(':', '-')}`);
  try {
    await mkdir(aside, { recursive: true });
    for (const name of [STATE_FILE, JOURNAL_FILE]) {
      await rename(path.join(directory, name), path.join(aside, name)).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
    }
    await syncDirectory(directory);
  } catch (error) {
    throw new EmulatorStateError(
      `The SAG emulator's saved state in ${directory} cannot be read, and could not be moved aside to ${aside}: ${why(error)}`,
    );
  }
  return aside;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UnreadableStateError(`${what} is not valid JSON`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSequence(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function parseAccount(value: unknown): AccountView | null {
  if (!isRecord(value)) return null;
  const { userName, userMail, bandwidthKbps, clientIp, isStaticIp, state, roamedFrom } = value;
  if (
    typeof userName !== 'string' ||
    userName === '' ||
    typeof userMail !== 'string' ||
    typeof bandwidthKbps !== 'number' ||
    !Number.isFinite(bandwidthKbps) ||
    bandwidthKbps < 0 ||
    typeof clientIp !== 'string' ||
    typeof isStaticIp !== 'boolean' ||
    (state !== 0 && state !== 1) ||
    (roamedFrom !== undefined && typeof roamedFrom !== 'string') ||
    (value.usedThisMonth !== undefined && value.usedThisMonth !== true) ||
    (value.connectsWhenRoamed !== undefined && value.connectsWhenRoamed !== true)
  ) {
    return null;
  }
  return {
    userName,
    userMail,
    bandwidthKbps,
    clientIp,
    isStaticIp,
    state,
    ...(roamedFrom === undefined ? {} : { roamedFrom }),
    ...(value.usedThisMonth ? { usedThisMonth: true as const } : {}),
    ...(value.connectsWhenRoamed ? { connectsWhenRoamed: true as const } : {}),
  };
}

function parseSnapshot(text: string): { seq: number; instances: AccountsByInstance } {
  const value = parseJson(text, STATE_FILE);
  if (!isRecord(value) || value.version !== SNAPSHOT_VERSION) {
    throw new UnreadableStateError(`${STATE_FILE} is not a version ${SNAPSHOT_VERSION} state`);
  }
  if (!isSequence(value.seq) || !isRecord(value.instances)) {
    throw new UnreadableStateError(`${STATE_FILE} has no change number or no instances`);
  }
  const instances: AccountsByInstance = {};
  for (const [smartAgId, list] of Object.entries(value.instances)) {
    if (!Array.isArray(list))
      throw new UnreadableStateError(`${STATE_FILE}: ${smartAgId} has no account list`);
    const accounts = list.map(parseAccount);
    const names = new Set<string>();
    for (const account of accounts) {
      if (!account || names.has(account.userName)) {
        throw new UnreadableStateError(`${STATE_FILE}: an account of ${smartAgId} is malformed or twice`);
      }
      names.add(account.userName);
    }
    instances[smartAgId] = accounts as AccountView[];
  }
  return { seq: value.seq, instances };
}

function parseEntry(value: unknown): JournalEntry | null {
  if (!isRecord(value) || !isSequence(value.seq)) return null;
  const { seq, op, smartAgId } = value;
  if (op === 'reset') return { seq, op };
  if (typeof smartAgId !== 'string') return null;
  if (op === 'delete')
    return typeof value.userName === 'string' ? { seq, op, smartAgId, userName: value.userName } : null;
  if (op !== 'put') return null;
  const account = parseAccount(value.account);
  return account ? { seq, op, smartAgId, account } : null;
}

/**
 * The journal's changes in order. A last line without its newline that does not parse is a write a crash cut
 * off (`cutOff`); any other line that does not parse, or numbers that do not grow, make the journal unreadable.
 */
function parseJournal(text: string): { entries: JournalEntry[]; cutOff: boolean } {
  const lines = text.split('\n');
  const entries: JournalEntry[] = [];
  for (const [index, line] of lines.entries()) {
    const isLast = index === lines.length - 1;
    // A crash may leave the file longer than what was written, filled with zeros.
    if (line.replaceAll('\u0000', '').trim() === '') {
      if (isLast) break;
      throw new UnreadableStateError(`${JOURNAL_FILE} line ${index + 1} is empty`);
    }
    let entry: JournalEntry | null;
    try {
      entry = parseEntry(JSON.parse(line));
    } catch {
      if (isLast) return { entries, cutOff: true };
      entry = null;
    }
    if (!entry) throw new UnreadableStateError(`${JOURNAL_FILE} line ${index + 1} is not a change`);
    const previous = entries.at(-1);
    if (previous && entry.seq <= previous.seq) {
      throw new UnreadableStateError(`${JOURNAL_FILE} line ${index + 1} is out of order`);
    }
    entries.push(entry);
  }
  return { entries, cutOff: false };
}

// ----- writing ---------------------------------------------------------------------------------

async function writeSnapshot(directory: string, seq: number, store: EmulatorStore): Promise<void> {
  const snapshot: Snapshot = {
    version: SNAPSHOT_VERSION,
    seq,
    savedAt: new Date().toISOString(),
    instances: store.savedAccounts(),
  };
  const temporary = path.join(directory, `${STATE_FILE}.${process.pid}.tmp`);
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(snapshot));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path.join(directory, STATE_FILE));
  await syncDirectory(directory);
}

/** The journal, open for appending; emptied after a new snapshot holds what it had (`fold`). */
async function openJournal(
  directory: string,
  fold: { seq: number; store: EmulatorStore } | null,
): Promise<FileHandle> {
  try {
    if (fold) await writeSnapshot(directory, fold.seq, fold.store);
    const journal = await open(path.join(directory, JOURNAL_FILE), 'a', 0o600);
    try {
      if (fold) {
        await journal.truncate(0);
        await journal.datasync();
      }
      // The journal's own entry in the directory must outlive a crash too.
      await syncDirectory(directory);
    } catch (error) {
      await journal.close();
      throw error;
    }
    return journal;
  } catch (error) {
    throw new EmulatorStateError(`The SAG emulator cannot write its state in ${directory}: ${why(error)}`);
  }
}

class JournalWriter implements SavedState {
  failure: Error | undefined;
  private pending: string[] = [];
  private waiters: { seq: number; resolve: () => void; reject: (error: Error) => void }[] = [];
  private durableSeq: number;
  private linesSinceSnapshot = 0;
  private draining = false;
  private drained: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly dir: string,
    private readonly store: EmulatorStore,
    private readonly journal: FileHandle,
    private seq: number,
    private readonly logger: StateLogger,
    private readonly releaseLock: () => void,
  ) {
    this.durableSeq = seq;
  }

  record(change: AccountChange): void {
    if (this.closed || this.failure) return;
    this.seq += 1;
    this.pending.push(`${JSON.stringify({ seq: this.seq, ...change })}\n`);
    if (!this.draining) {
      this.draining = true;
      this.drained = this.drain();
    }
  }

  durable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.seq;
    if (this.durableSeq >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.drained;
    this.closed = true;
    this.store.onChange = undefined;
    await this.journal.close().catch(() => {});
    this.releaseLock();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const lines = this.pending;
        const upTo = this.seq;
        this.pending = [];
        await this.journal.write(lines.join(''));
        await this.journal.datasync();
        this.linesSinceSnapshot += lines.length;
        this.settle(upTo);
        if (this.linesSinceSnapshot >= COMPACT_AFTER_CHANGES) await this.compact();
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.draining = false;
    }
  }

  /** A new snapshot of the accounts as they are now (changes still to be written included), then an empty journal. */
  private async compact(): Promise<void> {
    const upTo = this.seq;
    await writeSnapshot(this.dir, upTo, this.store);
    await this.journal.truncate(0);
    await this.journal.datasync();
    this.linesSinceSnapshot = 0;
    this.settle(upTo);
  }

  private settle(upTo: number): void {
    this.durableSeq = Math.max(this.durableSeq, upTo);
    const ready = this.waiters.filter((waiter) => waiter.seq <= this.durableSeq);
    this.waiters = this.waiters.filter((waiter) => waiter.seq > this.durableSeq);
    for (const waiter of ready) waiter.resolve();
  }

  private fail(error: unknown): void {
    this.failure = new EmulatorStateError(
      `The SAG emulator could not save a change of its accounts in ${this.dir}: ${why(error)}`,
    );
    this.pending = [];
    this.logger.warn(
      `[sag-emulator] ${this.failure.message}. The calls waiting for it get no answer (their outcome is unknown to the app, which checks the target), and every later call is answered 503 ServiceUnavailable until the emulator is restarted.`,
    );
    for (const waiter of this.waiters) waiter.reject(this.failure);
    this.waiters = [];
  }
}

// ----- one process at a time -------------------------------------------------------------------

/** One emulator at a time on a state directory (lib/fs/process-lock.ts). */
async function lockStateDirectory(directory: string): Promise<() => void> {
  try {
    return await takeProcessLock(path.join(directory, LOCK_FILE));
  } catch (error) {
    if (isLockHeldError(error)) {
      const { pid, hostname, thisProcess, lockFile } = error.holder;
      const sameHost = hostname === os.hostname();
      const who =
        pid === 0
          ? 'another process starting at this moment'
          : `process ${pid}${thisProcess ? ' (this process)' : sameHost ? '' : ` on host ${hostname}`}`;
      throw new EmulatorStateError(
        `The SAG emulator's state in ${directory} is in use by ${who}: one emulator at a time. Stop that one first${
          sameHost ? '' : `, or delete ${lockFile} if it no longer runs`
        }.`,
      );
    }
    throw new EmulatorStateError(
      `The SAG emulator cannot lock its state directory ${directory}: ${why(error)}`,
    );
  }
}

function why(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.startsWith(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
