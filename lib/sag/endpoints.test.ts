import { describe, expect, it } from 'vitest';
import { createEndpointResolver, normaliseEndpointUrl } from './endpoints';

describe('endpoint resolver', () => {
  it('uses the documented pattern by default', () => {
    const resolver = createEndpointResolver();
    expect(resolver.resolve('cn-hangzhou')).toBe('https://smartag.cn-hangzhou.aliyuncs.com');
    expect(resolver.resolve('cn-shanghai-finance-1')).toBe(
      'https://smartag.cn-shanghai-finance-1.aliyuncs.com',
    );
    expect(resolver.discoveryRegionId).toBe('cn-shanghai');
    expect(resolver.overridden).toBe(false);
  });

  it('prefers the RegionEndpoint learned from DescribeRegions', () => {
    const resolver = createEndpointResolver();
    resolver.learn([
      { regionId: 'ap-southeast-1', regionEndpoint: 'smartag.ap-southeast-1.aliyuncs.com' },
      { regionId: 'eu-central-1', regionEndpoint: 'https://smartag-vpc.eu-central-1.aliyuncs.com' },
      { regionId: 'cn-hongkong', regionEndpoint: 'not a host/evil' },
      { regionId: 'cn-beijing', regionEndpoint: 'http://plain.example.com' },
      { regionId: 'BAD REGION', regionEndpoint: 'smartag.x.aliyuncs.com' },
    ]);
    expect(resolver.resolve('ap-southeast-1')).toBe('https://smartag.ap-southeast-1.aliyuncs.com');
    expect(resolver.resolve('eu-central-1')).toBe('https://smartag-vpc.eu-central-1.aliyuncs.com');
    expect(resolver.resolve('cn-hongkong')).toBe('https://smartag.cn-hongkong.aliyuncs.com');
    // Learned endpoints must be HTTPS.
    expect(resolver.resolve('cn-beijing')).toBe('https://smartag.cn-beijing.aliyuncs.com');
  });

  it('learns only HTTPS hosts under aliyuncs.com, on the default port; the rest keep the documented pattern', () => {
    const resolver = createEndpointResolver();
    const refused = {
      'cn-hangzhou': '203.0.113.7',
      'cn-shanghai': 'https://127.0.0.1',
      'cn-hongkong': 'https://[::1]',
      'ap-southeast-1': 'smartag.ap-southeast-1.evil.example',
      'ap-southeast-2': 'https://smartag.ap-southeast-2.aliyuncs.com.evil.example',
      'ap-southeast-3': 'aliyuncs.com',
      'ap-southeast-5': 'https://smartag.ap-southeast-5.aliyuncs.com:8443',
      'ap-northeast-1': 'http://smartag.ap-northeast-1.aliyuncs.com',
      'eu-central-1': 'evilaliyuncs.com',
    };
    resolver.learn(
      Object.entries(refused).map(([regionId, regionEndpoint]) => ({ regionId, regionEndpoint })),
    );
    for (const regionId of Object.keys(refused)) {
      expect(resolver.resolve(regionId), refused[regionId as keyof typeof refused]).toBe(
        `https://smartag.${regionId}.aliyuncs.com`,
      );
    }
    resolver.learn([
      { regionId: 'cn-hangzhou', regionEndpoint: 'SMARTAG-VPC.cn-hangzhou.aliyuncs.com' },
      { regionId: 'cn-shanghai', regionEndpoint: 'https://smartag.cn-shanghai.aliyuncs.com/' },
    ]);
    expect(resolver.resolve('cn-hangzhou')).toBe('https://smartag-vpc.cn-hangzhou.aliyuncs.com');
    expect(resolver.resolve('cn-shanghai')).toBe('https://smartag.cn-shanghai.aliyuncs.com');
  });

  it('sends every region to a fixed override', () => {
    const resolver = createEndpointResolver({ override: 'http://127.0.0.1:9000/' });
    resolver.learn([{ regionId: 'cn-hangzhou', regionEndpoint: 'smartag.cn-hangzhou.aliyuncs.com' }]);
    expect(resolver.resolve('cn-hangzhou')).toBe('http://127.0.0.1:9000');
    expect(resolver.resolve('ap-northeast-1')).toBe('http://127.0.0.1:9000');
    expect(resolver.overridden).toBe(true);
  });

  it('refuses region IDs that could change the host name', () => {
    const resolver = createEndpointResolver();
    for (const bad of [
      '',
      'evil.com/#',
      'cn-hangzhou.evil.com',
      'CN-HANGZHOU',
      'cn',
      'cn-hangzhou ',
      '../x',
    ]) {
      expect(() => resolver.resolve(bad), bad).toThrow(RangeError);
    }
  });

  it('refuses override URLs with a path, credentials or another scheme', () => {
    expect(normaliseEndpointUrl('https://smartag.cn-shanghai.aliyuncs.com')).toBe(
      'https://smartag.cn-shanghai.aliyuncs.com',
    );
    expect(() => normaliseEndpointUrl('http://127.0.0.1:9000/api')).toThrow(RangeError);
    expect(() => normaliseEndpointUrl('http://user:pw@127.0.0.1:9000')).toThrow(RangeError);
    expect(() => normaliseEndpointUrl('ftp://127.0.0.1')).toThrow(RangeError);
  });
});
