import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '@/lib/db/database';
import { describeRoamWorker } from './worker.suite';

describeRoamWorker('PGlite', async () => {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'sag-roam-worker-'));
  return {
    // A real data directory, closed and reopened to simulate a restart.
    open: () => openDatabase({ dataDir: directory }),
    clear: async ({ db }) => {
      await db.execute(sql`TRUNCATE roam_attempts, roam_items, roam_jobs`);
    },
    dispose: () => rm(directory, { recursive: true, force: true }),
  };
});
