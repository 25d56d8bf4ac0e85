import { type Database, openDatabase } from '@/lib/db/database';
import { startTestPostgres } from './postgres';

/** A fresh PostgreSQL database with two connection pools on it, as two app processes would have. */
export async function postgresWithTwoPools(): Promise<{
  db: Database;
  otherDb: Database;
  close(): Promise<void>;
}> {
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
}
