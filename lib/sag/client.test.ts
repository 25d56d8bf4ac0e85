import type http from 'node:http';
import util from 'node:util';
import { OpenApiUtil } from '@alicloud/openapi-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closedPort,
  type LocalServer,
  type RecordedRequest,
  rpcParameters,
  sendJson,
  sendXml,
  startLocalServer,
} from '@/lib/testing/local-server';
import { createSagClient, type SagClient, type SagClientOptions } from './client';
import { staticCredentials } from './credentials';
import { createEndpointResolver } from './endpoints';
import { adminMessage } from './error-messages';
import { SagError } from './errors';
import { type DeleteClientUserInput, quotaOf, type RoamClientUserInput } from './operations';
import { stringToSignV2 } from './signature-v2';
import { buildCanonicalRequest, stringToSignV3 } from './signature-v3';

// Distinctive values with characters that change when percent-encoded, to catch leaks in any form.
const SECRET = 'Sup3rS3cret/With+Special=Chars';
const TOKEN = 'STS.T0ken/Value+With=Chars';
const KEY_ID = 'LTAI-client-test';
const CREDENTIALS = { accessKeyId: KEY_ID, accessKeySecret: SECRET, securityToken: TOKEN };

const ROAM: RoamClientUserInput = {
  regionId: 'cn-hangzhou',
  originRegionId: 'cn-shanghai',
  originSmartAGId: 'sag-origin0001',
  targetSmartAGId: 'sag-target0001',
  userName: 'zhang.san@example.com',
};

const DELETE: DeleteClientUserInput = {
  regionId: 'cn-hangzhou',
  smartAGId: 'sag-target0001',
  userName: 'zhang.san@example.com',
};

type Version = 'v3' | 'v2';

function actionOf(request: RecordedRequest): string {
  return String(request.headers['x-acs-action'] ?? rpcParameters(request).Action ?? '');
}

/** The string-to-sign a server would compute for this request (to echo in SignatureDoesNotMatch). */
function serverStringToSign(request: RecordedRequest): string {
  if (request.headers.authorization) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === 'string') headers[name] = value;
    const { canonicalRequest } = buildCanonicalRequest({
      method: request.method,
      pathname: request.url.pathname,
      query: Object.fromEntries(request.url.searchParams),
      headers,
      hashedPayload: headers['x-acs-content-sha256'] ?? '',
    });
    return stringToSignV3(canonicalRequest);
  }
  return stringToSignV2(request.method, rpcParameters(request));
}

/** Checks a request's signature with the official SDK's own functions, as an independent verifier. */
function signatureIsValid(request: RecordedRequest, secret: string): boolean {
  if (request.headers.authorization) {
    const expected = OpenApiUtil.getAuthorization(
      {
        pathname: request.url.pathname,
        method: request.method,
        query: Object.fromEntries(request.url.searchParams),
        headers: request.headers,
      } as never,
      'ACS3-HMAC-SHA256',
      String(request.headers['x-acs-content-sha256']),
      KEY_ID,
      secret,
    );
    return expected === request.headers.authorization;
  }
  const { Signature, ...signed } = rpcParameters(request);
  return OpenApiUtil.getRPCSignature(signed, request.method, secret) === Signature;
}

type Reply = (request: RecordedRequest, response: http.ServerResponse, attempt: number) => void;

/** Reads the request and never answers. */
const neverAnswer: Reply = () => {};

interface FakeSag extends LocalServer {
  attempts(action: string): RecordedRequest[];
}

/** A scripted smartag endpoint: verifies every signature, then lets the test answer per action. */
async function startFakeSag(replies: Record<string, Reply>, serverSecret = SECRET): Promise<FakeSag> {
  const counts = new Map<string, number>();
  const server = await startLocalServer((request, response) => {
    const action = actionOf(request);
    if (!signatureIsValid(request, serverSecret)) {
      sendJson(response, 400, {
        RequestId: 'sig-rid',
        HostId: 'smartag.aliyuncs.com',
        Code: 'SignatureDoesNotMatch',
        Message: `Specified signature is not matched with our calculation. server string to sign is:${serverStringToSign(request)}`,
        Recommend: 'https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch',
      });
      return;
    }
    const attempt = (counts.get(action) ?? 0) + 1;
    counts.set(action, attempt);
    const reply = replies[action];
    if (!reply) {
      sendJson(response, 404, { RequestId: 'r', Code: 'InvalidAction.NotFound', Message: `no ${action}` });
      return;
    }
    reply(request, response, attempt);
  });
  return {
    ...server,
    attempts: (action) => server.requests.filter((request) => actionOf(request) === action),
  };
}

let servers: LocalServer[] = [];
let clients: SagClient[] = [];
afterEach(async () => {
  for (const client of clients) client.close();
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  clients = [];
});

function makeClient(url: string, overrides: Partial<SagClientOptions> = {}) {
  const delays: number[] = [];
  const client = createSagClient({
    credentials: staticCredentials(CREDENTIALS),
    signatureVersion: 'v3',
    endpoint: url,
    timeoutMs: 2_000,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 50 },
    sleep: async (milliseconds) => {
      delays.push(milliseconds);
    },
    random: () => 0,
    ...overrides,
  });
  clients.push(client);
  return { client, delays };
}

async function fake(replies: Record<string, Reply>, serverSecret?: string): Promise<FakeSag> {
  const server = await startFakeSag(replies, serverSecret);
  servers.push(server);
  return server;
}

async function rejection(promise: Promise<unknown>): Promise<SagError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SagError)) throw new Error(`expected a SagError, got ${String(error)}`);
  return error;
}

const regionsReply: Reply = (_request, response) =>
  sendJson(response, 200, {
    RequestId: 'regions-rid',
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
  });

describe.each<Version>(['v3', 'v2'])('RoamClientUser signed with %s', (version) => {
  it('sends a correctly signed request and returns the request ID', async () => {
    const server = await fake({
      RoamClientUser: (_request, response) => sendJson(response, 200, { RequestId: 'roam-rid' }),
    });
    const { client } = makeClient(server.url, { signatureVersion: version });
    expect(await client.roamClientUser(ROAM)).toEqual({ requestId: 'roam-rid' });

    const [sent] = server.attempts('RoamClientUser');
    if (!sent) throw new Error('nothing sent');
    expect(sent.method).toBe('POST');
    expect(sent.url.pathname).toBe('/');
    expect(rpcParameters(sent)).toMatchObject({
      RegionId: 'cn-hangzhou',
      OriginRegionId: 'cn-shanghai',
      OriginSmartAGId: 'sag-origin0001',
      TargetSmartAGId: 'sag-target0001',
      UserName: 'zhang.san@example.com',
    });
    if (version === 'v3') {
      expect(sent.body).toBe('');
      expect(sent.headers).toMatchObject({
        'x-acs-action': 'RoamClientUser',
        'x-acs-version': '2018-03-13',
        'x-acs-security-token': TOKEN,
      });
      expect(String(sent.headers['x-acs-date'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    } else {
      // Everything travels in the form body: no signature or token in the URL.
      expect(sent.url.search).toBe('');
      expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(rpcParameters(sent)).toMatchObject({
        Action: 'RoamClientUser',
        Version: '2018-03-13',
        Format: 'JSON',
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        SecurityToken: TOKEN,
        AccessKeyId: KEY_ID,
      });
    }
  });

  it('uses the clock it is given and a fresh nonce per request', async () => {
    const server = await fake({
      RoamClientUser: (_request, response) => sendJson(response, 200, { RequestId: 'r' }),
    });
    const { client } = makeClient(server.url, {
      signatureVersion: version,
      now: () => new Date('2030-01-02T03:04:05.678Z'),
    });
    await client.roamClientUser(ROAM);
    await client.roamClientUser(ROAM);
    const [first, second] = server.attempts('RoamClientUser');
    if (!first || !second) throw new Error('expected two requests');
    const date = (request: RecordedRequest) =>
      request.headers['x-acs-date'] ?? rpcParameters(request).Timestamp;
    const nonce = (request: RecordedRequest) =>
      request.headers['x-acs-signature-nonce'] ?? rpcParameters(request).SignatureNonce;
    expect(date(first)).toBe('2030-01-02T03:04:05Z');
    expect(nonce(first)).not.toBe(nonce(second));
  });
});

const ROAM_CODES = [
  'SAG.InstanceNoFound',
  'ClientUser.NotSupportAction',
  'SAG.CidrEmpty',
  'ClientUser.BandwidthInvalid',
  'ClientUser.InvalidClientIp',
  'ClientUser.UserOverLimit',
  'ClientUser.UserExist',
  'ClientUser.NameInvalid',
  'SAG.CidrOverlap',
  'ClientUser.NotExist',
];

describe('API error answers', () => {
  it.each(ROAM_CODES.flatMap((code) => [[code, 'json'] as const, [code, 'xml'] as const]))(
    'maps %s (%s) to a not-applied SagError, sent once',
    async (code, format) => {
      const server = await fake({
        RoamClientUser: (_request, response) => {
          const fields = {
            RequestId: 'err-rid',
            HostId: 'smartag.cn-hangzhou.aliyuncs.com',
            Code: code,
            Message: `The server says ${code}.`,
            Recommend: `https://api.aliyun.com/troubleshoot?q=${code}`,
          };
          if (format === 'json') sendJson(response, 400, fields);
          else {
            sendXml(
              response,
              400,
              `<Error>${Object.entries(fields)
                .map(([name, value]) => `<${name}>${value}</${name}>`)
                .join('')}</Error>`,
            );
          }
        },
      });
      const { client } = makeClient(server.url);
      const error = await rejection(client.roamClientUser(ROAM));
      expect(error).toMatchObject({
        code,
        message: `The server says ${code}.`,
        action: 'RoamClientUser',
        requestId: 'err-rid',
        hostId: 'smartag.cn-hangzhou.aliyuncs.com',
        httpStatus: 400,
        recommend: `https://api.aliyun.com/troubleshoot?q=${code}`,
        outcome: 'not_applied',
        retryable: false,
        admin: adminMessage(code, { action: 'RoamClientUser', outcome: 'not_applied' }),
      });
      expect(server.attempts('RoamClientUser')).toHaveLength(1);
    },
  );

  it('keeps the code, message and request ID of an unknown code, with a generic title', async () => {
    const server = await fake({
      DescribeRegions: (_request, response) =>
        sendJson(response, 400, { RequestId: 'u-rid', Code: 'Brand.NewCode', Message: 'Something new.' }),
    });
    const { client } = makeClient(server.url);
    const error = await rejection(client.describeRegions());
    expect(error).toMatchObject({ code: 'Brand.NewCode', message: 'Something new.', requestId: 'u-rid' });
    expect(error.admin.title).toBe('Alibaba Cloud refused the request.');
    expect(server.attempts('DescribeRegions')).toHaveLength(1);
  });
});

describe('failures without an answer', () => {
  it('does not retry a roam that timed out and reports an unknown outcome', async () => {
    const server = await fake({ RoamClientUser: neverAnswer });
    const { client } = makeClient(server.url, { timeoutMs: 150 });
    const error = await rejection(client.roamClientUser(ROAM));
    expect(error).toMatchObject({ code: 'SagClient.Timeout', outcome: 'unknown', retryable: false });
    expect(error.admin.fix).toContain('may or may not have been applied');
    expect(server.attempts('RoamClientUser')).toHaveLength(1);
  });

  it('retries a Describe call that timed out, up to maxAttempts', async () => {
    const server = await fake({ DescribeRegions: neverAnswer });
    const { client, delays } = makeClient(server.url, { timeoutMs: 150 });
    const error = await rejection(client.describeRegions());
    expect(error).toMatchObject({ code: 'SagClient.Timeout', outcome: 'unknown', retryable: true });
    expect(server.attempts('DescribeRegions')).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it('reports a connection destroyed after the roam request was read as unknown, without retrying', async () => {
    const server = await fake({ RoamClientUser: (_request, response) => response.socket?.destroy() });
    const { client } = makeClient(server.url);
    const error = await rejection(client.roamClientUser(ROAM));
    expect(error).toMatchObject({ code: 'SagClient.ConnectionLost', outcome: 'unknown', retryable: false });
    expect(server.attempts('RoamClientUser')).toHaveLength(1);
  });

  it('retries a Describe call whose connection was destroyed', async () => {
    const server = await fake({
      DescribeRegions: (request, response, attempt) =>
        attempt === 1 ? response.socket?.destroy() : regionsReply(request, response, attempt),
    });
    const { client } = makeClient(server.url);
    expect(await client.describeRegions()).toHaveLength(2);
    expect(server.attempts('DescribeRegions')).toHaveLength(2);
  });

  it('reports a refused connection as certainly not applied', async () => {
    const { client } = makeClient(`http://127.0.0.1:${await closedPort()}`);
    const error = await rejection(client.roamClientUser(ROAM));
    expect(error).toMatchObject({
      code: 'SagClient.ConnectionFailed',
      outcome: 'not_applied',
      retryable: true,
    });
    expect(error.admin.fix).toContain('Nothing was sent');
  });

  it('reports an unreadable success body as unknown for a roam, and does not retry it', async () => {
    const server = await fake({
      RoamClientUser: (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"RequestId": "trunc');
      },
      DescribeRegions: (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html><body>Welcome');
      },
    });
    const { client } = makeClient(server.url);
    expect(await rejection(client.roamClientUser(ROAM))).toMatchObject({
      code: 'SagClient.MalformedResponse',
      outcome: 'unknown',
      retryable: false,
      httpStatus: 200,
    });
    expect(await rejection(client.describeRegions())).toMatchObject({ code: 'SagClient.MalformedResponse' });
    expect(server.attempts('RoamClientUser')).toHaveLength(1);
    expect(server.attempts('DescribeRegions')).toHaveLength(1);
  });

  it('treats a 502 page from a proxy as unknown for a roam and as retryable for Describe', async () => {
    const badGateway: Reply = (_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><h1>502 Bad Gateway</h1>');
    };
    const server = await fake({ RoamClientUser: badGateway, DescribeRegions: badGateway });
    const { client } = makeClient(server.url);
    expect(await rejection(client.roamClientUser(ROAM))).toMatchObject({
      code: 'SagClient.UnexpectedHttpStatus',
      httpStatus: 502,
      outcome: 'unknown',
      retryable: false,
    });
    expect(await rejection(client.describeRegions())).toMatchObject({ retryable: true });
    expect(server.attempts('RoamClientUser')).toHaveLength(1);
    expect(server.attempts('DescribeRegions')).toHaveLength(3);
  });
});

describe('answers that contradict themselves, prove nothing or overflow', () => {
  const usersPage = { RequestId: 'users-rid', TotalCount: 0, PageNumber: 1, PageSize: 50, Users: {} };

  it('takes a success status with an error code as that error, of unknown outcome for a roam', async () => {
    const server = await fake({
      RoamClientUser: (_request, response) =>
        sendJson(response, 200, {
          RequestId: 'odd-rid',
          Code: 'ClientUser.UserExist',
          Message: 'It exists.',
        }),
    });
    const { client } = makeClient(server.url);
    const error = await rejection(client.roamClientUser(ROAM));
    expect(error).toMatchObject({
      code: 'ClientUser.UserExist',
      requestId: 'odd-rid',
      httpStatus: 200,
      // Neither "failed" (the status says done) nor "succeeded" (the code says refused): the target decides.
      outcome: 'unknown',
      retryable: false,
      admin: adminMessage('ClientUser.UserExist', { action: 'RoamClientUser', outcome: 'unknown' }),
    });
    expect(error.message).toContain('It exists.');
    expect(server.attempts('RoamClientUser')).toHaveLength(1);
  });

  it('retries a Describe answered 200 with a transient code, and not one with a refusal', async () => {
    const server = await fake({
      DescribeSmartAccessGatewayClientUsers: (_request, response, attempt) =>
        attempt === 1
          ? sendXml(response, 200, '<R><RequestId>busy-rid</RequestId><Code>ServiceUnavailable</Code></R>')
          : sendJson(response, 200, usersPage),
      DescribeRegions: (_request, response) =>
        sendJson(response, 200, { RequestId: 'no-rid', Code: 'Forbidden.RAM', Message: 'No.' }),
    });
    const { client } = makeClient(server.url);
    const page = await client.describeSmartAccessGatewayClientUsers({
      regionId: 'cn-hangzhou',
      smartAGId: 'sag-target0001',
    });
    expect(page.requestId).toBe('users-rid');
    expect(server.attempts('DescribeSmartAccessGatewayClientUsers')).toHaveLength(2);
    expect(await rejection(client.describeRegions())).toMatchObject({
      code: 'Forbidden.RAM',
      httpStatus: 200,
      retryable: false,
    });
    expect(server.attempts('DescribeRegions')).toHaveLength(1);
  });

  it.each([
    ['no RequestId', {}, {}],
    ['an empty RequestId', { RequestId: '' }, {}],
    ['a RequestId of 65 characters', { RequestId: 'A'.repeat(65) }, {}],
    ['a RequestId with other characters', { RequestId: 'rid<script>' }, {}],
    ['a RequestId that is an object', { RequestId: { id: 'x' } }, {}],
    ['only an odd x-acs-request-id', {}, { 'x-acs-request-id': 'bad id' }],
  ])(
    'takes a roam answered 200 with %s as an unknown outcome, never a success',
    async (_name, body, headers) => {
      const server = await fake({
        RoamClientUser: (_request, response) => sendJson(response, 200, body, headers),
      });
      const { client } = makeClient(server.url);
      const error = await rejection(client.roamClientUser(ROAM));
      expect(error).toMatchObject({
        code: 'SagClient.MalformedResponse',
        outcome: 'unknown',
        retryable: false,
        requestId: undefined,
      });
      expect(error.admin.fix).toContain('may or may not have been applied');
      expect(server.attempts('RoamClientUser')).toHaveLength(1);
    },
  );

  it('takes the RequestId from x-acs-request-id when the body has none', async () => {
    const server = await fake({
      RoamClientUser: (_request, response) =>
        sendJson(response, 200, {}, { 'x-acs-request-id': '0A1B2C3D-0000-4000-8000-00000000ABCD' }),
    });
    const { client } = makeClient(server.url);
    expect(await client.roamClientUser(ROAM)).toEqual({
      requestId: '0A1B2C3D-0000-4000-8000-00000000ABCD',
    });
  });

  it('caps the code, message, host and advice of an error, and drops an oversized RequestId', async () => {
    const huge = 'x'.repeat(200_000);
    const server = await fake({
      RoamClientUser: (_request, response) =>
        sendJson(response, 400, {
          RequestId: `R${huge}`,
          Code: `Odd.${huge}`,
          Message: `${SECRET} ${'m'.repeat(5_000)}`,
          HostId: huge,
          Recommend: huge,
        }),
    });
    const { client } = makeClient(server.url);
    const error = await rejection(client.roamClientUser(ROAM));
    expect(error.requestId).toBeUndefined();
    expect(error.code.length).toBeLessThanOrEqual(128);
    expect(error.code.startsWith('Odd.x')).toBe(true);
    expect(error.message.length).toBeLessThanOrEqual(2_048);
    // Redacted before it was cut: no part of the secret is left at the start.
    expect(error.message.startsWith('[redacted] mmm')).toBe(true);
    expect(error.hostId?.length).toBeLessThanOrEqual(256);
    expect(error.recommend?.length).toBeLessThanOrEqual(2_048);
    expect(error.outcome).toBe('not_applied');
  });

  it('refuses an XML answer with a document type at once, as unreadable', async () => {
    // Entities that would expand to a billion "lol"s if anything expanded them.
    let entities = '<!ENTITY lol0 "lol">';
    for (let level = 1; level <= 9; level += 1)
      entities += `<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`;
    const bomb = `<!DOCTYPE R [${entities}]><RoamClientUserResponse><RequestId>&lol9;</RequestId></RoamClientUserResponse>`;
    const server = await fake({ RoamClientUser: (_request, response) => sendXml(response, 200, bomb) });
    const { client } = makeClient(server.url, { format: 'XML' });
    const started = Date.now();
    const error = await rejection(client.roamClientUser(ROAM));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toMatchObject({
      code: 'SagClient.MalformedResponse',
      outcome: 'unknown',
      retryable: false,
    });
    expect(error.message).toContain('document type');
  });

  it('reads an x-acs-retry-after of 400 nines as one minute', async () => {
    const server = await fake({
      RoamClientUser: (_request, response) =>
        sendJson(
          response,
          400,
          { RequestId: 'th-rid', Code: 'Throttling.User', Message: 'Slow down.' },
          { 'x-acs-retry-after': '9'.repeat(400) },
        ),
    });
    const { client } = makeClient(server.url);
    expect(await rejection(client.roamClientUser(ROAM))).toMatchObject({
      code: 'Throttling.User',
      retryAfterMs: 60_000,
    });
  });
});

describe('retries', () => {
  const unavailable: Reply = (_request, response) =>
    sendJson(response, 503, { RequestId: 'busy', Code: 'ServiceUnavailable', Message: 'Try later.' });

  it('retries a 503 on Describe and then succeeds', async () => {
    const server = await fake({
      DescribeSmartAccessGatewayClientUsers: (request, response, attempt) =>
        attempt === 1
          ? unavailable(request, response, attempt)
          : sendJson(response, 200, {
              RequestId: 'ok',
              TotalCount: 1,
              PageNumber: 1,
              PageSize: 10,
              Users: {
                User: [{ UserName: 'zhang.san@example.com', Bandwidth: 2000, IsStaticIp: false, State: 0 }],
              },
            }),
    });
    const { client, delays } = makeClient(server.url);
    const page = await client.describeSmartAccessGatewayClientUsers({
      regionId: 'cn-hangzhou',
      smartAGId: 'sag-target0001',
      userName: 'zhang.san@example.com',
    });
    expect(page.users.map((user) => user.userName)).toEqual(['zhang.san@example.com']);
    expect(server.attempts('DescribeSmartAccessGatewayClientUsers')).toHaveLength(2);
    expect(rpcParameters(server.requests[1] as RecordedRequest)).toMatchObject({
      SmartAGId: 'sag-target0001',
      UserName: 'zhang.san@example.com',
    });
    expect(delays).toHaveLength(1);
  });

  it('never retries a roam after a 503, and says the outcome is unknown', async () => {
    const server = await fake({
      RoamClientUser: (request, response, attempt) =>
        attempt === 1
          ? unavailable(request, response, attempt)
          : sendJson(response, 200, { RequestId: 'ok' }),
    });
    const { client } = makeClient(server.url);
    const error = await rejection(client.roamClientUser(ROAM));
    expect(error).toMatchObject({
      code: 'ServiceUnavailable',
      httpStatus: 503,
      outcome: 'unknown',
      retryable: false,
    });
    expect(server.attempts('RoamClientUser')).toHaveLength(1);
  });

  const throttled =
    (retryAfter: string): Reply =>
    (_request, response) =>
      sendJson(
        response,
        400,
        {
          RequestId: 'slow',
          Code: 'Throttling.User',
          Message: 'Request was denied due to user flow control.',
        },
        { 'x-acs-retry-after': retryAfter },
      );

  it('honours x-acs-retry-after (milliseconds) when retrying Describe', async () => {
    const server = await fake({
      DescribeRegions: (request, response, attempt) =>
        attempt === 1
          ? throttled('30')(request, response, attempt)
          : regionsReply(request, response, attempt),
    });
    const { client, delays } = makeClient(server.url);
    expect(await client.describeRegions()).toHaveLength(2);
    expect(delays).toEqual([30]);
  });

  it('gives up at once when the server asks to wait longer than the policy allows', async () => {
    const server = await fake({ DescribeRegions: throttled('5000') });
    const { client, delays } = makeClient(server.url);
    const error = await rejection(client.describeRegions());
    expect(error).toMatchObject({ code: 'Throttling.User', retryable: true, retryAfterMs: 5_000 });
    expect(delays).toEqual([]);
    expect(server.attempts('DescribeRegions')).toHaveLength(1);
  });

  it('does not retry a throttled roam but says it was not applied and may be retried', async () => {
    const server = await fake({ RoamClientUser: throttled('30') });
    const { client } = makeClient(server.url);
    const error = await rejection(client.roamClientUser(ROAM));
    expect(error).toMatchObject({
      code: 'Throttling.User',
      outcome: 'not_applied',
      retryable: true,
      retryAfterMs: 30,
    });
    expect(server.attempts('RoamClientUser')).toHaveLength(1);
  });
});

describe('DescribeSmartAccessGateways', () => {
  const ALL = ['sag-aaaa0001', 'sag-aaaa0002', 'sag-aaaa0003', 'sag-aaaa0004', 'sag-aaaa0005'];

  it.each(['json', 'xml'] as const)('follows every page (%s, last page a single object)', async (format) => {
    const server = await fake({
      DescribeSmartAccessGateways: (request, response) => {
        const parameters = rpcParameters(request);
        const pageNumber = Number(parameters.PageNumber);
        const pageSize = Number(parameters.PageSize);
        const ids = ALL.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
        const items = ids.map((id, index) => ({
          SmartAGId: id,
          Name: `Office ${id}`,
          Status: 'Active',
          CidrBlock: `10.${index}.0.0/24`,
          UserCount: 100,
          MaxBandwidth: '1M',
          CreateTime: 1_700_000_000_000,
          EndTime: 1_800_000_000_000,
        }));
        if (format === 'json') {
          sendJson(response, 200, {
            RequestId: `page-${pageNumber}`,
            TotalCount: ALL.length,
            PageNumber: pageNumber,
            PageSize: pageSize,
            SmartAccessGateways: { SmartAccessGateway: items.length === 1 ? items[0] : items },
          });
          return;
        }
        const xmlItems = items
          .map(
            (item) =>
              `<SmartAccessGateway>${Object.entries(item)
                .map(([name, value]) => `<${name}>${value}</${name}>`)
                .join('')}</SmartAccessGateway>`,
          )
          .join('');
        sendXml(
          response,
          200,
          `<DescribeSmartAccessGatewaysResponse><RequestId>page-${pageNumber}</RequestId><TotalCount>${ALL.length}</TotalCount><PageNumber>${pageNumber}</PageNumber><PageSize>${pageSize}</PageSize><SmartAccessGateways>${xmlItems}</SmartAccessGateways></DescribeSmartAccessGatewaysResponse>`,
        );
      },
    });
    const { client } = makeClient(server.url, { format: format === 'xml' ? 'XML' : 'JSON' });
    const instances = await client.describeSmartAccessGateways({ regionId: 'cn-shanghai', pageSize: 2 });
    expect(instances.map((instance) => instance.smartAGId)).toEqual(ALL);
    expect(instances[4]).toMatchObject({
      name: 'Office sag-aaaa0005',
      userCount: 100,
      createTime: 1_700_000_000_000,
      instanceType: 'software',
      regionId: 'cn-shanghai',
    });
    const requests = server.attempts('DescribeSmartAccessGateways').map(rpcParameters);
    expect(requests.map((parameters) => parameters.PageNumber)).toEqual(['1', '2', '3']);
    for (const parameters of requests) {
      expect(parameters).toMatchObject({ RegionId: 'cn-shanghai', InstanceType: 'software', PageSize: '2' });
      if (format === 'xml') expect(parameters.Format).toBe('XML');
    }
  });

  it('returns one page with its counters', async () => {
    const server = await fake({
      DescribeSmartAccessGateways: (_request, response) =>
        sendJson(response, 200, {
          RequestId: 'p',
          TotalCount: 0,
          PageNumber: 1,
          PageSize: 10,
          SmartAccessGateways: {},
        }),
    });
    const { client } = makeClient(server.url, { signatureVersion: 'v2' });
    expect(
      await client.describeSmartAccessGatewaysPage({
        regionId: 'cn-shanghai',
        instanceType: 'hardware',
        pageSize: 10,
      }),
    ).toEqual({ instances: [], requestId: 'p', totalCount: 0, pageNumber: 1, pageSize: 10 });
    expect(rpcParameters(server.requests[0] as RecordedRequest).InstanceType).toBe('hardware');
  });
});

describe('DescribeSmartAccessGateways: kind and quota from the documented fields', () => {
  const item = (id: string, extra: Record<string, unknown>) => ({
    SmartAGId: id,
    Name: id,
    Status: 'Active',
    UserCount: 300,
    ...extra,
  });

  it('tells the kind from HardwareVersion, reads the quota from UserCount, and asks for any kind with `any`', async () => {
    const server = await fake({
      DescribeSmartAccessGateways: (_request, response) =>
        sendJson(response, 200, {
          RequestId: 'kinds',
          TotalCount: 4,
          PageNumber: 1,
          PageSize: 50,
          SmartAccessGateways: {
            SmartAccessGateway: [
              item('sag-app0001', { HardwareVersion: 'sag-software' }),
              item('sag-cpe0001', { HardwareVersion: 'sag-1000', UserCount: 0 }),
              item('sag-vcpe0001', { HardwareVersion: 'sag-vcpe' }),
              item('sag-legacy01', { InstanceType: 'hardware' }),
              item('sag-bare0001', { UserCount: undefined }),
            ],
          },
        }),
    });
    const { client } = makeClient(server.url);
    const instances = await client.describeSmartAccessGateways({
      regionId: 'cn-shanghai',
      instanceType: 'any',
    });
    expect(
      instances.map((instance) => [instance.smartAGId, instance.instanceType, instance.hardwareVersion]),
    ).toEqual([
      ['sag-app0001', 'software', 'sag-software'],
      ['sag-cpe0001', 'hardware', 'sag-1000'],
      ['sag-vcpe0001', 'hardware', 'sag-vcpe'],
      ['sag-legacy01', 'hardware', undefined],
      // Nothing tells, and no filter was asked for.
      ['sag-bare0001', undefined, undefined],
    ]);
    expect(instances.map(quotaOf)).toEqual([300, 0, 300, 300, undefined]);
    expect(rpcParameters(server.requests[0] as RecordedRequest)).not.toHaveProperty('InstanceType');

    // Under the software filter a hardware item that slips through still says what it is.
    const software = await client.describeSmartAccessGateways({ regionId: 'cn-shanghai' });
    expect(software.find((instance) => instance.smartAGId === 'sag-cpe0001')?.instanceType).toBe('hardware');
    expect(software.find((instance) => instance.smartAGId === 'sag-bare0001')?.instanceType).toBe('software');
    expect(rpcParameters(server.requests[1] as RecordedRequest).InstanceType).toBe('software');
  });

  it('never takes a MaxUserCount for the quota, and refuses odd UserCount values', () => {
    expect(quotaOf({ userCount: 2_000 })).toBe(2_000);
    for (const userCount of [undefined, -1, 1.5, Number.NaN]) expect(quotaOf({ userCount })).toBeUndefined();
  });
});

describe('DeleteSmartAccessGatewayClientUser', () => {
  it.each<Version>(['v3', 'v2'])(
    'sends a %s-signed request to the instance region and returns the request ID',
    async (version) => {
      const server = await fake({
        DeleteSmartAccessGatewayClientUser: (_request, response) =>
          sendJson(response, 200, { RequestId: 'deleted' }),
      });
      const { client } = makeClient(server.url, { signatureVersion: version });
      expect(await client.deleteSmartAccessGatewayClientUser(DELETE)).toEqual({ requestId: 'deleted' });
      expect(rpcParameters(server.requests[0] as RecordedRequest)).toMatchObject({
        RegionId: 'cn-hangzhou',
        SmartAGId: 'sag-target0001',
        UserName: 'zhang.san@example.com',
      });
    },
  );

  it('is never retried: a 503 leaves the outcome unknown, a throttle says it was not applied', async () => {
    const server = await fake({
      DeleteSmartAccessGatewayClientUser: (_request, response, attempt) =>
        attempt === 1
          ? sendJson(response, 503, { RequestId: 'busy', Code: 'ServiceUnavailable', Message: 'Try later.' })
          : sendJson(
              response,
              400,
              {
                RequestId: 'slow',
                Code: 'Throttling.User',
                Message: 'Request was denied due to user flow control.',
              },
              { 'x-acs-retry-after': '30' },
            ),
    });
    const { client, delays } = makeClient(server.url);
    const unavailable = await rejection(client.deleteSmartAccessGatewayClientUser(DELETE));
    expect(unavailable).toMatchObject({
      code: 'ServiceUnavailable',
      action: 'DeleteSmartAccessGatewayClientUser',
      outcome: 'unknown',
      retryable: false,
    });
    expect(unavailable.admin.fix).toMatch(/deletion may or may not have been applied/);
    const throttled = await rejection(client.deleteSmartAccessGatewayClientUser(DELETE));
    expect(throttled).toMatchObject({ code: 'Throttling.User', outcome: 'not_applied', retryable: true });
    expect(server.attempts('DeleteSmartAccessGatewayClientUser')).toHaveLength(2);
    expect(delays).toEqual([]);
  });

  it('takes a success without a RequestId as an unknown outcome, and a timeout too', async () => {
    const server = await fake({
      DeleteSmartAccessGatewayClientUser: (request, response, attempt) =>
        attempt === 1 ? sendJson(response, 200, {}) : neverAnswer(request, response, attempt),
    });
    const { client } = makeClient(server.url, { timeoutMs: 200 });
    expect(await rejection(client.deleteSmartAccessGatewayClientUser(DELETE))).toMatchObject({
      code: 'SagClient.MalformedResponse',
      outcome: 'unknown',
      retryable: false,
    });
    expect(await rejection(client.deleteSmartAccessGatewayClientUser(DELETE))).toMatchObject({
      code: 'SagClient.Timeout',
      outcome: 'unknown',
      retryable: false,
    });
    expect(server.attempts('DeleteSmartAccessGatewayClientUser')).toHaveLength(2);
  });

  it('refuses bad arguments before sending anything', async () => {
    const server = await fake({});
    const { client } = makeClient(server.url);
    for (const input of [
      { ...DELETE, regionId: 'cn-hangzhou.evil.example' },
      { ...DELETE, smartAGId: '' },
      { ...DELETE, userName: 'name\nwith-a-break' },
    ]) {
      expect(await rejection(client.deleteSmartAccessGatewayClientUser(input))).toMatchObject({
        code: 'SagClient.InvalidInput',
        outcome: 'not_applied',
      });
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('DescribeRegions', () => {
  it('teaches the endpoint resolver the region endpoints', async () => {
    const server = await fake({ DescribeRegions: regionsReply });
    const learned: unknown[] = [];
    const resolver = createEndpointResolver({ override: server.url });
    const { client } = makeClient(server.url, {
      endpointResolver: { ...resolver, learn: (regions) => learned.push(...regions) },
    });
    const regions = await client.describeRegions({ acceptLanguage: 'ja' });
    expect(regions[1]).toEqual({
      regionId: 'cn-hangzhou',
      localName: 'China (Hangzhou)',
      regionEndpoint: 'smartag.cn-hangzhou.aliyuncs.com',
    });
    expect(learned).toEqual(regions);
    expect(rpcParameters(server.requests[0] as RecordedRequest).AcceptLanguage).toBe('ja');
  });
});

describe('signature errors', () => {
  it.each<Version>(['v3', 'v2'])(
    'says the secret is wrong when the server signed the same string (%s)',
    async (version) => {
      const server = await fake({}, 'the-secret-the-server-knows');
      const { client } = makeClient(server.url, { signatureVersion: version });
      const error = await rejection(client.describeRegions());
      expect(error).toMatchObject({
        code: 'SignatureDoesNotMatch',
        signatureCheck: 'same',
        message: 'Specified signature is not matched with our calculation.',
        retryable: false,
        outcome: 'not_applied',
      });
      expect(error.admin.title).toBe('The AccessKey secret is wrong.');
    },
  );

  it.each<Version>(['v3', 'v2'])(
    'says the request was signed differently otherwise (%s)',
    async (version) => {
      const server = await fake({
        DescribeRegions: (_request, response) =>
          sendXml(
            response,
            400,
            `<Error><RequestId>x</RequestId><Code>IncompleteSignature</Code><Message>The request signature does not conform to Aliyun standards. server string to sign is:GET&amp;%2F&amp;AccessKeyId%3D${KEY_ID}%26SecurityToken%3D${encodeURIComponent(encodeURIComponent(TOKEN))}</Message></Error>`,
          ),
      });
      const { client } = makeClient(server.url, { signatureVersion: version });
      const error = await rejection(client.describeRegions());
      expect(error).toMatchObject({
        code: 'IncompleteSignature',
        signatureCheck: 'different',
        message: 'The request signature does not conform to Aliyun standards.',
      });
      expect(error.admin.title).toBe('The request was signed differently from what Alibaba Cloud expected.');
    },
  );
});

describe('refusals before sending', () => {
  it('refuses a region ID that could redirect the request, sending nothing', async () => {
    const server = await fake({});
    const { client } = makeClient(server.url);
    for (const regionId of ['evil.com/#', 'cn-hangzhou.attacker.example', '']) {
      expect(await rejection(client.roamClientUser({ ...ROAM, regionId }))).toMatchObject({
        code: 'SagClient.InvalidInput',
        outcome: 'not_applied',
      });
    }
    expect(await rejection(client.roamClientUser({ ...ROAM, userName: 'a\nb' }))).toMatchObject({
      code: 'SagClient.InvalidInput',
    });
    expect(await rejection(client.roamClientUser({ ...ROAM, userName: 'bad\uD800' }))).toMatchObject({
      code: 'SagClient.InvalidInput',
    });
    expect(
      await rejection(client.describeSmartAccessGatewaysPage({ regionId: 'cn-shanghai', pageSize: 51 })),
    ).toMatchObject({ code: 'SagClient.InvalidInput' });
    expect(server.requests).toHaveLength(0);
  });

  it('reports a failing credential source without its error text, sending nothing', async () => {
    const server = await fake({});
    const { client } = makeClient(server.url, {
      credentials: async () => {
        throw new Error(`cannot refresh: ${SECRET}`);
      },
    });
    const error = await rejection(client.roamClientUser(ROAM));
    expect(error).toMatchObject({ code: 'SagClient.CredentialsUnavailable', outcome: 'not_applied' });
    expect(error.message).not.toContain(SECRET);
    expect(server.requests).toHaveLength(0);
  });
});

describe('secrets never leak', () => {
  function serialisations(error: SagError): string[] {
    return [
      JSON.stringify(error),
      String(error),
      `${error}`,
      util.inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      error.stack ?? '',
      error.message,
    ];
  }

  function forms(value: string): string[] {
    const once = encodeURIComponent(value);
    return [value, once, encodeURIComponent(once)];
  }

  it.each<Version>(['v3', 'v2'])(
    'keeps the secret and the STS token out of every error (%s)',
    async (version) => {
      const echoing: Reply = (request, response) =>
        sendJson(response, 400, {
          RequestId: 'leak',
          Code: 'InvalidParameter',
          Message: `Bad request from ${SECRET} with ${TOKEN} (${encodeURIComponent(TOKEN)}) body ${request.body}`,
          Recommend: `https://example.com/?token=${encodeURIComponent(encodeURIComponent(TOKEN))}`,
        });
      const server = await fake({ RoamClientUser: echoing, DescribeRegions: neverAnswer });
      const wrongSecretServer = await fake({}, 'another-secret');
      const errors = [
        await rejection(makeClient(server.url, { signatureVersion: version }).client.roamClientUser(ROAM)),
        await rejection(
          makeClient(server.url, { signatureVersion: version, timeoutMs: 100 }).client.describeRegions(),
        ),
        await rejection(
          makeClient(wrongSecretServer.url, { signatureVersion: version }).client.describeRegions(),
        ),
        await rejection(
          makeClient(`http://127.0.0.1:${await closedPort()}`, {
            signatureVersion: version,
          }).client.roamClientUser(ROAM),
        ),
      ];
      for (const error of errors) {
        for (const text of serialisations(error)) {
          for (const secret of [...forms(SECRET), ...forms(TOKEN)]) {
            expect(text, `${error.code} leaks`).not.toContain(secret);
          }
        }
      }
      expect(errors[0]?.message).toContain('[redacted]');
      expect(errors[2]?.signatureCheck).toBe('same');
    },
  );

  it('returns no secret in results', async () => {
    const server = await fake({ DescribeRegions: regionsReply });
    const { client } = makeClient(server.url);
    const text = JSON.stringify(await client.describeRegions());
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
  });
});
