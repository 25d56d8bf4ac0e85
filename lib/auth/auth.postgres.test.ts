import { vi } from 'vitest';
import { openDatabase } from '@/lib/db/database';
import { startTestPostgres } from '@/lib/testing/postgres';
import { describeAuth } from './auth.suite';

vi.mock('./passwords', async (importOriginal) =>
  (await import('./auth.test-helpers')).withTestHashCost(await importOriginal()),
);

describeAuth('PostgreSQL', async () => {
  const server = await startTestPostgres();
  const first = await openDatabase({ databaseUrl: server.databaseUrl });
  const second = await openDatabase({ databaseUrl: server.databaseUrl });
  return {
    db: first.db,
    otherDb: second.db,
    close: async () => {
      await Promise.all([first.close(), second.close()]);
      await server.stop();
    },
  };
});
