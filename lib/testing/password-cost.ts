// scrypt at a test cost, so that suites signing in dozens of times stay fast. The production cost is verified
// once, in lib/auth/passwords.test.ts and by the user-create script test.
import { vi } from 'vitest';
import type * as Passwords from '@/lib/auth/passwords';

export const TEST_HASH_COST = { N: 1024, r: 8, p: 1 };

/**
 * For `vi.mock` of lib/auth/passwords: the real module, hashing at the test cost. Both hashing entry points
 * are spies, so a test can check that a refused sign-in still spent a scrypt run.
 */
export function withTestHashCost(actual: typeof Passwords): typeof Passwords {
  return {
    ...actual,
    hashPassword: vi.fn((password: string, cost = TEST_HASH_COST) => actual.hashPassword(password, cost)),
    verifyPassword: vi.fn((password: string, hash: string) => actual.verifyPassword(password, hash)),
    verifyAgainstDummy: vi.fn((password: string, cost = TEST_HASH_COST) =>
      actual.verifyAgainstDummy(password, cost),
    ),
  };
}
