import { describe, expect, it } from 'vitest';
import {
  parseUtcTimestamp,
  parseV3Authorization,
  percentEncode,
  sha256Hex,
  v2Signature,
  v2StringToSign,
  v3CanonicalRequest,
  v3Signature,
  v3StringToSign,
} from './signature';

describe('V2 HMAC-SHA1 verifier', () => {
  it('reproduces the official vector (testid / testsecret)', () => {
    const stringToSign = v2StringToSign('GET', [
      ['AccessKeyId', 'testid'],
      ['Action', 'DescribeDedicatedHosts'],
      ['Format', 'JSON'],
      ['RegionId', 'cn-beijing'],
      ['SignatureMethod', 'HMAC-SHA1'],
      ['SignatureNonce', 'edb2b34af0af9a6d14deaf7c1a5315eb'],
      ['SignatureVersion', '1.0'],
      ['Timestamp', '2023-03-13T08:34:30Z'],
      ['Version', '2014-05-26'],
    ]);
    expect(stringToSign).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON%26RegionId%3Dcn-beijing' +
        '%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0' +
        '%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26',
    );
    expect(v2Signature(stringToSign, 'testsecret')).toBe('9NaGiOspFP5UPcwX8Iwt2YJXXuk=');
  });

  it('sorts parameters by name whatever order they arrive in, and never signs Signature', () => {
    const sorted = v2StringToSign('POST', [
      ['A', '1'],
      ['B', '2'],
    ]);
    expect(
      v2StringToSign('post', [
        ['Signature', 'ignored'],
        ['B', '2'],
        ['A', '1'],
      ]),
    ).toBe(sorted);
  });
});

describe('V3 ACS3-HMAC-SHA256 verifier', () => {
  it('reproduces the official vector (RunInstances)', () => {
    const headers = {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-content-sha256': sha256Hex(''),
    };
    const canonical = v3CanonicalRequest({
      method: 'POST',
      path: '/',
      query: [
        ['RegionId', 'cn-shanghai'],
        ['ImageId', 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd'],
      ],
      headers,
      signedHeaders: Object.keys(headers),
      hashedPayload: sha256Hex(''),
    });
    expect(sha256Hex(canonical)).toBe('7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
    expect(v3Signature(v3StringToSign(canonical), 'YourAccessKeySecret')).toBe(
      '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
    );
  });

  it('parses the Authorization header and refuses a malformed one', () => {
    expect(
      parseV3Authorization('ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-date,Signature=abc'),
    ).toEqual({
      algorithm: 'ACS3-HMAC-SHA256',
      credential: 'AK',
      signedHeaders: ['host', 'x-acs-date'],
      signature: 'abc',
    });
    expect(parseV3Authorization('ACS3-HMAC-SHA256 Credential=AK,Signature=abc')).toBeNull();
    expect(parseV3Authorization('garbage')).toBeNull();
  });
});

describe('shared pieces', () => {
  it('percent-encodes per RFC 3986 on UTF-8 bytes with uppercase hex', () => {
    expect(percentEncode('a-b_c.d~e')).toBe('a-b_c.d~e');
    expect(percentEncode("user@corp.example.com *!'()+/ ")).toBe(
      'user%40corp.example.com%20%2A%21%27%28%29%2B%2F%20',
    );
    expect(percentEncode('华')).toBe('%E5%8D%8E');
  });

  it('accepts only YYYY-MM-DDThh:mm:ssZ timestamps that are real dates', () => {
    expect(parseUtcTimestamp('2023-03-13T08:34:30Z')).toBe(Date.UTC(2023, 2, 13, 8, 34, 30));
    expect(parseUtcTimestamp('2023-03-13T08:34:30.123Z')).toBeNull();
    expect(parseUtcTimestamp('2023-02-30T08:34:30Z')).toBeNull();
    expect(parseUtcTimestamp('Mon, 13 Mar 2023 08:34:30 GMT')).toBeNull();
  });
});
