import OpenApi, { $OpenApiUtil } from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, sendJson, startLocalServer } from '@/lib/testing/local-server';
import { canonicalQuery, formatAcsTimestamp, percentEncode } from './percent-encode';
import { commonParametersV2, encodeParameters, signatureV2, signV2, stringToSignV2 } from './signature-v2';

describe('RFC 3986 percent-encoding', () => {
  it.each([
    ['john.doe@example.com', 'john.doe%40example.com'],
    ['first-last_01', 'first-last_01'],
    ['a b', 'a%20b'],
    ['a*b', 'a%2Ab'],
    ['a~b', 'a~b'],
    ['a+b', 'a%2Bb'],
    ["!'()", '%21%27%28%29'],
    ['/=&?', '%2F%3D%26%3F'],
    ['é', '%C3%A9'],
    ['用户', '%E7%94%A8%E6%88%B7'],
    ['😀', '%F0%9F%98%80'],
  ])('encodes %j as %j', (raw, encoded) => {
    expect(percentEncode(raw)).toBe(encoded);
  });

  it('refuses text that is not well-formed Unicode', () => {
    expect(() => percentEncode('a\uD800b')).toThrow(TypeError);
  });

  it('sorts parameter names in byte order', () => {
    expect(canonicalQuery({ b: '1', B: '2', a: '3', AB: '4' })).toBe('AB=4&B=2&a=3&b=1');
  });

  it('formats timestamps as UTC without milliseconds', () => {
    expect(formatAcsTimestamp(new Date(Date.UTC(2023, 2, 13, 8, 34, 30, 999)))).toBe('2023-03-13T08:34:30Z');
  });
});

describe('RPC HMAC-SHA1 signer', () => {
  // The official V2 vector (docs/sag-api.md).
  const vectorParameters = {
    AccessKeyId: 'testid',
    Action: 'DescribeDedicatedHosts',
    Format: 'JSON',
    RegionId: 'cn-beijing',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: 'edb2b34af0af9a6d14deaf7c1a5315eb',
    SignatureVersion: '1.0',
    Timestamp: '2023-03-13T08:34:30Z',
    Version: '2014-05-26',
  };

  it('reproduces the official vector', () => {
    const stringToSign = stringToSignV2('GET', vectorParameters);
    expect(stringToSign.startsWith('GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts')).toBe(
      true,
    );
    expect(signatureV2(stringToSign, 'testsecret')).toBe('9NaGiOspFP5UPcwX8Iwt2YJXXuk=');
  });

  it('reproduces the official vector through signV2', () => {
    const signed = signV2(
      {
        method: 'GET',
        action: 'DescribeDedicatedHosts',
        version: '2014-05-26',
        format: 'JSON',
        parameters: { RegionId: 'cn-beijing' },
        date: new Date('2023-03-13T08:34:30Z'),
        nonce: 'edb2b34af0af9a6d14deaf7c1a5315eb',
      },
      { accessKeyId: 'testid', accessKeySecret: 'testsecret' },
    );
    expect(signed.parameters.Signature).toBe('9NaGiOspFP5UPcwX8Iwt2YJXXuk=');
    expect(signed.parameters.SecurityToken).toBeUndefined();
  });

  it('ignores an existing Signature parameter and signs the method', () => {
    const withSignature = { ...vectorParameters, Signature: 'whatever' };
    expect(stringToSignV2('GET', withSignature)).toBe(stringToSignV2('GET', vectorParameters));
    expect(stringToSignV2('POST', vectorParameters).startsWith('POST&%2F&')).toBe(true);
    expect(signatureV2(stringToSignV2('POST', vectorParameters), 'testsecret')).not.toBe(
      '9NaGiOspFP5UPcwX8Iwt2YJXXuk=',
    );
  });

  it('adds SecurityToken for STS credentials and signs it', () => {
    const common = commonParametersV2(
      { action: 'A', version: 'v', format: 'XML', date: new Date(0), nonce: 'n' },
      { accessKeyId: 'id', accessKeySecret: 's', securityToken: 'token' },
    );
    expect(common).toMatchObject({
      SecurityToken: 'token',
      Format: 'XML',
      Timestamp: '1970-01-01T00:00:00Z',
    });
  });

  it('encodes usernames in the string to sign twice, as the scheme requires', () => {
    const stringToSign = stringToSignV2('POST', { UserName: 'a b*~@é' });
    // once: a%20b%2A~%40%C3%A9 ; twice: % becomes %25
    expect(stringToSign).toBe('POST&%2F&UserName%3Da%2520b%252A~%2540%25C3%25A9');
  });

  it('encodes a form body that decodes back to the signed values', () => {
    const body = encodeParameters({ UserName: 'a+b c@d', Signature: 'x/y=' });
    expect(body).toBe('UserName=a%2Bb%20c%40d&Signature=x%2Fy%3D');
    expect(Object.fromEntries(new URLSearchParams(body))).toEqual({ UserName: 'a+b c@d', Signature: 'x/y=' });
  });
});

describe('V2 interop with the official SDK (@alicloud/openapi-core, signatureAlgorithm v2)', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer((_request, response) => sendJson(response, 200, { RequestId: 'sdk' }));
  });
  afterAll(() => server.close());

  it.each([
    ['AccessKey', undefined],
    ['STS', 'sts-token-for-interop'],
  ])('computes the same signature as the SDK (%s)', async (_label, securityToken) => {
    const client = new OpenApi(
      new $OpenApiUtil.Config({
        accessKeyId: 'LTAI-interop',
        accessKeySecret: 'interop-secret',
        securityToken,
        endpoint: `127.0.0.1:${server.port}`,
        protocol: 'http',
        signatureAlgorithm: 'v2',
      }),
    );
    await client.callApi(
      new $OpenApiUtil.Params({
        action: 'RoamClientUser',
        version: '2018-03-13',
        protocol: 'HTTP',
        pathname: '/',
        method: 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      }),
      new $OpenApiUtil.OpenApiRequest({
        query: { RegionId: 'cn-hangzhou', UserName: 'zhang.san@example.com', Odd: 'a b*~é' },
      }),
      // Plain runtime options; the SDK reads only the fields it needs.
      {} as never,
    );
    const sent = server.requests.at(-1);
    if (!sent) throw new Error('the SDK sent nothing');
    const parameters = Object.fromEntries(sent.url.searchParams);
    const { Signature: sdkSignature, ...signed } = parameters;
    expect(signatureV2(stringToSignV2('POST', signed), 'interop-secret')).toBe(sdkSignature);
    expect(Boolean(signed.SecurityToken)).toBe(Boolean(securityToken));
  });
});
