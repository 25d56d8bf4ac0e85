// The emulator's own reading of the two Alibaba Cloud signature schemes, written from the spec in
// docs/sag-api.md. It deliberately shares no code with lib/sag: each side checks the other.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type ParamPair = readonly [name: string, value: string];

const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;

/** RFC 3986 percent-encoding of the UTF-8 bytes: unreserved `A-Z a-z 0-9 - _ . ~` kept, hex uppercase. */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out +=
      byte < 0x80 && UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** `k=v&k=v` of the encoded pairs, sorted by encoded name in byte order (then by value for repeats). */
function canonicalPairs(pairs: readonly ParamPair[]): string {
  return pairs
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort((a, b) => byteOrder(a[0], b[0]) || byteOrder(a[1], b[1]))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

// ---------------------------------------------------------------------------------------------
// V2: RPC HMAC-SHA1 (SignatureVersion 1.0)
// ---------------------------------------------------------------------------------------------

/** StringToSign = `METHOD&%2F&` + encode(canonical query of every parameter but `Signature`). */
export function v2StringToSign(method: string, params: readonly ParamPair[]): string {
  const signed = params.filter(([name]) => name !== 'Signature');
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalPairs(signed))}`;
}

/** base64 HMAC-SHA1 keyed with `secret + "&"`. */
export function v2Signature(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

// ---------------------------------------------------------------------------------------------
// V3: ACS3-HMAC-SHA256
// ---------------------------------------------------------------------------------------------

export const V3_ALGORITHM = 'ACS3-HMAC-SHA256';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface V3CanonicalInput {
  method: string;
  /** The path exactly as sent (the RPC style always uses `/`). */
  path: string;
  /** Decoded query parameters. */
  query: readonly ParamPair[];
  /** Lower-cased header name → value, for every header named in `signedHeaders`. */
  headers: Readonly<Record<string, string | undefined>>;
  /** Lower-case names, in any order; they are sorted here. */
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the raw body. */
  hashedPayload: string;
}

export function v3CanonicalRequest(input: V3CanonicalInput): string {
  const names = [...new Set(input.signedHeaders.map((name) => name.toLowerCase()))].sort(byteOrder);
  const canonicalHeaders = names.map((name) => `${name}:${(input.headers[name] ?? '').trim()}\n`).join('');
  return [
    input.method.toUpperCase(),
    input.path || '/',
    canonicalPairs(input.query),
    canonicalHeaders,
    names.join(';'),
    input.hashedPayload,
  ].join('\n');
}

export function v3StringToSign(canonicalRequest: string): string {
  return `${V3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

/** hex HMAC-SHA256 keyed with the bare secret. */
export function v3Signature(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('hex');
}

export interface V3Authorization {
  algorithm: string;
  credential: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>`; null when malformed. */
export function parseV3Authorization(header: string): V3Authorization | null {
  const match = /^\s*(\S+)\s+(.+)$/.exec(header);
  if (!match?.[1] || !match[2]) return null;
  const fields = new Map<string, string>();
  for (const part of match[2].split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) return null;
  return {
    algorithm: match[1],
    credential,
    signedHeaders: signedHeaders.split(';').filter((name) => name.length > 0),
    signature,
  };
}

/** Constant-time comparison of two signatures as text. */
export function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---------------------------------------------------------------------------------------------
// Timestamps shared by both schemes
// ---------------------------------------------------------------------------------------------

const UTC_SECONDS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** Epoch ms of a `YYYY-MM-DDThh:mm:ssZ` value, or null when it is not exactly that shape or not a real date. */
export function parseUtcTimestamp(value: string): number | null {
  const match = UTC_SECONDS.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  const roundTrips =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return roundTrips ? ms : null;
}

export function formatUtcTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
