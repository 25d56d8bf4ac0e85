import { describe, expect, it } from 'vitest';
import { routeFromSearchParams, withRoute } from './route-params';

const route = {
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-shhqisehm13vdzujo497',
  targetRegionId: 'ap-northeast-1',
  targetInstanceId: 'sag-jptk65n2k1jy6rqfktbz',
};

describe('the route in the address', () => {
  it('round-trips through the query string, keeping other parameters', () => {
    const params = withRoute(new URLSearchParams({ job: 'abc' }), route);
    expect(params.get('job')).toBe('abc');
    expect(params.toString()).toContain('originRegion=cn-shanghai');
    expect(routeFromSearchParams(params)).toEqual(route);
    expect(routeFromSearchParams(Object.fromEntries(params))).toEqual(route);
  });

  it('leaves out malformed values and instances without their region', () => {
    expect(
      routeFromSearchParams({
        originRegion: 'cn-shanghai<script>',
        originInstance: 'sag-shhqisehm13vdzujo497',
        targetRegion: ['ap-northeast-1', 'cn-hangzhou'],
        targetInstance: 'SAG-UPPER',
      }),
    ).toEqual({ originRegionId: '', originInstanceId: '', targetRegionId: '', targetInstanceId: '' });
  });

  it('removes a cleared or malformed field from the address', () => {
    const params = withRoute(new URLSearchParams(withRoute(new URLSearchParams(), route)), {
      ...route,
      originInstanceId: '',
      targetInstanceId: 'not an id',
    });
    expect(params.has('originInstance')).toBe(false);
    expect(params.has('targetInstance')).toBe(false);
    expect(params.get('targetRegion')).toBe('ap-northeast-1');
  });
});
