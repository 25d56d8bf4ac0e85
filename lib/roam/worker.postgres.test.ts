import { sql } from 'drizzle-orm';
import { openDatabase } from '@/lib/db/database';
import { startTestPostgres } from '@/lib/testing/postgres';
import { describeRoamWorker } from './worker.suite';

describeRoamWorker('PostgreSQL', async () => {
  const server = await startTestPostgres();
  return {
    open: () => openDatabase({ databaseUrl: server.databaseUrl }),
    clear: async ({ db }) => {
      await db.execute(sql`TRUNCATE roam_attempts, roam_items, roam_jobs`);
    },
    dispose: () => server.stop(),
  };
});
