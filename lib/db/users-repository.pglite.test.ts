import { openDatabase } from './database';
import { describeUsersRepository } from './users-repository.suite';

describeUsersRepository('PGlite', async () => {
  const { db, close } = await openDatabase({ memory: true });
  // One embedded instance per process: its queries are serialised, so both "connections" share it.
  return { db, otherDb: db, close };
});
