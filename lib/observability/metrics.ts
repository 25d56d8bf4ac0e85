import 'server-only';
import { count, sql } from 'drizzle-orm';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '@/lib/db/database';
import { claimableWhere } from '@/lib/db/jobs/locks';
import { roamItems, roamJobs } from '@/lib/db/schema';
import { ITEM_STATUSES, JOB_STATUSES } from '@/lib/roam/lifecycle';
import { withTimeout } from './time-limit';

/**
 * What GET /api/metrics shows, in one registry per process (kept on globalThis: Next.js loads server modules
 * in several bundles, and a second registry would count half the calls).
 *
 * Counters are counted where things happen: API calls by the SAG client wrapper (instrumented-client.ts),
 * lease take-overs from the worker's events. Gauges are read when Prometheus scrapes: the pace from the
 * worker's limiter, items, jobs and the queue from the database, one cheap query each, bounded in time.
 *
 * Labels are bounded and say nothing about anyone: an action name, an outcome, an error code from the
 * catalogue (anything else is `other`), a state. Never a username, an instance, an AccessKey or an e-mail.
 */

/** What the scrape-time gauges read; attached by the runtime once it has them. */
export interface MetricsSource {
  db: Database;
  worker: { readonly limiter: { readonly currentRate: number } };
}

export interface SagRoamMetrics {
  registry: Registry;
  apiCalls: Counter<'action' | 'outcome' | 'code'>;
  apiCallSeconds: Histogram<'action'>;
  throttled: Counter;
  leaseTakeovers: Counter;
  /** Makes the gauges read from `source` until the returned function is called (or another is attached). */
  attach(source: MetricsSource): () => void;
}

/** A scrape must answer within Prometheus's own limit (10 s by default) even when the database hangs. */
const DATABASE_GAUGE_LIMIT_MS = 2_000;

export function createMetrics(): SagRoamMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let source: MetricsSource | undefined;

  const apiCalls = new Counter({
    name: 'sag_roam_api_calls_total',
    help: 'Smart Access Gateway API calls, by action, outcome (ok, not_applied, unknown) and code (the API error code from the catalogue, OK, or other)',
    labelNames: ['action', 'outcome', 'code'] as const,
    registers: [registry],
  });
  const apiCallSeconds = new Histogram({
    name: 'sag_roam_api_call_seconds',
    help: 'Time of one Smart Access Gateway API call (automatic retries of Describe calls included), by action',
    labelNames: ['action'] as const,
    // From a quick answer of the API to the longest time limit SAG_TIMEOUT_MS allows.
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const throttled = new Counter({
    name: 'sag_roam_throttled_total',
    help: 'Smart Access Gateway API calls answered with a throttling code (Throttling, Throttling.User, ...)',
    registers: [registry],
  });
  const leaseTakeovers = new Counter({
    name: 'sag_roam_lease_takeovers_total',
    help: 'Items this process took over from a worker whose lease had expired (a stopped or stuck process)',
    registers: [registry],
  });

  new Gauge({
    name: 'sag_roam_rate_per_second',
    help: 'The pace of API calls in force now, in calls per second (lowered while Alibaba Cloud throttles)',
    registers: [registry],
    collect() {
      if (source) this.set(source.worker.limiter.currentRate);
      else this.reset();
    },
  });
  new Gauge({
    name: 'sag_roam_items',
    help: 'Roam items (one per username of a job) in the database, by state; every job of the history',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const rows = await fromDatabase((db) =>
        db.select({ state: roamItems.status, total: count() }).from(roamItems).groupBy(roamItems.status),
      );
      setByState(this, ITEM_STATUSES, rows);
    },
  });
  new Gauge({
    name: 'sag_roam_jobs',
    help: 'Jobs in the database, by state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const rows = await fromDatabase((db) =>
        db.select({ state: roamJobs.status, total: count() }).from(roamJobs).groupBy(roamJobs.status),
      );
      setByState(this, JOB_STATUSES, rows);
    },
  });
  new Gauge({
    name: 'sag_roam_queue_depth',
    help: 'Items a worker may claim now (pending or unknown and due, or in progress with an expired lease)',
    registers: [registry],
    async collect() {
      const rows = await fromDatabase((db) =>
        db.select({ total: count() }).from(roamItems).where(claimableWhere(sql`now()`)),
      );
      if (rows) this.set(rows[0]?.total ?? 0);
      else this.reset();
    },
  });

  /**
   * A query of a gauge, or undefined when there is no database yet or it did not answer in time: the gauge
   * then has no sample, so that a stale number never passes for a current one (readiness says why).
   */
  async function fromDatabase<Row>(query: (db: Database) => Promise<Row[]>): Promise<Row[] | undefined> {
    if (!source) return undefined;
    try {
      return await withTimeout(query(source.db), DATABASE_GAUGE_LIMIT_MS);
    } catch {
      return undefined;
    }
  }

  return {
    registry,
    apiCalls,
    apiCallSeconds,
    throttled,
    leaseTakeovers,
    attach(next) {
      source = next;
      return () => {
        if (source === next) source = undefined;
      };
    },
  };
}

/** Every state gets a sample, 0 included, so that a rate or an alert never meets a missing series. */
function setByState<State extends string>(
  gauge: Gauge<'state'>,
  states: readonly State[],
  rows: { state: string; total: number }[] | undefined,
): void {
  gauge.reset();
  if (!rows) return;
  const totals = new Map(rows.map((row) => [row.state, row.total]));
  for (const state of states) gauge.set({ state }, totals.get(state) ?? 0);
}

const METRICS_KEY = Symbol.for('sag-roam.metrics');
type MetricsHolder = typeof globalThis & { [METRICS_KEY]?: SagRoamMetrics };

/** The process's metrics, made on first use. */
export function getMetrics(): SagRoamMetrics {
  const holder = globalThis as MetricsHolder;
  holder[METRICS_KEY] ??= createMetrics();
  return holder[METRICS_KEY];
}
