import { createHash } from 'node:crypto';
import OpenApi, { $OpenApiUtil } from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, sendJson, startLocalServer } from '@/lib/testing/local-server';
import {
  ACS3_ALGORITHM,
  buildCanonicalRequest,
  canonicalHeaders,
  sha256Hex,
  signatureV3,
  signV3,
  stringToSignV3,
} from './signature-v3';

// The official V3 vector (docs/sag-api.md).
const vector = {
  host: 'ecs.cn-shanghai.aliyuncs.com',
  query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
  action: 'RunInstances',
  version: '2014-05-26',
  date: new Date('2023-10-26T10:22:32Z'),
  nonce: '3156853299f313e23d1673dc12e1703d',
  credentials: { accessKeyId: 'YourAccessKeyId', accessKeySecret: 'YourAccessKeySecret' },
  canonicalRequestHash: '7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
  signature: '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
};

describe('ACS3-HMAC-SHA256 signer', () => {
  it('reproduces the official vector step by step', () => {
    const emptyHash = sha256Hex('');
    const { canonicalRequest, signedHeaders } = buildCanonicalRequest({
      method: 'POST',
      pathname: '/',
      query: vector.query,
      headers: {
        host: vector.host,
        'x-acs-action': vector.action,
        'x-acs-version': vector.version,
        'x-acs-date': '2023-10-26T10:22:32Z',
        'x-acs-signature-nonce': vector.nonce,
        'x-acs-content-sha256': emptyHash,
      },
      hashedPayload: emptyHash,
    });
    expect(signedHeaders).toBe(
      'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
    );
    expect(sha256Hex(canonicalRequest)).toBe(vector.canonicalRequestHash);
    const stringToSign = stringToSignV3(canonicalRequest);
    expect(stringToSign).toBe(`${ACS3_ALGORITHM}\n${vector.canonicalRequestHash}`);
    expect(signatureV3(stringToSign, vector.credentials.accessKeySecret)).toBe(vector.signature);
  });

  it('reproduces the official vector through signV3 and builds the Authorization header', () => {
    const signed = signV3(
      {
        method: 'POST',
        host: vector.host,
        query: vector.query,
        action: vector.action,
        version: vector.version,
        date: vector.date,
        nonce: vector.nonce,
      },
      vector.credentials,
    );
    expect(sha256Hex(signed.canonicalRequest)).toBe(vector.canonicalRequestHash);
    expect(signed.headers.authorization).toBe(
      `ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=${vector.signature}`,
    );
    expect(signed.headers['x-acs-date']).toBe('2023-10-26T10:22:32Z');
    expect(signed.headers['x-acs-content-sha256']).toBe(createHash('sha256').update('').digest('hex'));
  });

  it('signs the STS token as x-acs-security-token', () => {
    const signed = signV3(
      {
        method: 'POST',
        host: vector.host,
        query: vector.query,
        action: vector.action,
        version: vector.version,
        date: vector.date,
        nonce: vector.nonce,
      },
      { ...vector.credentials, securityToken: 'sts-token-value' },
    );
    expect(signed.headers['x-acs-security-token']).toBe('sts-token-value');
    expect(signed.headers.authorization).toContain('x-acs-security-token;x-acs-signature-nonce');
    expect(signed.headers.authorization).not.toContain(vector.signature);
  });

  it('signs host, content-type and x-acs-* headers only, lower-cased, trimmed and sorted', () => {
    const { block, signedHeaders } = canonicalHeaders({
      'X-Acs-Zeta': ' z ',
      Host: 'example.com',
      'Content-Type': 'application/json',
      'User-Agent': 'not signed',
      Accept: 'application/json',
      'x-acs-alpha': 'a',
    });
    expect(signedHeaders).toBe('content-type;host;x-acs-alpha;x-acs-zeta');
    expect(block).toBe('content-type:application/json\nhost:example.com\nx-acs-alpha:a\nx-acs-zeta:z\n');
    expect(() => canonicalHeaders({ Host: 'a', host: 'b' })).toThrow(TypeError);
  });

  it('percent-encodes usernames in the canonical query per RFC 3986', () => {
    const { canonicalRequest } = buildCanonicalRequest({
      method: 'POST',
      pathname: '/',
      query: { UserName: 'john.doe-1_x@example.com', Other: 'a b*~+/é用' },
      headers: { host: 'h' },
      hashedPayload: sha256Hex(''),
    });
    expect(canonicalRequest.split('\n')[2]).toBe(
      'Other=a%20b%2A~%2B%2F%C3%A9%E7%94%A8&UserName=john.doe-1_x%40example.com',
    );
  });
});

describe('V3 interop with the official SDK (@alicloud/openapi-core)', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer((_request, response) => sendJson(response, 200, { RequestId: 'sdk' }));
  });
  afterAll(() => server.close());

  it.each([
    ['AccessKey', undefined],
    ['STS', 'sts-token-for-interop'],
  ])('signs exactly what the SDK signs (%s)', async (_label, securityToken) => {
    const client = new OpenApi(
      new $OpenApiUtil.Config({
        accessKeyId: 'LTAI-interop',
        accessKeySecret: 'interop-secret',
        securityToken,
        endpoint: `127.0.0.1:${server.port}`,
        protocol: 'http',
      }),
    );
    const query = { RegionId: 'cn-hangzhou', UserName: 'zhang.san@example.com', Odd: 'a b*~é' };
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
      new $OpenApiUtil.OpenApiRequest({ query }),
      // Plain runtime options; the SDK reads only the fields it needs.
      {} as never,
    );
    const sent = server.requests.at(-1);
    if (!sent) throw new Error('the SDK sent nothing');
    // The SDK adds headers of its own (x-acs-credentials-provider, x-acs-accesskey-id); they are signed too.
    const extra: Record<string, string> = {};
    for (const [name, value] of Object.entries(sent.headers)) {
      if (name.startsWith('x-acs-') && typeof value === 'string') extra[name] = value;
    }
    const ours = signV3(
      {
        method: 'POST',
        host: String(sent.headers.host),
        query: Object.fromEntries(sent.url.searchParams),
        action: 'RoamClientUser',
        version: '2018-03-13',
        headers: extra,
        date: new Date(String(sent.headers['x-acs-date'])),
        nonce: String(sent.headers['x-acs-signature-nonce']),
      },
      { accessKeyId: 'LTAI-interop', accessKeySecret: 'interop-secret', securityToken },
    );
    expect(ours.headers.authorization).toBe(sent.headers.authorization);
  });
});
