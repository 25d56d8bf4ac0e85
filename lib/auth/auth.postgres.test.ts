import { vi } from 'vitest';
import { postgresWithTwoPools } from '@/lib/testing/databases';
import { describeAuth } from './auth.suite';

vi.mock('./passwords', async (importOriginal) =>
  (await import('./auth.test-helpers')).withTestHashCost(await importOriginal()),
);

describeAuth('PostgreSQL', postgresWithTwoPools);
