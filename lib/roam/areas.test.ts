import { describe, expect, it } from 'vitest';
import { en } from '@/lib/i18n/messages/en';
import { zhCN } from '@/lib/i18n/messages/zh-CN';
import { createTranslator } from '@/lib/i18n/translate';
import { AREA_TABLE, areaName, areaOf, sameArea } from './areas';

describe('areas', () => {
  it.each([
    ['cn-shanghai', 'mainlandChina'],
    ['cn-hangzhou', 'mainlandChina'],
    ['cn-shanghai-finance-1', 'mainlandChina'],
    ['cn-beijing', 'mainlandChina'],
    ['cn-hongkong', 'hongKong'],
    ['ap-southeast-1', 'singapore'],
    ['ap-southeast-2', 'australia'],
    ['ap-southeast-3', 'malaysia'],
    ['ap-southeast-5', 'indonesia'],
    ['ap-northeast-1', 'japan'],
    ['eu-central-1', 'europe'],
    ['ap-south-1', 'india'],
    ['us-west-1', 'northAmerica'],
    ['us-east-1', 'northAmerica'],
  ])('%s is in %s', (regionId, area) => {
    expect(areaOf(regionId)).toBe(area);
  });

  it.each(['eu-west-1', 'me-east-1', 'ap-northeast-2', 'ap-southeast-6', 'xx-cn-1', 'cn', ''])(
    '%j has no known area',
    (regionId) => {
      expect(areaOf(regionId)).toBeNull();
    },
  );

  it('puts two mainland regions in one area, and Hong Kong apart from them', () => {
    expect(sameArea('cn-shanghai', 'cn-hangzhou')).toBe(true);
    expect(sameArea('cn-shanghai', 'cn-shanghai-finance-1')).toBe(true);
    expect(sameArea('us-west-1', 'us-east-1')).toBe(true);
    expect(sameArea('cn-shanghai', 'cn-hongkong')).toBe(false);
    expect(sameArea('cn-hongkong', 'ap-southeast-1')).toBe(false);
    expect(sameArea('ap-southeast-1', 'ap-southeast-2')).toBe(false);
  });

  it('never calls two regions of unknown area the same area', () => {
    expect(sameArea('eu-west-1', 'eu-west-1')).toBe(false);
    expect(sameArea('me-east-1', 'eu-west-1')).toBe(false);
  });

  it('names every area in both languages, and says when it is not known', () => {
    const english = createTranslator('en', en);
    const chinese = createTranslator('zh-CN', zhCN);
    expect(areaName('cn-hangzhou', english)).toBe('Mainland China');
    expect(areaName('cn-hangzhou', chinese)).toBe('中国内地');
    expect(areaName('eu-west-1', english)).toBe('area not known');
    for (const { area } of AREA_TABLE) {
      expect(english(`area.${area}`)).not.toBe(`area.${area}`);
      expect(chinese(`area.${area}`)).not.toBe(english(`area.${area}`));
    }
  });
});
