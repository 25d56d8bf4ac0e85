import { describe, expect, it } from 'vitest';
import { AdaptiveRateLimiter, type Clock } from './rate-limiter';

/** A clock that only moves when a caller sleeps, so pacing is checked exactly and without waiting. */
function manualClock(): Clock & { time: number } {
  const clock = {
    time: 0,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms;
    },
  };
  return clock;
}

describe('AdaptiveRateLimiter', () => {
  it('spaces calls evenly at the configured rate', async () => {
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 20, clock });
    const starts: number[] = [];
    for (let call = 0; call < 21; call += 1) {
      await limiter.acquire();
      starts.push(clock.now());
    }
    expect(starts[0]).toBe(0);
    expect(starts[20]).toBe(1000);
  });

  it('pauses for x-acs-retry-after and slows down after throttling, then recovers to the ceiling', async () => {
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 10, clock });
    await limiter.acquire();
    limiter.onThrottled(2000);
    expect(limiter.currentRate).toBeCloseTo(7);
    await limiter.acquire();
    expect(clock.now()).toBeGreaterThanOrEqual(1600);
    expect(clock.now()).toBeLessThanOrEqual(2400);
    for (let success = 0; success < 100; success += 1) limiter.onAccepted();
    expect(limiter.currentRate).toBe(10);
  });

  it('pauses a minute at most, whatever hint it is given', async () => {
    for (const hint of [Number.POSITIVE_INFINITY, 3_600_000, Number.MAX_VALUE]) {
      const clock = manualClock();
      const limiter = new AdaptiveRateLimiter({ ratePerSecond: 10, clock });
      await limiter.acquire();
      limiter.onThrottled(hint);
      await limiter.acquire();
      expect(clock.now(), `hint ${hint}`).toBeGreaterThan(0);
      expect(clock.now(), `hint ${hint}`).toBeLessThanOrEqual(60_000);
    }
    // NaN and a negative hint mean no hint: the limiter's own back-off applies.
    for (const hint of [Number.NaN, -1]) {
      const clock = manualClock();
      const limiter = new AdaptiveRateLimiter({ ratePerSecond: 10, baseBackoffMs: 500, clock });
      await limiter.acquire();
      limiter.onThrottled(hint);
      await limiter.acquire();
      expect(clock.now(), `hint ${hint}`).toBeGreaterThanOrEqual(400);
      expect(clock.now(), `hint ${hint}`).toBeLessThanOrEqual(600);
    }
  });

  it('backs off exponentially on throttling in a row and never drops below the floor', () => {
    const clock = manualClock();
    const limiter = new AdaptiveRateLimiter({
      ratePerSecond: 4,
      minRatePerSecond: 1,
      baseBackoffMs: 100,
      clock,
    });
    for (let answer = 0; answer < 20; answer += 1) limiter.onThrottled();
    expect(limiter.currentRate).toBe(1);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new AdaptiveRateLimiter({ ratePerSecond: 0 })).toThrow(RangeError);
  });
});
