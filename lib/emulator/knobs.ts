// Latency, flow control and fault injection, settable at start and at runtime. Faults are drawn from a
// seeded PRNG so a run with the same seed and the same request order fails the same way.
import type { FaultKind } from './state';

export type FaultPhase = 'before' | 'after' | 'random';

export interface RateLimit {
  /** Sustained requests per second per AccessKey. */
  perSecond: number;
  /** Bucket size; defaults to `perSecond` (at least 1). */
  burst?: number;
}

export interface ThrottleAnswer {
  /** 400 like the POP gateway's `Throttling.User`; some products answer 429. */
  status: 400 | 429;
  code: 'Throttling.User' | 'Throttling.Api' | 'Throttling';
}

export type FaultRates = Partial<Record<FaultKind, number>>;

export interface EmulatorKnobs {
  /** Added before every request is handled. */
  latencyMs: number;
  /** Token bucket per AccessKey; null = unlimited. */
  rateLimit: RateLimit | null;
  /** How throttling (rate limit or `throttle` fault) is answered. */
  throttleAnswer: ThrottleAnswer;
  /** Probability 0..1 per kind, drawn once per eligible request (the sum is capped at 1). */
  faults: FaultRates;
  /** Whether a fault hits before or after the action changes state ('random' draws per request). */
  faultPhase: FaultPhase;
  /** Only these actions get faults; null = every action. */
  faultActions: readonly string[] | null;
  /** Seed of the fault PRNG; setting it restarts the sequence. */
  faultSeed: number;
  /** A `timeout` fault holds the request at most this long, then drops the connection. */
  timeoutHoldMs: number;
}

export const DEFAULT_KNOBS: EmulatorKnobs = {
  latencyMs: 0,
  rateLimit: null,
  throttleAnswer: { status: 400, code: 'Throttling.User' },
  faults: {},
  faultPhase: 'before',
  faultActions: null,
  faultSeed: 1,
  timeoutHoldMs: 30_000,
};

const FAULT_ORDER: readonly FaultKind[] = [
  'timeout',
  'status500',
  'status503',
  'throttle',
  'reset',
  'malformed',
];
const MAX_TIMEOUT_HOLD_MS = 30_000;

export function validateKnobs(knobs: EmulatorKnobs): EmulatorKnobs {
  if (!Number.isFinite(knobs.latencyMs) || knobs.latencyMs < 0) throw new Error('latencyMs must be ≥ 0');
  if (knobs.rateLimit) {
    const { perSecond, burst } = knobs.rateLimit;
    if (!(perSecond > 0)) throw new Error('rateLimit.perSecond must be > 0');
    if (burst !== undefined && !(burst >= 1)) throw new Error('rateLimit.burst must be ≥ 1');
  }
  for (const [kind, rate] of Object.entries(knobs.faults)) {
    if (!FAULT_ORDER.includes(kind as FaultKind)) throw new Error(`unknown fault kind ${kind}`);
    if (rate !== undefined && !(rate >= 0 && rate <= 1))
      throw new Error(`fault rate ${kind} must be within 0..1`);
  }
  if (!Number.isInteger(knobs.faultSeed)) throw new Error('faultSeed must be an integer');
  if (!(knobs.timeoutHoldMs >= 0)) throw new Error('timeoutHoldMs must be ≥ 0');
  return { ...knobs, timeoutHoldMs: Math.min(knobs.timeoutHoldMs, MAX_TIMEOUT_HOLD_MS) };
}

/** mulberry32: small, fast, good enough for fault dice. */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultDraw {
  kind: FaultKind;
  phase: 'before' | 'after';
}

/** One draw decides whether a request faults and how; a second decides the phase when it is 'random'. */
export function drawFault(knobs: EmulatorKnobs, action: string, random: () => number): FaultDraw | null {
  if (knobs.faultActions !== null && !knobs.faultActions.includes(action)) return null;
  const total = FAULT_ORDER.reduce((sum, kind) => sum + (knobs.faults[kind] ?? 0), 0);
  if (total <= 0) return null;
  const roll = random();
  let cumulative = 0;
  for (const kind of FAULT_ORDER) {
    cumulative += knobs.faults[kind] ?? 0;
    if (roll < Math.min(cumulative, 1)) {
      const phase = knobs.faultPhase === 'random' ? (random() < 0.5 ? 'before' : 'after') : knobs.faultPhase;
      return { kind, phase };
    }
  }
  return null;
}

/** Token buckets per AccessKey. */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number) {}

  clear(): void {
    this.buckets.clear();
  }

  /** Takes a token; returns 0 when allowed, else the ms until the next token. */
  take(limit: RateLimit, key: string): number {
    const capacity = Math.max(1, limit.burst ?? limit.perSecond);
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    const tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return 0;
    }
    this.buckets.set(key, { tokens, at: now });
    return ((1 - tokens) / limit.perSecond) * 1000;
  }
}
