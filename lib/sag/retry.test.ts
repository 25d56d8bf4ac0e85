import { describe, expect, it } from 'vitest';
import { backoffDelayMs, MAX_RETRY_AFTER_MS, parseRetryAfterMs, retryDelayMs } from './retry';

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('backoff', () => {
  it('grows exponentially with equal jitter and stays under the cap', () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(50);
    expect(backoffDelayMs(1, policy, () => 0.999999)).toBe(100);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(200);
    expect(backoffDelayMs(10, policy, () => 0.999999)).toBe(1_000);
    expect(backoffDelayMs(1_000, policy, () => 0.5)).toBe(750);
  });

  it('reads x-acs-retry-after as milliseconds, tolerating units and decimals', () => {
    expect(parseRetryAfterMs('250')).toBe(250);
    expect(parseRetryAfterMs(' 12.2 ')).toBe(13);
    expect(parseRetryAfterMs('2s')).toBe(2_000);
    expect(parseRetryAfterMs('40ms')).toBe(40);
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
  });

  it('never reads a wait longer than a minute, and ignores signs, exponents and garbage', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(60_000);
    // 400 nines are Infinity as a number: one such header used to stop every call until a restart.
    expect(parseRetryAfterMs('9'.repeat(400))).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfterMs('3600000')).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfterMs('3600s')).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfterMs('60000')).toBe(60_000);
    expect(parseRetryAfterMs('0')).toBe(0);
    for (const garbage of ['-5', '-0.5s', '1e9', 'Infinity', 'NaN', '', ' ', '12 minutes', '0x10']) {
      expect(parseRetryAfterMs(garbage), garbage).toBeUndefined();
    }
  });

  it('waits at least the server hint, and gives up when the hint is beyond the cap', () => {
    expect(retryDelayMs(1, policy, 700, () => 0)).toBe(700);
    // A hint shorter than our backoff (e.g. seconds misread as milliseconds) does not shorten it.
    expect(retryDelayMs(3, policy, 2, () => 0)).toBe(200);
    expect(retryDelayMs(1, policy, 5_000, () => 0)).toBeUndefined();
    expect(retryDelayMs(1, policy, undefined, () => 0)).toBe(50);
  });
});
