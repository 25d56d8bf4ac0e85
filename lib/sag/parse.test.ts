import { describe, expect, it } from 'vitest';
import { requestIdOf, toClientUserPage, toInstancePage, toRegions } from './operations';
import {
  asBoolean,
  asNumber,
  asRequestId,
  detectBodyFormat,
  listOf,
  MalformedBodyError,
  parseBody,
  truncateText,
} from './parse';

describe('parseBody', () => {
  it('reads JSON by content type', () => {
    expect(parseBody('{"RequestId":"r1","TotalCount":3}', 'application/json;charset=utf-8')).toEqual({
      RequestId: 'r1',
      TotalCount: 3,
    });
  });

  it('reads XML by content type and returns the root element fields as strings', () => {
    const body = parseBody(
      '<?xml version="1.0" encoding="UTF-8"?><RoamClientUserResponse><RequestId>r2</RequestId><N>007</N></RoamClientUserResponse>',
      'text/xml',
    );
    expect(body).toEqual({ RequestId: 'r2', N: '007' });
  });

  it('reads an XML error body', () => {
    const body = parseBody(
      '<Error><RequestId>r3</RequestId><HostId>smartag.aliyuncs.com</HostId><Code>ClientUser.UserExist</Code><Message>a &amp; b</Message></Error>',
      'application/xml',
    );
    expect(body).toEqual({
      RequestId: 'r3',
      HostId: 'smartag.aliyuncs.com',
      Code: 'ClientUser.UserExist',
      Message: 'a & b',
    });
  });

  it('sniffs the format when the content type says nothing or is wrong', () => {
    expect(parseBody('  {"a":1}', undefined)).toEqual({ a: 1 });
    expect(parseBody('<R><a>1</a></R>', 'text/plain')).toEqual({ a: '1' });
    expect(parseBody('<R><a>1</a></R>', 'application/json')).toEqual({ a: '1' });
    expect(parseBody('{"a":1}', 'text/xml')).toEqual({ a: 1 });
    expect(detectBodyFormat(undefined, 'hello')).toBeUndefined();
  });

  it.each([
    ['empty', '', 'application/json'],
    ['truncated JSON', '{"RequestId":"r', 'application/json'],
    ['a JSON array', '[1,2]', 'application/json'],
    ['JSON null', 'null', 'application/json'],
    ['broken XML', '<R><a>1</R>', 'text/xml'],
    ['HTML-ish text', 'Bad Gateway', 'text/html'],
  ])('refuses %s', (_label, text, type) => {
    expect(() => parseBody(text, type)).toThrow(MalformedBodyError);
  });

  it('accepts an empty XML root', () => {
    expect(parseBody('<RoamClientUserResponse/>', 'text/xml')).toEqual({});
  });
});

describe('hostile bodies', () => {
  it('refuses any XML document type, entity bombs included, quickly', () => {
    let entities = '<!ENTITY a0 "aaaaaaaaaa">';
    for (let level = 1; level <= 9; level += 1)
      entities += `<!ENTITY a${level} "${`&a${level - 1};`.repeat(10)}">`;
    const bombs = [
      `<!DOCTYPE R [${entities}]><R><RequestId>&a9;</RequestId></R>`,
      '<?xml version="1.0"?><!doctype R SYSTEM "file:///etc/passwd"><R><RequestId>&x;</RequestId></R>',
      '<R><!ENTITY a "b"><RequestId>r</RequestId></R>',
    ];
    for (const bomb of bombs) {
      const started = performance.now();
      expect(() => parseBody(bomb, 'text/xml'), bomb.slice(0, 40)).toThrow(MalformedBodyError);
      expect(performance.now() - started).toBeLessThan(100);
    }
  });

  it('keeps a RequestId only when it looks like one', () => {
    expect(asRequestId('0A1B2C3D-0000-4000-8000-00000000ABCD')).toBe('0A1B2C3D-0000-4000-8000-00000000ABCD');
    expect(asRequestId('A'.repeat(64))).toBe('A'.repeat(64));
    expect(asRequestId(12345)).toBe('12345');
    for (const bad of ['', 'A'.repeat(65), 'a b', 'rid\n', '&lol9;', 'ｒｉｄ', null, {}, ['r']]) {
      expect(asRequestId(bad), String(bad)).toBeUndefined();
    }
    expect(requestIdOf({ RequestId: 'x'.repeat(7_500_000) })).toBeUndefined();
  });

  it('cuts long texts with an ellipsis, never through a surrogate pair', () => {
    expect(truncateText('short', 10)).toBe('short');
    expect(truncateText('abcdefghij', 5)).toBe('abcd…');
    expect(truncateText('abc😀def', 5)).toBe('abc…');
    expect(truncateText('x'.repeat(5_000), 2_048)).toHaveLength(2_048);
  });
});

describe('lists and coercion', () => {
  it('turns wrapped lists into arrays whatever their shape', () => {
    expect(listOf({ Region: [{ a: 1 }, { a: 2 }] }, 'Region')).toHaveLength(2);
    expect(listOf({ Region: { a: 1 } }, 'Region')).toEqual([{ a: 1 }]);
    expect(listOf('', 'Region')).toEqual([]);
    expect(listOf(undefined, 'Region')).toEqual([]);
    expect(listOf({ Region: '' }, 'Region')).toEqual([]);
    expect(listOf([{ a: 1 }], 'Region')).toEqual([{ a: 1 }]);
    expect(listOf({ Region: ['junk', { a: 1 }] }, 'Region')).toEqual([{ a: 1 }]);
  });

  it('coerces numbers and booleans from JSON and XML spellings', () => {
    expect(asNumber(3)).toBe(3);
    expect(asNumber('1700000000000')).toBe(1_700_000_000_000);
    expect(asNumber('')).toBeUndefined();
    expect(asNumber('1M')).toBeUndefined();
    expect(asBoolean(true)).toBe(true);
    expect(asBoolean('true')).toBe(true);
    expect(asBoolean('FALSE')).toBe(false);
    expect(asBoolean(1)).toBe(true);
    expect(asBoolean('0')).toBe(false);
    expect(asBoolean('maybe')).toBeUndefined();
  });
});

describe('operation mappers', () => {
  it('maps DescribeRegions from JSON with an array and from XML with a single Region', () => {
    const json = parseBody(
      JSON.stringify({
        RequestId: 'r',
        Regions: {
          Region: [
            {
              RegionId: 'cn-shanghai',
              LocalName: 'China (Shanghai)',
              RegionEndpoint: 'smartag.cn-shanghai.aliyuncs.com',
            },
            {
              RegionId: 'cn-hangzhou',
              LocalName: 'China (Hangzhou)',
              RegionEndpoint: 'smartag.cn-hangzhou.aliyuncs.com',
            },
          ],
        },
      }),
      'application/json',
    );
    expect(toRegions(json).map((region) => region.regionId)).toEqual(['cn-shanghai', 'cn-hangzhou']);

    const xml = parseBody(
      '<DescribeRegionsResponse><RequestId>r</RequestId><Regions><Region><RegionId>ap-southeast-1</RegionId><LocalName>Singapore</LocalName><RegionEndpoint>smartag.ap-southeast-1.aliyuncs.com</RegionEndpoint></Region></Regions></DescribeRegionsResponse>',
      'text/xml',
    );
    expect(toRegions(xml)).toEqual([
      {
        regionId: 'ap-southeast-1',
        localName: 'Singapore',
        regionEndpoint: 'smartag.ap-southeast-1.aliyuncs.com',
      },
    ]);
  });

  it('maps DescribeSmartAccessGateways from XML, coercing numbers', () => {
    const xml = parseBody(
      `<DescribeSmartAccessGatewaysResponse><RequestId>r</RequestId><TotalCount>1</TotalCount><PageNumber>1</PageNumber><PageSize>50</PageSize>
       <SmartAccessGateways><SmartAccessGateway><SmartAGId>sag-abc</SmartAGId><Name>Shanghai office</Name><Status>Active</Status>
       <CidrBlock>10.0.0.0/24</CidrBlock><UserCount>150</UserCount><MaxBandwidth>1M</MaxBandwidth>
       <CreateTime>1700000000000</CreateTime><EndTime>1800000000000</EndTime></SmartAccessGateway></SmartAccessGateways>
       </DescribeSmartAccessGatewaysResponse>`,
      'text/xml',
    );
    const page = toInstancePage(xml, { regionId: 'cn-shanghai' });
    expect(page).toMatchObject({ totalCount: 1, pageNumber: 1, pageSize: 50 });
    expect(page.instances).toEqual([
      {
        smartAGId: 'sag-abc',
        name: 'Shanghai office',
        description: undefined,
        status: 'Active',
        cidrBlock: '10.0.0.0/24',
        userCount: 150,
        hardwareVersion: undefined,
        maxBandwidth: '1M',
        createTime: 1_700_000_000_000,
        endTime: 1_800_000_000_000,
        instanceType: 'software',
        regionId: 'cn-shanghai',
      },
    ]);
  });

  it('maps DescribeSmartAccessGatewayClientUsers from JSON (IsStaticIp as a number) and XML', () => {
    const json = parseBody(
      JSON.stringify({
        RequestId: 'r',
        TotalCount: 1,
        PageNumber: 1,
        PageSize: 10,
        Users: {
          User: {
            UserName: '1234567',
            UserMail: 'a@b.c',
            ClientIp: '10.0.0.5',
            Bandwidth: 2000,
            IsStaticIp: 1,
            State: 0,
          },
        },
      }),
      'application/json',
    );
    expect(toClientUserPage(json, { regionId: 'cn-shanghai', smartAGId: 'sag-1' }).users).toEqual([
      {
        userName: '1234567',
        userMail: 'a@b.c',
        clientIp: '10.0.0.5',
        bandwidth: 2000,
        isStaticIp: true,
        state: 0,
      },
    ]);

    const xml = parseBody(
      '<R><TotalCount>2</TotalCount><Users><User><UserName>0012345</UserName><IsStaticIp>false</IsStaticIp><State>1</State></User><User><UserName>b.user@x</UserName></User></Users></R>',
      'text/xml',
    );
    const page = toClientUserPage(xml, { regionId: 'cn-shanghai', smartAGId: 'sag-1', pageSize: 10 });
    expect(page.totalCount).toBe(2);
    expect(page.pageSize).toBe(10);
    // A username of digits keeps its leading zeros.
    expect(page.users[0]).toEqual({
      userName: '0012345',
      userMail: undefined,
      clientIp: undefined,
      bandwidth: undefined,
      isStaticIp: false,
      state: 1,
    });
  });
});
