import 'server-only';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '@/lib/db/database';
import { clampRetryAfterMs, MAX_RETRY_AFTER_MS } from '@/lib/sag/retry';
import { type PaceOptions, paceRules, type RateBudget } from './rate-limiter';

/**
 * The API rate budget of one AccessKey, shared by every process on one PostgreSQL: Alibaba Cloud counts
 * requests per account, so three processes that each paced themselves at the budget would send three times
 * it. Each call reserves the next slot in one row (an atomic UPDATE: concurrent reservations are serialised by
 * the row lock, so no two get the same slot), and a throttling answer seen by one process lowers the pace and
 * pauses every process, as lib/roam/rate-limiter.ts does within one.
 *
 * Slots are reserved in the database's clock and waited for as a duration from it, so the processes' own
 * clocks never matter. A reservation is made before the wait: a pause that another process starts meanwhile
 * holds the next reservations, not those already made (at most one per call in flight, bounded by the
 * processes' concurrency); a pause this process starts does hold its own waiting callers.
 */

export interface SharedRateBudgetOptions extends PaceOptions {
  /** Identifies the AccessKey; stored only as a hash (see rateBudgetKey). */
  key: string;
  sleep?: (ms: number) => Promise<void>;
  onError?: (error: unknown) => void;
}

/** The row of an AccessKey ID: a hash, so that the table names no key. */
export function rateBudgetKey(accessKeyId: string): string {
  return `ak:${createHash('sha256').update(accessKeyId).digest('hex').slice(0, 32)}`;
}

export class SharedRateBudget implements RateBudget {
  readonly ceiling: number;
  private readonly floor: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly onError: (error: unknown) => void;
  private rate: number;
  /** Writes of throttling and acceptance not yet done; a reservation waits for them, in order. */
  private pending: Promise<void> = Promise.resolve();
  /** Bumped by each throttling answer here, so a caller that waited through one reserves again. */
  private throttles = 0;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: SharedRateBudgetOptions,
  ) {
    const rules = paceRules(options);
    this.ceiling = rules.ceiling;
    this.rate = rules.ceiling;
    this.floor = rules.floor;
    this.baseBackoffMs = rules.baseBackoffMs;
    this.maxBackoffMs = rules.maxBackoffMs;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.onError = options.onError ?? (() => {});
  }

  /** The pace in force at the last reservation of this process, in calls per second. */
  get currentRate(): number {
    return this.rate;
  }

  async acquire(): Promise<void> {
    this.ready ??= this.createRow();
    await this.ready;
    for (;;) {
      await this.pending;
      const throttlesBefore = this.throttles;
      const [slot] = await this.rows<{ wait_ms: number; rate: number }>(sql`
        UPDATE rate_budgets
        SET next_slot_at = greatest(clock_timestamp(), next_slot_at, paused_until)
              + make_interval(secs => 1.0 / least(rate, ${this.ceiling}::float8)),
            updated_at = clock_timestamp()
        WHERE key = ${this.key}
        RETURNING
          greatest(0, extract(epoch FROM (next_slot_at - make_interval(secs => 1.0 / least(rate, ${this.ceiling}::float8)) - clock_timestamp())) * 1000)::float8 AS wait_ms,
          least(rate, ${this.ceiling}::float8) AS rate`);
      if (!slot) {
        // The row went away (a test cleared the table): make it again.
        this.ready = this.createRow();
        await this.ready;
        continue;
      }
      this.rate = Number(slot.rate);
      const waitMs = Number(slot.wait_ms);
      if (waitMs > 0) await this.sleep(Math.min(waitMs, MAX_RETRY_AFTER_MS + 60_000));
      // A throttling answer here while this caller waited: its slot predates the pause, so it asks again.
      if (this.throttles === throttlesBefore) return;
    }
  }

  onThrottled(retryAfterMs?: number): void {
    this.throttles += 1;
    const hint =
      retryAfterMs !== undefined && retryAfterMs >= 0 ? clampRetryAfterMs(retryAfterMs) : undefined;
    // Jitter keeps the processes that share the account from retrying in lockstep.
    const jitter = 0.8 + Math.random() * 0.4;
    this.write(sql`
      UPDATE rate_budgets
      SET throttled_in_a_row = throttled_in_a_row + 1,
          rate = greatest(${this.floor}::float8, rate * 0.7),
          paused_until = greatest(paused_until, clock_timestamp() + make_interval(secs => least(
            ${MAX_RETRY_AFTER_MS}::float8,
            ${jitter}::float8 * coalesce(${hint ?? null}::float8,
              least(${this.maxBackoffMs}::float8, ${this.baseBackoffMs}::float8 * power(2, least(throttled_in_a_row, 20))))
          ) / 1000.0)),
          updated_at = clock_timestamp()
      WHERE key = ${this.key}`);
  }

  onAccepted(): void {
    // Most accepted calls change nothing: written only while the pace is below the ceiling or recovering.
    const step = Math.max(0.1, this.ceiling * 0.02);
    this.write(sql`
      UPDATE rate_budgets
      SET throttled_in_a_row = 0,
          rate = least(${this.ceiling}::float8, rate + ${step}::float8),
          updated_at = clock_timestamp()
      WHERE key = ${this.key} AND (rate < ${this.ceiling}::float8 OR throttled_in_a_row > 0)`);
  }

  /** Resolves once this process's throttling and acceptance writes are in the database (shutdown, tests). */
  settled(): Promise<void> {
    return this.pending;
  }

  private get key(): string {
    return this.options.key;
  }

  private async createRow(): Promise<void> {
    await this.db.execute(sql`
      INSERT INTO rate_budgets (key, rate) VALUES (${this.key}, ${this.ceiling}::float8)
      ON CONFLICT (key) DO NOTHING`);
  }

  private write(statement: ReturnType<typeof sql>): void {
    this.pending = this.pending
      .then(async () => {
        this.ready ??= this.createRow();
        await this.ready;
        await this.db.execute(statement);
      })
      .catch((error: unknown) => this.onError(error));
  }

  private async rows<T>(statement: ReturnType<typeof sql>): Promise<T[]> {
    const result = (await this.db.execute(statement)) as unknown as { rows: T[] };
    return result.rows;
  }
}
