// Gateway authentication answers: each way of getting the signature wrong gets the real code and status.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RawRequest, sendJson, signedRequest } from '@/lib/testing/emulator-signed-requests';
import { sdkCall, sdkError } from '@/lib/testing/official-sdk';
import { DEMO_ACCESS_KEY, type Emulator, startEmulator } from './server';
import { formatUtcTimestamp, percentEncode, v2StringToSign } from './signature';

const STS_KEY = {
  accessKeyId: 'STS.NUgYrLnoCemdAk2m5ptP',
  accessKeySecret: 'StsSecretForTests',
  securityToken: 'CAIS-token-1',
};
const DISABLED_KEY = {
  accessKeyId: 'LTAI5tDisabledKey000001',
  accessKeySecret: 'DisabledSecret',
  inactive: true,
};
const READ_ONLY_KEY = {
  accessKeyId: 'LTAI5tReadOnlyKey000001',
  accessKeySecret: 'ReadOnlySecret',
  deniedActions: ['RoamClientUser'],
};

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ accessKeys: [DEMO_ACCESS_KEY, STS_KEY, DISABLED_KEY, READ_ONLY_KEY] });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.state.reset());

const SERVER_STRING = 'server string to sign is:';

function serverStringToSign(message: unknown): string {
  const text = String(message);
  return text.slice(text.indexOf(SERVER_STRING) + SERVER_STRING.length);
}

/** Replaces one query parameter after signing. */
function tamperQuery(raw: RawRequest, name: string, value: string): RawRequest {
  const pattern = new RegExp(`([?&]${name}=)[^&]*`);
  return { ...raw, path: raw.path.replace(pattern, `$1${percentEncode(value)}`) };
}

describe.each(['v2', 'v3'] as const)('%s signatures', (scheme) => {
  const gateways = { RegionId: 'cn-shanghai' };

  it('rejects a parameter changed after signing, quoting the server string to sign', async () => {
    const raw = signedRequest(emulator, { scheme, action: 'DescribeSmartAccessGateways', params: gateways });
    const answer = await sendJson(emulator, tamperQuery(raw, 'RegionId', 'cn-hangzhou'));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      Code: 'SignatureDoesNotMatch',
      HostId: 'smartag.cn-hangzhou.aliyuncs.com',
    });
    const stringToSign = serverStringToSign(answer.json.Message);
    if (scheme === 'v2') {
      expect(stringToSign).toContain('RegionId%3Dcn-hangzhou');
      const tampered = new URL(`http://x${tamperQuery(raw, 'RegionId', 'cn-hangzhou').path}`).searchParams;
      expect(stringToSign).toBe(v2StringToSign('GET', [...tampered.entries()]));
    } else {
      expect(stringToSign).toMatch(/^ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
    }
  });

  it('accepts the same request untouched, once: a replayed nonce is SignatureNonceUsed', async () => {
    const raw = signedRequest(emulator, { scheme, action: 'DescribeSmartAccessGateways', params: gateways });
    expect((await sendJson(emulator, raw)).status).toBe(200);
    const replay = await sendJson(emulator, raw);
    expect(replay.status).toBe(400);
    expect(replay.json).toMatchObject({
      Code: 'SignatureNonceUsed',
      Message: 'Specified signature nonce was used already.',
    });
  });

  it.each([
    ['16 minutes late', -16 * 60_000],
    ['16 minutes early', 16 * 60_000],
  ])('answers InvalidTimeStamp.Expired for a timestamp %s', async (_label, offset) => {
    const raw = signedRequest(emulator, {
      scheme,
      action: 'DescribeRegions',
      timestampMs: Date.now() + offset,
    });
    expect((await sendJson(emulator, raw)).json).toMatchObject({ Code: 'InvalidTimeStamp.Expired' });
  });

  it('accepts a timestamp 14 minutes old', async () => {
    const raw = signedRequest(emulator, {
      scheme,
      action: 'DescribeRegions',
      timestampMs: Date.now() - 14 * 60_000,
    });
    expect((await sendJson(emulator, raw)).status).toBe(200);
  });

  it('answers InvalidTimeStamp.Format for a timestamp with milliseconds', async () => {
    const raw = signedRequest(emulator, { scheme, action: 'DescribeRegions' });
    const stamp = formatUtcTimestamp(Date.now()).replace('Z', '.000Z');
    const broken =
      scheme === 'v2'
        ? tamperQuery(raw, 'Timestamp', stamp)
        : { ...raw, headers: { ...raw.headers, 'x-acs-date': stamp } };
    expect((await sendJson(emulator, broken)).json).toMatchObject({
      Code: 'InvalidTimeStamp.Format',
      Message: 'Specified time stamp or date value is not well formatted.',
    });
  });

  it('answers InvalidAccessKeyId.NotFound (404) for an unknown AccessKey and .Inactive for a disabled one', async () => {
    const unknown = await sdkError(emulator, {
      algorithm: scheme,
      action: 'DescribeRegions',
      accessKeyId: 'LTAI5tNobody',
    });
    expect(unknown).toMatchObject({ code: 'InvalidAccessKeyId.NotFound', statusCode: 404 });
    const disabled = await sdkError(emulator, {
      algorithm: scheme,
      action: 'DescribeRegions',
      accessKeyId: DISABLED_KEY.accessKeyId,
      accessKeySecret: DISABLED_KEY.accessKeySecret,
    });
    expect(disabled).toMatchObject({ code: 'InvalidAccessKeyId.Inactive', statusCode: 400 });
  });

  it('answers SignatureDoesNotMatch for the wrong secret', async () => {
    const error = await sdkError(emulator, {
      algorithm: scheme,
      action: 'DescribeRegions',
      accessKeySecret: 'wrong',
    });
    expect(error).toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 400 });
    expect(String(error.data?.Message)).toContain(SERVER_STRING);
  });

  it('checks STS tokens: right token accepted, wrong one refused', async () => {
    const sts = { accessKeyId: STS_KEY.accessKeyId, accessKeySecret: STS_KEY.accessKeySecret };
    const ok = await sdkCall(emulator, {
      algorithm: scheme,
      action: 'DescribeRegions',
      ...sts,
      securityToken: 'CAIS-token-1',
    });
    expect(ok.statusCode).toBe(200);
    expect(
      await sdkError(emulator, {
        algorithm: scheme,
        action: 'DescribeRegions',
        ...sts,
        securityToken: 'CAIS-token-2',
      }),
    ).toMatchObject({ code: 'InvalidSecurityToken.MismatchWithAccessKey' });
    expect(await sdkError(emulator, { algorithm: scheme, action: 'DescribeRegions', ...sts })).toMatchObject({
      code: 'MissingSecurityToken',
    });
  });

  it('answers Forbidden.RAM (403) when the identity may not call the action', async () => {
    const error = await sdkError(emulator, {
      algorithm: scheme,
      action: 'RoamClientUser',
      accessKeyId: READ_ONLY_KEY.accessKeyId,
      accessKeySecret: READ_ONLY_KEY.accessKeySecret,
      query: { RegionId: 'cn-hangzhou' },
    });
    expect(error).toMatchObject({ code: 'Forbidden.RAM', statusCode: 403 });
  });
});

describe('incomplete signatures', () => {
  it('answers IncompleteSignature when a V2 request lacks its nonce', async () => {
    const raw = signedRequest(emulator, { scheme: 'v2', action: 'DescribeRegions' });
    const answer = await sendJson(emulator, { ...raw, path: raw.path.replace(/&SignatureNonce=[^&]*/, '') });
    expect(answer.json).toMatchObject({
      Code: 'IncompleteSignature',
      Message: 'The request signature does not conform to Aliyun standards.',
    });
  });

  it('answers IncompleteSignature when a request carries no signature at all', async () => {
    const answer = await sendJson(emulator, {
      method: 'GET',
      path: '/?Action=DescribeRegions&Version=2018-03-13&Format=JSON',
      headers: {},
      body: '',
    });
    expect(answer).toMatchObject({ status: 400, json: { Code: 'IncompleteSignature' } });
  });

  it('answers IncompleteSignature, with its string to sign, when a V3 x-acs-* header is left unsigned', async () => {
    const raw = signedRequest(emulator, { scheme: 'v3', action: 'DescribeRegions' });
    const answer = await sendJson(emulator, {
      ...raw,
      headers: { ...raw.headers, 'x-acs-extra': 'unsigned' },
    });
    expect(answer.json.Code).toBe('IncompleteSignature');
    expect(serverStringToSign(answer.json.Message)).toMatch(/^ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
  });

  it('answers InvalidSignatureMethod for HMAC-SHA256 in V2', async () => {
    const raw = signedRequest(emulator, { scheme: 'v2', action: 'DescribeRegions' });
    const answer = await sendJson(emulator, tamperQuery(raw, 'SignatureMethod', 'HMAC-SHA256'));
    expect(answer.json.Code).toBe('InvalidSignatureMethod');
  });
});

describe('nonce window', () => {
  it('accepts a nonce again once 15 minutes have passed (clock injected, no waiting)', async () => {
    let clock = Date.parse('2025-01-06T08:00:00Z');
    const local = await startEmulator({ now: () => clock });
    try {
      const at = (timestampMs: number) =>
        signedRequest(local, {
          scheme: 'v3',
          action: 'DescribeRegions',
          nonce: 'fixed-nonce-1',
          timestampMs,
        });
      expect((await sendJson(local, at(clock))).status).toBe(200);
      clock += 14 * 60_000;
      expect((await sendJson(local, at(clock))).json.Code).toBe('SignatureNonceUsed');
      clock += 2 * 60_000;
      expect((await sendJson(local, at(clock))).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});
