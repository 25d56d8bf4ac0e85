import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../database';
import { describeJobsRepository } from './jobs.suite';

describeJobsRepository('PGlite', async () => {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'sag-roam-pglite-'));
  const { db, close } = await openDatabase({ dataDir: directory });
  return {
    db,
    // One embedded instance per process: its queries are serialised, so both workers share it.
    otherDb: db,
    close: async () => {
      await close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});
