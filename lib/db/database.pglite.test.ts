import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAppliedMigrations, jobExists, migrationCount } from '@/lib/testing/database-contents';
import { openDatabase } from './database';
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

describe('openDatabase with embedded PGlite', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'sag-roam-pglite-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('creates the data directory, keeps jobs across a restart and migrates only once', async () => {
    const dataDir = path.join(directory, 'nested', 'data');

    const first = await openDatabase({ dataDir });
    expect(first.driver).toBe('pglite');
    expect(existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
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

  it('keeps an in-memory database off the disk', async () => {
    const memory = await openDatabase({ memory: true });
    try {
      const created = await createJob(memory.db, job);
      expect(await jobExists(memory.db, created.id)).toBe(true);
    } finally {
      await memory.close();
    }
  });
});
