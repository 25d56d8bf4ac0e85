// Helpers for the emulator's own tests: an official-SDK client, and hand-built signed requests that a test
// can tamper with after signing. Not for lib/sag tests: those must check the emulator, not reuse its signer.
import { request as httpRequest } from 'node:http';
import OpenApi, { $OpenApiUtil } from '@alicloud/openapi-core';
import { API_VERSION } from './actions';
import { DEMO_ACCESS_KEY, type Emulator } from './server';
import {
  formatUtcTimestamp,
  type ParamPair,
  percentEncode,
  sha256Hex,
  v2Signature,
  v2StringToSign,
  v3CanonicalRequest,
  v3Signature,
  v3StringToSign,
} from './signature';

type RuntimeOptions = Parameters<OpenApi['callApi']>[2];

export interface SdkCallOptions {
  algorithm: 'v2' | 'v3';
  action: string;
  query?: Record<string, string>;
  /** Sent as a form body instead of the query (V3 `formData`). */
  body?: Record<string, string>;
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  /** 'json' parses the body; 'string' returns it raw (for XML). */
  bodyType?: 'json' | 'string';
  readTimeout?: number;
}

/** Calls the emulator through the official SDK: an independent client, so a pass means the verifier agrees with it. */
export async function sdkCall(emulator: Emulator, options: SdkCallOptions) {
  const client = new OpenApi(
    new $OpenApiUtil.Config({
      accessKeyId: options.accessKeyId ?? DEMO_ACCESS_KEY.accessKeyId,
      accessKeySecret: options.accessKeySecret ?? DEMO_ACCESS_KEY.accessKeySecret,
      ...(options.securityToken ? { securityToken: options.securityToken } : {}),
      endpoint: emulator.endpoint,
      protocol: 'http',
      ...(options.algorithm === 'v2' ? { signatureAlgorithm: 'v2' } : {}),
    }),
  );
  const params = new $OpenApiUtil.Params({
    action: options.action,
    version: API_VERSION,
    protocol: 'HTTP',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: options.bodyType ?? 'json',
  });
  const request = new $OpenApiUtil.OpenApiRequest({
    query: options.query ?? {},
    ...(options.body ? { body: options.body } : {}),
  });
  const runtime = {
    readTimeout: options.readTimeout ?? 5000,
    connectTimeout: 2000,
  } as unknown as RuntimeOptions;
  return (await client.callApi(params, request, runtime)) as {
    statusCode: number;
    headers: Record<string, string>;
    body: unknown;
  };
}

/** The SDK call's rejection, for `expect(...).toMatchObject({ code })`. */
export async function sdkError(emulator: Emulator, options: SdkCallOptions) {
  try {
    await sdkCall(emulator, options);
  } catch (error) {
    return error as { code?: string; statusCode?: number; message: string; data?: Record<string, unknown> };
  }
  throw new Error(`${options.action} unexpectedly succeeded`);
}

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface SignOptions {
  scheme: 'v2' | 'v3';
  action: string;
  params?: Record<string, string>;
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  version?: string;
  format?: string;
  timestampMs?: number;
  nonce?: string;
  method?: 'GET' | 'POST';
}

function queryString(pairs: readonly ParamPair[]): string {
  return pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}

let nonceCounter = 0;

/** A correctly signed request (V2 in the query of a GET, V3 as `POST /` with query parameters). */
export function signedRequest(emulator: Emulator, options: SignOptions): RawRequest {
  const accessKeyId = options.accessKeyId ?? DEMO_ACCESS_KEY.accessKeyId;
  const secret = options.accessKeySecret ?? DEMO_ACCESS_KEY.accessKeySecret;
  const timestamp = formatUtcTimestamp(options.timestampMs ?? Date.now());
  nonceCounter += 1;
  const nonce = options.nonce ?? `test-nonce-${process.pid}-${Date.now()}-${nonceCounter}`;
  const business = Object.entries(options.params ?? {});
  if (options.scheme === 'v2') {
    const method = options.method ?? 'GET';
    const pairs: ParamPair[] = [
      ['Action', options.action],
      ['Version', options.version ?? API_VERSION],
      ['Format', options.format ?? 'JSON'],
      ['AccessKeyId', accessKeyId],
      ['SignatureMethod', 'HMAC-SHA1'],
      ['SignatureVersion', '1.0'],
      ['SignatureNonce', nonce],
      ['Timestamp', timestamp],
      ...(options.securityToken ? ([['SecurityToken', options.securityToken]] as ParamPair[]) : []),
      ...business,
    ];
    const signature = v2Signature(v2StringToSign(method, pairs), secret);
    const all = [...pairs, ['Signature', signature] as const];
    return method === 'GET'
      ? { method, path: `/?${queryString(all)}`, headers: { host: emulator.endpoint }, body: '' }
      : {
          method,
          path: '/',
          headers: { host: emulator.endpoint, 'content-type': 'application/x-www-form-urlencoded' },
          body: queryString(all),
        };
  }
  const query: ParamPair[] = [
    ...business,
    ...(options.format ? ([['Format', options.format]] as ParamPair[]) : []),
  ];
  const headers: Record<string, string> = {
    host: emulator.endpoint,
    'x-acs-action': options.action,
    'x-acs-version': options.version ?? API_VERSION,
    'x-acs-date': timestamp,
    'x-acs-signature-nonce': nonce,
    'x-acs-content-sha256': sha256Hex(''),
    ...(options.securityToken ? { 'x-acs-security-token': options.securityToken } : {}),
  };
  const signedHeaders = Object.keys(headers).sort();
  const canonical = v3CanonicalRequest({
    method: 'POST',
    path: '/',
    query,
    headers,
    signedHeaders,
    hashedPayload: sha256Hex(''),
  });
  const signature = v3Signature(v3StringToSign(canonical), secret);
  return {
    method: 'POST',
    path: query.length > 0 ? `/?${queryString(query)}` : '/',
    headers: {
      ...headers,
      authorization: `ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`,
    },
    body: '',
  };
}

/** Sends a raw request as-is and returns the status, headers and body text. */
export function send(emulator: Emulator, raw: RawRequest) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    text: string;
  }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: emulator.host,
        port: emulator.port,
        method: raw.method,
        path: raw.path,
        headers: { ...raw.headers, 'content-length': String(Buffer.byteLength(raw.body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(raw.body);
  });
}

/** Sends and parses a JSON answer. */
export async function sendJson(emulator: Emulator, raw: RawRequest) {
  const answer = await send(emulator, raw);
  return { ...answer, json: JSON.parse(answer.text) as Record<string, unknown> };
}
