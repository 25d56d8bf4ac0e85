/**
 * Paces RoamClientUser calls: at most `ratePerSecond` starts per second, and slower when Alibaba Cloud says
 * so. Alibaba Cloud counts requests per account and publishes no smartag figure, so the configured rate is
 * only a ceiling: each throttling answer lowers the pace (multiplicatively) and pauses every caller for the
 * server's `x-acs-retry-after`, or an exponential back-off, while successes raise it again step by step.
 */
import { clampRetryAfterMs, MAX_RETRY_AFTER_MS } from '@/lib/sag/retry';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * What paces the API calls of a process: this file's in-process limiter (the embedded database: one process),
 * or the budget shared through PostgreSQL by every process on one AccessKey (shared-rate-budget.ts).
 */
export interface RateBudget {
  /** The configured rate, calls per second: the pace never goes above it. */
  readonly ceiling: number;
  /** The pace in force now. */
  readonly currentRate: number;
  /** Resolves when the caller may start one call. */
  acquire(): Promise<void>;
  /** A call was answered with a throttling code (the server's pause in ms, if it gave one). */
  onThrottled(retryAfterMs?: number): void;
  /** A call went through without throttling. */
  onAccepted(): void;
}

/** The pacing rules every RateBudget follows, with their defaults. */
export interface PaceOptions {
  ratePerSecond: number;
  /** The pace never drops below this. */
  minRatePerSecond?: number;
  /** First pause after a throttling answer without `x-acs-retry-after`; doubles with each one in a row. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

export function paceRules(options: PaceOptions) {
  if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
  return {
    ceiling: options.ratePerSecond,
    floor: Math.min(options.minRatePerSecond ?? 0.5, options.ratePerSecond),
    baseBackoffMs: options.baseBackoffMs ?? 500,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
  };
}

export interface RateLimiterOptions extends PaceOptions {
  clock?: Clock;
}

export class AdaptiveRateLimiter implements RateBudget {
  readonly ceiling: number;
  private rate: number;
  private readonly floor: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly clock: Clock;
  private nextSlotAt = 0;
  private pausedUntil = 0;
  private throttledInARow = 0;

  constructor(options: RateLimiterOptions) {
    const rules = paceRules(options);
    this.ceiling = rules.ceiling;
    this.rate = rules.ceiling;
    this.floor = rules.floor;
    this.baseBackoffMs = rules.baseBackoffMs;
    this.maxBackoffMs = rules.maxBackoffMs;
    this.clock = options.clock ?? systemClock;
  }

  /** The pace in force now, in calls per second. */
  get currentRate(): number {
    return this.rate;
  }

  /** Resolves when the caller may start one call. Slots are handed out in call order. */
  async acquire(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const slot = Math.max(now, this.nextSlotAt, this.pausedUntil);
      if (slot <= now) {
        this.nextSlotAt = now + 1000 / this.rate;
        return;
      }
      // Reserve nothing while waiting: a pause that starts meanwhile must hold this caller too.
      await this.clock.sleep(slot - now);
    }
  }

  /**
   * A call was answered with a throttling code. The server's hint is clamped to MAX_RETRY_AFTER_MS whoever
   * parsed it: one pause holds every caller, so an hour (or Infinity, which would make `acquire` spin on
   * overflowing timers) must never get in.
   */
  onThrottled(retryAfterMs?: number): void {
    this.throttledInARow += 1;
    this.rate = Math.max(this.floor, this.rate * 0.7);
    const hint =
      retryAfterMs !== undefined && retryAfterMs >= 0 ? clampRetryAfterMs(retryAfterMs) : undefined;
    const backoff = hint ?? Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** (this.throttledInARow - 1));
    // Jitter keeps several processes that share one account from retrying in lockstep.
    const jittered = Math.min(MAX_RETRY_AFTER_MS, backoff * (0.8 + Math.random() * 0.4));
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + jittered);
  }

  /** A call went through without throttling. */
  onAccepted(): void {
    this.throttledInARow = 0;
    this.rate = Math.min(this.ceiling, this.rate + Math.max(0.1, this.ceiling * 0.02));
  }
}
