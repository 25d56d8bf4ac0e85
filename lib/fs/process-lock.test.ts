import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findLockHolder, isLockHeldError, takeProcessLock } from './process-lock';

// The callers' own suites (lib/db/database.embedded.test.ts, lib/emulator/persistence.test.ts) cover other
// processes, crashes and hosts; these are the rules both rely on.
describe('a process lock', () => {
  let directory = '';
  let lockFile = '';
  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'sag-roam-lock-'));
    lockFile = path.join(directory, 'lock');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('goes to exactly one of many takers at once, and leaves no file but the lock', async () => {
    const takes = await Promise.allSettled(Array.from({ length: 8 }, () => takeProcessLock(lockFile)));
    const taken = takes.filter((take) => take.status === 'fulfilled');
    expect(taken).toHaveLength(1);
    for (const take of takes) {
      if (take.status === 'rejected') {
        expect(isLockHeldError(take.reason)).toBe(true);
        expect(take.reason.holder).toMatchObject({ pid: process.pid, thisProcess: true, lockFile });
      }
    }
    expect(readdirSync(directory)).toEqual(['lock']);
    expect(await findLockHolder(lockFile)).toMatchObject({ pid: process.pid, thisProcess: true });

    const release = (taken[0] as PromiseFulfilledResult<() => void>).value;
    release();
    release();
    expect(existsSync(lockFile)).toBe(false);
    expect(await findLockHolder(lockFile)).toBeNull();
    (await takeProcessLock(lockFile))();
  });

  it('never removes a lock that is not its own on release', async () => {
    const release = await takeProcessLock(lockFile);
    const other = JSON.stringify({ pid: 1, hostname: 'another-host.example', startedAt: '', token: 'other' });
    await writeFile(lockFile, other);
    release();
    expect(existsSync(lockFile)).toBe(true);
    await expect(takeProcessLock(lockFile)).rejects.toMatchObject({
      holder: { pid: 1, hostname: 'another-host.example', thisProcess: false },
    });
  });
});
