import 'server-only';

export interface RetryPolicy {
  /** Attempts in total, the first one included (1 = never retry). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before the next attempt after `failedAttempts` failures: exponential from `baseDelayMs`, capped at
 * `maxDelayMs`, with "equal jitter" (half fixed, half random) so that parallel callers spread out without
 * ever retrying immediately.
 */
export function backoffDelayMs(
  failedAttempts: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}

/**
 * The longest wait a server hint can impose, in milliseconds. `x-acs-retry-after` comes from the network: a
 * value of 400 nines parses to Infinity (and `new Date(Infinity)` throws), and a finite hour would pause every
 * job for an hour. No documented throttling window is longer than a minute ("200 requests / 60 s").
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/** A wait hint in milliseconds brought into [0, MAX_RETRY_AFTER_MS]; undefined for NaN and for absence. */
export function clampRetryAfterMs(value: number | undefined): number | undefined {
  if (value === undefined || Number.isNaN(value)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.ceil(value)));
}

/**
 * `x-acs-retry-after`, in milliseconds as the official SDKs read it (`@alicloud/openapi-core`
 * getThrottlingTimeLeft + darabonba getBackoffDelay sleep that many ms). Tolerant: accepts a decimal and
 * an explicit `ms` or `s` unit; anything else (a sign, an exponent, a date) is ignored. Never more than
 * MAX_RETRY_AFTER_MS, however many digits the header has.
 */
export function parseRetryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/i.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = (match[2] ?? 'ms').toLowerCase();
  return clampRetryAfterMs(unit === 's' ? amount * 1_000 : amount);
}

/**
 * Delay before retrying after a failure that carried `retryAfterMs` (or not), or undefined when the
 * server asks for a longer wait than the policy allows (the caller then gives up and reports the hint).
 * The server hint is a floor: a hint in seconds misread as milliseconds still waits our own backoff.
 */
export function retryDelayMs(
  failedAttempts: number,
  policy: RetryPolicy,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  const backoff = backoffDelayMs(failedAttempts, policy, random);
  if (retryAfterMs === undefined) return backoff;
  if (retryAfterMs > policy.maxDelayMs) return undefined;
  return Math.max(retryAfterMs, backoff);
}
