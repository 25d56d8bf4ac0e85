// The rate budget shared through PostgreSQL, by two handles standing for two processes on one database.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSuiteDatabase, type SuiteDatabase } from '@/lib/testing/suite-database';
import { AdaptiveRateLimiter } from './rate-limiter';
import { rateBudgetKey, SharedRateBudget } from './shared-rate-budget';

const ACCESS_KEY_ID = 'LTAI5tSharedBudgetTest01';

let database: SuiteDatabase;

beforeAll(async () => {
  database = await openSuiteDatabase('postgres');
});

beforeEach(async () => {
  await database.db.execute(sql`TRUNCATE rate_budgets`);
});

afterAll(async () => {
  await database?.close();
});

/** When each of `count` callers, spread over the budgets in turn, got its slot (ms from the first). */
async function slots(budgets: { acquire(): Promise<void> }[], count: number): Promise<number[]> {
  const started = performance.now();
  const times = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      await budgets[index % budgets.length]?.acquire();
      return performance.now() - started;
    }),
  );
  return times.sort((a, b) => a - b);
}

/** The most slots any window of `windowMs` holds. */
function busiest(times: number[], windowMs: number): number {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('SharedRateBudget', () => {
  it('two processes on one AccessKey share its budget: together they never exceed it', async () => {
    const key = rateBudgetKey(ACCESS_KEY_ID);
    const shared = [
      new SharedRateBudget(database.db, { key, ratePerSecond: 50 }),
      new SharedRateBudget(database.otherDb, { key, ratePerSecond: 50 }),
    ];
    const times = await slots(shared, 50);
    // 50 calls at 50/s between them: about a second, and about half of them in any 500 ms (25, and a few more
    // when a busy machine wakes several waiters at once; twice the budget would put all 50 there).
    expect(times.at(-1)).toBeGreaterThanOrEqual(900);
    expect(busiest(times, 500)).toBeLessThanOrEqual(30);

    // What each process pacing itself does: twice the budget (the measured fault this replaces).
    const own = [
      new AdaptiveRateLimiter({ ratePerSecond: 50 }),
      new AdaptiveRateLimiter({ ratePerSecond: 50 }),
    ];
    expect((await slots(own, 50)).at(-1)).toBeLessThan(700);
  });

  it('a throttling answer seen by one process pauses and slows the other', async () => {
    const key = rateBudgetKey(ACCESS_KEY_ID);
    const seen = new SharedRateBudget(database.db, { key, ratePerSecond: 20 });
    const other = new SharedRateBudget(database.otherDb, { key, ratePerSecond: 20 });
    await seen.acquire();
    await other.acquire();
    seen.onThrottled(1_000);
    await seen.settled();
    const started = performance.now();
    await other.acquire();
    // The server's 1 s, jittered by ±20%.
    expect(performance.now() - started).toBeGreaterThanOrEqual(750);
    expect(other.currentRate).toBeCloseTo(14, 5);

    // Accepted calls raise the pace again, step by step, for both.
    for (let call = 0; call < 3; call += 1) seen.onAccepted();
    await seen.settled();
    await other.acquire();
    expect(other.currentRate).toBeCloseTo(14 + 3 * 0.4, 5);
  });

  it('stores a hash of the AccessKey ID, never the ID', async () => {
    await new SharedRateBudget(database.db, {
      key: rateBudgetKey(ACCESS_KEY_ID),
      ratePerSecond: 5,
    }).acquire();
    const stored = JSON.stringify(await database.db.execute(sql`SELECT * FROM rate_budgets`));
    expect(stored).toContain('ak:');
    expect(stored).not.toContain(ACCESS_KEY_ID);
  });

  it('paces a key of its own apart from the others', async () => {
    const a = new SharedRateBudget(database.db, { key: rateBudgetKey('LTAI5tKeyA'), ratePerSecond: 10 });
    const b = new SharedRateBudget(database.otherDb, { key: rateBudgetKey('LTAI5tKeyB'), ratePerSecond: 10 });
    await a.acquire();
    const started = performance.now();
    await b.acquire();
    expect(performance.now() - started).toBeLessThan(80);
  });
});
