import { startTestPostgres } from '@/lib/testing/postgres';
import { openDatabase } from './database';
import { describeUsersRepository } from './users-repository.suite';

describeUsersRepository('PostgreSQL', async () => {
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
