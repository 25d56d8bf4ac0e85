// Without METRICS_TOKEN, GET /api/metrics does not exist: 404 whatever the request carries, and nothing is
// started or read to answer it. A file of its own: the configuration is read once per process.
import { describe, expect, it } from 'vitest';
import * as metrics from './api/metrics/route';

describe('GET /api/metrics without METRICS_TOKEN', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a bearer token', 'Bearer some-token-of-enough-length'],
  ])('answers 404 to %s, as for a route that does not exist', async (_, authorization) => {
    delete process.env.METRICS_TOKEN;
    process.env.SAG_MODE = 'emulator';
    const headers = authorization === undefined ? undefined : { authorization };
    const response = await metrics.GET(new Request('http://app/api/metrics', { headers }));
    expect(response.status).toBe(404);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(await response.text()).not.toContain('sag_roam');
    // No runtime (database, emulator, worker) was started to answer.
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('sag-roam.runtime')]).toBeUndefined();
  });
});
