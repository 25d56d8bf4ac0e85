// Requests signed by hand with the emulator's own signer, for the emulator's tests to tamper with after signing
// (and then send byte for byte). Not for the lib/sag tests: those must check the emulator with lib/sag's
// signers, not reuse the emulator's; the official SDK is in official-sdk.ts.
import { API_VERSION } from '@/lib/emulator/actions';
import { DEMO_ACCESS_KEY, type Emulator } from '@/lib/emulator/server';
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
} from '@/lib/emulator/signature';
import { type RawHttpRequest, type RawHttpResponse, sendRawRequest } from './raw-http';

export type RawRequest = RawHttpRequest;

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
export function send(emulator: Emulator, raw: RawRequest): Promise<RawHttpResponse> {
  return sendRawRequest(emulator, raw);
}

/** Sends and parses a JSON answer. */
export async function sendJson(emulator: Emulator, raw: RawRequest) {
  const answer = await send(emulator, raw);
  return { ...answer, json: JSON.parse(answer.text) as Record<string, unknown> };
}
