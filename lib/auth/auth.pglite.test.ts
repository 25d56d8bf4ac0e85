import { vi } from 'vitest';
import { openDatabase } from '@/lib/db/database';
import { describeAuth } from './auth.suite';

vi.mock('./passwords', async (importOriginal) =>
  (await import('./auth.test-helpers')).withTestHashCost(await importOriginal()),
);

describeAuth('PGlite', async () => {
  const { db, close } = await openDatabase({ memory: true });
  // One embedded instance per process: its queries are serialised, so both "connections" share it.
  return { db, otherDb: db, close };
});
