// Helpers for emulator-interop.test.ts: official-SDK calls in JSON or XML, raw requests signed by lib/sag's own
// signers (so a test can tamper with them after signing), and transports that wrap the client's real one to
// watch, alter or replay what it sends. Test-only; nothing here is used by the application.
import util from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import type { Emulator } from '@/lib/emulator';
import { sdkCall } from '@/lib/testing/official-sdk';
import { sendRawRequest } from '@/lib/testing/raw-http';
import { createSagClient, type SagClient } from './client';
import { staticCredentials } from './credentials';
import { SMARTAG_API_VERSION } from './operations';
import { canonicalQuery } from './percent-encode';
import { encodeParameters, signV2 } from './signature-v2';
import { signV3 } from './signature-v3';
import { createTransport, type HttpRequest, type HttpResponse, type Transport } from './transport';

export type Scheme = 'v3' | 'v2';
export type Format = 'JSON' | 'XML';

export interface AccessKeyPair {
  accessKeyId: string;
  accessKeySecret: string;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are walked by tests that assert on their shape
export type Json = Record<string, any>;

// ---------------------------------------------------------------------------------------------
// Official SDK (@alicloud/openapi-core callApi), JSON or XML
// ---------------------------------------------------------------------------------------------

/** List elements the emulator renders as repeated XML elements; always arrays once parsed. */
const XML_LIST_ITEMS = new Set(['Region', 'SmartAccessGateway', 'User']);

const xmlParser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => XML_LIST_ITEMS.has(name),
});

/** The fields of an XML answer's root element (`<DescribeRegionsResponse>…`), values as strings. */
export function parseXmlRoot(text: string): Json {
  const document = xmlParser.parse(text) as Json;
  const roots = Object.keys(document).filter((key) => !key.startsWith('?'));
  if (roots.length !== 1) throw new Error(`expected one XML root element, got ${roots.join(', ')}`);
  const root = document[roots[0] as string];
  return typeof root === 'object' && root !== null ? (root as Json) : {};
}

export interface SdkAnswer {
  statusCode: number;
  headers: Record<string, string>;
  /** The raw body text (XML) or the JSON the SDK parsed. */
  raw: unknown;
  /** JSON as parsed by the SDK, or the XML root element's fields. */
  body: Json;
}

/** One call through the official SDK (RPC style, POST /), V3 by default, HMAC-SHA1 with scheme 'v2'. */
export async function officialSdkCall(
  emulator: Emulator,
  options: {
    scheme: Scheme;
    format: Format;
    action: string;
    query?: Record<string, string>;
    accessKey: AccessKeyPair;
  },
): Promise<SdkAnswer> {
  const xml = options.format === 'XML';
  // The SDK adds Format=json itself under V2 and nothing under V3; a query Format wins in both.
  const query = xml ? { ...options.query, Format: 'XML' } : { ...options.query };
  const answer = await sdkCall(emulator, {
    algorithm: options.scheme,
    accessKeyId: options.accessKey.accessKeyId,
    accessKeySecret: options.accessKey.accessKeySecret,
    action: options.action,
    version: SMARTAG_API_VERSION,
    bodyType: xml ? 'string' : 'json',
    query,
  });
  const body = xml ? parseXmlRoot(String(answer.body)) : (answer.body as Json);
  return { statusCode: answer.statusCode, headers: answer.headers, raw: answer.body, body };
}

/** `container[item]` as an array whether the answer held an array, a single object or nothing. */
export function items(container: unknown, item: string): Json[] {
  if (container === undefined || container === null || container === '') return [];
  const value = (container as Json)[item];
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

// ---------------------------------------------------------------------------------------------
// Raw requests signed with lib/sag's signers, to tamper with or replay
// ---------------------------------------------------------------------------------------------

export interface RawRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/?RegionId=cn-hangzhou`. */
  path: string;
  headers: Record<string, string>;
  body: string;
  /** What the signer signed (the V3 string-to-sign or the V2 one). */
  stringToSign: string;
}

let nonceCounter = 0;

/**
 * A correctly signed RPC request: V3 as `POST /` with the business parameters in the query; V2 as a GET
 * with every parameter, `Signature` included, in the query (so "change one query parameter" means the same
 * thing under both schemes).
 */
export function signedRawRequest(
  emulator: Emulator,
  options: {
    scheme: Scheme;
    action: string;
    parameters: Record<string, string>;
    accessKey: AccessKeyPair;
    date?: Date;
  },
): RawRequest {
  nonceCounter += 1;
  const nonce = `interop-${process.pid}-${Date.now()}-${nonceCounter}`;
  const date = options.date ?? new Date();
  if (options.scheme === 'v3') {
    const signed = signV3(
      {
        method: 'POST',
        host: emulator.endpoint,
        pathname: '/',
        query: options.parameters,
        action: options.action,
        version: SMARTAG_API_VERSION,
        body: '',
        date,
        nonce,
      },
      options.accessKey,
    );
    const search = canonicalQuery(options.parameters);
    return {
      method: 'POST',
      path: search ? `/?${search}` : '/',
      headers: signed.headers,
      body: '',
      stringToSign: signed.stringToSign,
    };
  }
  const signed = signV2(
    {
      method: 'GET',
      action: options.action,
      version: SMARTAG_API_VERSION,
      format: 'JSON',
      parameters: options.parameters,
      date,
      nonce,
    },
    options.accessKey,
  );
  return {
    method: 'GET',
    path: `/?${encodeParameters(signed.parameters)}`,
    headers: { host: emulator.endpoint },
    body: '',
    stringToSign: signed.stringToSign,
  };
}

/** The same request with one query parameter's value replaced; the signature is left as it was. */
export function withQueryParameter(raw: RawRequest, name: string, value: string): RawRequest {
  const at = raw.path.indexOf('?');
  const pairs = (at < 0 ? '' : raw.path.slice(at + 1)).split('&').filter((pair) => pair !== '');
  const prefix = `${encodeURIComponent(name)}=`;
  const index = pairs.findIndex((pair) => pair.startsWith(prefix));
  if (index < 0) throw new Error(`${name} is not in the query of ${raw.path}`);
  pairs[index] = `${prefix}${encodeParameters({ v: value }).slice(2)}`;
  return { ...raw, path: `/?${pairs.join('&')}` };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Json;
}

/** Sends a raw request byte for byte (no keep-alive) and parses the JSON answer. */
export async function sendRaw(emulator: Emulator, raw: RawRequest): Promise<RawAnswer> {
  const answer = await sendRawRequest(emulator, raw, { newConnection: true });
  let json: Json = {};
  try {
    json = JSON.parse(answer.text) as Json;
  } catch {
    // Left empty: the test asserts on `json` and sees what is missing.
  }
  return { ...answer, json };
}

// ---------------------------------------------------------------------------------------------
// Transports around the client's real one
// ---------------------------------------------------------------------------------------------

export interface Exchange {
  request: HttpRequest;
  response?: HttpResponse;
  error?: unknown;
}

export interface SpyTransport extends Transport {
  /** Every exchange, in order, as it went over the wire (after any alteration). */
  readonly exchanges: Exchange[];
}

export interface SpyOptions {
  /** Changes a request after the client signed it (a proxy rewriting it in transit). */
  alter?: (request: HttpRequest) => HttpRequest;
  /** Sends the first request again in place of every later one (a proxy replaying it). */
  replayFirst?: boolean;
}

/** The client's real transport (createTransport), watched and optionally altered. */
export function spyTransport(options: SpyOptions = {}): SpyTransport {
  const inner = createTransport();
  const exchanges: Exchange[] = [];
  let first: HttpRequest | undefined;
  return {
    exchanges,
    async send(request) {
      let sent = options.alter ? options.alter(request) : request;
      if (options.replayFirst) {
        if (first === undefined) first = sent;
        else sent = first;
      }
      const exchange: Exchange = { request: sent };
      exchanges.push(exchange);
      try {
        exchange.response = await inner.send(sent);
        return exchange.response;
      } catch (error) {
        exchange.error = error;
        throw error;
      }
    },
    close() {
      inner.close();
    },
  };
}

/**
 * Replaces the value of one RPC parameter wherever the client put it: the query (V3) or the form body (V2).
 * Only the value changes; the Authorization header or Signature parameter stay as signed.
 */
export function replaceParameter(name: string, from: string, to: string) {
  const before = `${name}=${encodeParameters({ v: from }).slice(2)}`;
  const after = `${name}=${encodeParameters({ v: to }).slice(2)}`;
  return (request: HttpRequest): HttpRequest => {
    const url = request.url.replace(before, after);
    const body = (request.body ?? '').replace(before, after);
    if (url === request.url && body === (request.body ?? '')) {
      throw new Error(`${before} is neither in the URL nor in the body`);
    }
    return { ...request, url, body };
  };
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

/** Every way an error can end up in a log or a response. */
export function serialisations(error: unknown): Record<string, string> {
  const asError = error as Error;
  return {
    json: JSON.stringify(error),
    string: String(error),
    inspect: util.inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    stack: String(asError?.stack),
    message: String(asError?.message),
  };
}

/** The secret raw and in the encoded forms a request could carry it in. */
export function secretForms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), encodeParameters({ v: secret }).slice(2)])];
}

// ---------------------------------------------------------------------------------------------
// A client of lib/sag pointed at the emulator
// ---------------------------------------------------------------------------------------------

export interface InteropClient {
  client: SagClient;
  spy: SpyTransport;
  /** What the client asked `sleep` for; nothing actually waits. */
  delays: number[];
}

/** createSagClient on the emulator over the real transport (watched), with a recorded, instant `sleep`. */
export function interopClient(
  emulator: Emulator,
  options: { scheme: Scheme; format?: Format; accessKey: AccessKeyPair; timeoutMs?: number },
): InteropClient {
  const spy = spyTransport();
  const delays: number[] = [];
  const client = createSagClient({
    credentials: staticCredentials(options.accessKey),
    signatureVersion: options.scheme,
    format: options.format ?? 'JSON',
    endpoint: emulator.url,
    timeoutMs: options.timeoutMs ?? 3_000,
    retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 },
    random: () => 0.5,
    sleep: async (milliseconds) => {
      delays.push(milliseconds);
    },
    transport: spy,
  });
  return { client, spy, delays };
}
