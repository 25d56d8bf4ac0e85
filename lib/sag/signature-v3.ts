import 'server-only';
import { createHash, createHmac } from 'node:crypto';
import { canonicalQuery, formatAcsTimestamp, percentEncode } from './percent-encode';

/**
 * ACS3-HMAC-SHA256, the signature of current Alibaba Cloud SDKs (see docs/sag-api.md).
 * Pure functions: the date and nonce come in as inputs, so the official test vector can be replayed.
 */

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

export interface V3SigningCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface V3RequestToSign {
  method: string;
  /** Value of the Host header, with the port when it is not the scheme's default. */
  host: string;
  /** Defaults to `/` (RPC style). */
  pathname?: string;
  query: Readonly<Record<string, string>>;
  action: string;
  version: string;
  /** Request body; RPC calls under V3 send an empty one. */
  body?: string | Uint8Array;
  /** Any other headers to send; `content-type` and `x-acs-*` ones are signed too. */
  headers?: Readonly<Record<string, string>>;
  date: Date;
  nonce: string;
}

export interface V3SignedRequest {
  /** Every header to send, Authorization included, names in lower case. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Canonical URI: each path segment percent-encoded, slashes kept. */
export function canonicalPath(pathname: string): string {
  if (pathname === '') return '/';
  return pathname
    .split('/')
    .map((segment) => percentEncode(segment))
    .join('/');
}

function isSignedHeader(name: string): boolean {
  return name === 'host' || name === 'content-type' || name.startsWith('x-acs-');
}

/** The canonical header block (`name:value\n` each) and the `;`-joined signed header names. */
export function canonicalHeaders(headers: Readonly<Record<string, string>>): {
  block: string;
  signedHeaders: string;
} {
  const selected = new Map<string, string>();
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = rawName.trim().toLowerCase();
    if (!isSignedHeader(name)) continue;
    if (selected.has(name)) throw new TypeError(`Header ${name} is given twice.`);
    selected.set(name, rawValue.trim());
  }
  const names = [...selected.keys()].sort();
  return {
    block: names.map((name) => `${name}:${selected.get(name)}\n`).join(''),
    signedHeaders: names.join(';'),
  };
}

export function buildCanonicalRequest(input: {
  method: string;
  pathname: string;
  query: Readonly<Record<string, string>>;
  headers: Readonly<Record<string, string>>;
  hashedPayload: string;
}): { canonicalRequest: string; signedHeaders: string } {
  const { block, signedHeaders } = canonicalHeaders(input.headers);
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalPath(input.pathname),
    canonicalQuery(input.query),
    block,
    signedHeaders,
    input.hashedPayload,
  ].join('\n');
  return { canonicalRequest, signedHeaders };
}

export function stringToSignV3(canonicalRequest: string): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

export function signatureV3(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha256', accessKeySecret).update(stringToSign).digest('hex');
}

/** Adds the `x-acs-*` headers and the Authorization header to a request. */
export function signV3(request: V3RequestToSign, credentials: V3SigningCredentials): V3SignedRequest {
  const body = request.body ?? '';
  const hashedPayload = sha256Hex(body);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  headers.host = request.host;
  headers['x-acs-action'] = request.action;
  headers['x-acs-version'] = request.version;
  headers['x-acs-date'] = formatAcsTimestamp(request.date);
  headers['x-acs-signature-nonce'] = request.nonce;
  headers['x-acs-content-sha256'] = hashedPayload;
  if (credentials.securityToken) headers['x-acs-security-token'] = credentials.securityToken;

  const { canonicalRequest, signedHeaders } = buildCanonicalRequest({
    method: request.method,
    pathname: request.pathname ?? '/',
    query: request.query,
    headers,
    hashedPayload,
  });
  const stringToSign = stringToSignV3(canonicalRequest);
  const signature = signatureV3(stringToSign, credentials.accessKeySecret);
  headers.authorization = `${ACS3_ALGORITHM} Credential=${credentials.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return { headers, canonicalRequest, stringToSign };
}
