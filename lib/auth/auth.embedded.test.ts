import { vi } from 'vitest';
import { openSuiteDatabase } from '@/lib/testing/suite-database';
import { describeAuth } from './auth.suite';

vi.mock('./passwords', async (importOriginal) =>
  (await import('@/lib/testing/password-cost')).withTestHashCost(await importOriginal()),
);

describeAuth('embedded PostgreSQL', () => openSuiteDatabase('embedded'));
