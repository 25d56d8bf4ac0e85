// Checks a request's signature against the configured AccessKey pairs, in the order the gateway answers:
// signature pieces, AccessKey, timestamp, STS token, signature, nonce replay.
import { gatewayErrors } from './errors';
import {
  type ParamPair,
  parseUtcTimestamp,
  parseV3Authorization,
  sameSignature,
  sha256Hex,
  V3_ALGORITHM,
  v2Signature,
  v2StringToSign,
  v3CanonicalRequest,
  v3Signature,
  v3StringToSign,
} from './signature';

export interface EmulatorAccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, requests must carry this STS token (`SecurityToken` / `x-acs-security-token`). */
  securityToken?: string;
  /** Answer `InvalidSecurityToken.Expired` for this key's token. */
  securityTokenExpired?: boolean;
  /** Answer `InvalidAccessKeyId.Inactive`. */
  inactive?: boolean;
  /** Actions this identity may not call: `Forbidden.RAM` (403). */
  deniedActions?: readonly string[];
}

export type Scheme = 'v2' | 'v3';

/** A request as the verifier sees it: decoded parameters, lower-cased headers, raw body. */
export interface SignedCall {
  method: string;
  path: string;
  query: readonly ParamPair[];
  form: readonly ParamPair[];
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
}

export interface VerifiedCall {
  scheme: Scheme;
  accessKey: EmulatorAccessKey;
}

/** Mismatch details worth a log line: the server's canonical request is what a client author needs. */
export interface SignatureMismatch {
  scheme: Scheme;
  accessKeyId: string;
  stringToSign: string;
  canonicalRequest?: string;
  /** V3 headers the spec requires in SignedHeaders that the request left out (IncompleteSignature). */
  unsignedHeaders?: string[];
}

export const CLOCK_SKEW_MS = 15 * 60 * 1000;
const NONCE_WINDOW_MS = 15 * 60 * 1000;

/** Which scheme a request claims, or null when it carries no signature at all. */
export function detectScheme(call: SignedCall): Scheme | null {
  const authorization = call.headers.authorization;
  if (authorization !== undefined && authorization.trim() !== '') return 'v3';
  const names = new Set([...call.query, ...call.form].map(([name]) => name));
  return names.has('Signature') || names.has('AccessKeyId') || names.has('SignatureMethod') ? 'v2' : null;
}

function lastValue(pairs: readonly ParamPair[], name: string): string | undefined {
  let found: string | undefined;
  for (const [key, value] of pairs) if (key === name) found = value;
  return found;
}

export class Authenticator {
  private keys = new Map<string, EmulatorAccessKey>();
  private nonces = new Map<string, number>();

  constructor(
    accessKeys: readonly EmulatorAccessKey[],
    private readonly now: () => number,
    private readonly onMismatch: (mismatch: SignatureMismatch) => void = () => {},
  ) {
    for (const key of accessKeys) this.keys.set(key.accessKeyId, { ...key });
  }

  /** Forgets used nonces (part of state reset). */
  forgetNonces(): void {
    this.nonces.clear();
  }

  verify(call: SignedCall): VerifiedCall {
    const scheme = detectScheme(call);
    if (scheme === 'v3') return { scheme, accessKey: this.verifyV3(call) };
    if (scheme === 'v2') return { scheme, accessKey: this.verifyV2(call) };
    throw gatewayErrors.incompleteSignature();
  }

  private lookup(accessKeyId: string): EmulatorAccessKey {
    const key = this.keys.get(accessKeyId);
    if (!key) throw gatewayErrors.accessKeyNotFound();
    if (key.inactive) throw gatewayErrors.accessKeyInactive();
    return key;
  }

  private checkTimestamp(value: string): void {
    const ms = parseUtcTimestamp(value);
    if (ms === null) throw gatewayErrors.timestampFormat();
    if (Math.abs(this.now() - ms) > CLOCK_SKEW_MS) throw gatewayErrors.timestampExpired();
  }

  private checkToken(key: EmulatorAccessKey, token: string | undefined): void {
    if (key.securityToken === undefined) {
      if (token !== undefined && token !== '') throw gatewayErrors.securityTokenMismatch();
      return;
    }
    if (token === undefined || token === '') throw gatewayErrors.missingSecurityToken();
    if (token !== key.securityToken) throw gatewayErrors.securityTokenMismatch();
    if (key.securityTokenExpired) throw gatewayErrors.securityTokenExpired();
  }

  private consumeNonce(accessKeyId: string, nonce: string): void {
    const now = this.now();
    for (const [entry, expiresAt] of this.nonces) {
      if (expiresAt > now) break;
      this.nonces.delete(entry);
    }
    const entry = `${accessKeyId}\u0000${nonce}`;
    const expiresAt = this.nonces.get(entry);
    if (expiresAt !== undefined && expiresAt > now) throw gatewayErrors.nonceUsed();
    this.nonces.delete(entry);
    this.nonces.set(entry, now + NONCE_WINDOW_MS);
  }

  private verifyV2(call: SignedCall): EmulatorAccessKey {
    const params = [...call.query, ...call.form];
    const get = (name: string) => lastValue(params, name);
    const accessKeyId = get('AccessKeyId');
    const signature = get('Signature');
    const method = get('SignatureMethod');
    const version = get('SignatureVersion');
    const nonce = get('SignatureNonce');
    const timestamp = get('Timestamp');
    if (!accessKeyId || !signature || !method || !nonce || timestamp === undefined) {
      throw gatewayErrors.incompleteSignature();
    }
    if (method !== 'HMAC-SHA1') throw gatewayErrors.invalidSignatureMethod();
    if (version !== '1.0') throw gatewayErrors.incompleteSignature();
    const key = this.lookup(accessKeyId);
    this.checkTimestamp(timestamp);
    this.checkToken(key, get('SecurityToken'));
    const stringToSign = v2StringToSign(call.method, params);
    if (!sameSignature(v2Signature(stringToSign, key.accessKeySecret), signature)) {
      this.onMismatch({ scheme: 'v2', accessKeyId, stringToSign });
      throw gatewayErrors.signatureDoesNotMatch('v2', stringToSign);
    }
    this.consumeNonce(accessKeyId, nonce);
    return key;
  }

  private verifyV3(call: SignedCall): EmulatorAccessKey {
    const authorization = parseV3Authorization(call.headers.authorization ?? '');
    if (!authorization) throw gatewayErrors.incompleteSignature();
    if (authorization.algorithm !== V3_ALGORITHM) {
      if (authorization.algorithm.startsWith('ACS3-')) throw gatewayErrors.invalidSignatureMethod();
      throw gatewayErrors.incompleteSignature();
    }
    const date = call.headers['x-acs-date'];
    const nonce = call.headers['x-acs-signature-nonce'];
    if (!date || !nonce) throw gatewayErrors.incompleteSignature();
    const key = this.lookup(authorization.credential);
    this.checkTimestamp(date);
    this.checkToken(key, call.headers['x-acs-security-token']);

    // The spec signs host, content-type and every x-acs-* header; a request that leaves one out is incomplete.
    const mustSign = Object.keys(call.headers).filter(
      (name) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-'),
    );
    const signed = authorization.signedHeaders.map((name) => name.toLowerCase());
    const unsigned = mustSign.filter((name) => !signed.includes(name));
    const canonicalRequest = v3CanonicalRequest({
      method: call.method,
      path: call.path,
      query: call.query,
      headers: call.headers,
      signedHeaders: unsigned.length > 0 ? mustSign : signed,
      hashedPayload: sha256Hex(call.body),
    });
    const stringToSign = v3StringToSign(canonicalRequest);
    if (unsigned.length > 0) {
      this.onMismatch({
        scheme: 'v3',
        accessKeyId: key.accessKeyId,
        stringToSign,
        canonicalRequest,
        unsignedHeaders: unsigned,
      });
      throw gatewayErrors.incompleteSignature(stringToSign);
    }
    if (
      !sameSignature(v3Signature(stringToSign, key.accessKeySecret), authorization.signature.toLowerCase())
    ) {
      this.onMismatch({ scheme: 'v3', accessKeyId: key.accessKeyId, stringToSign, canonicalRequest });
      throw gatewayErrors.signatureDoesNotMatch('v3', stringToSign);
    }
    this.consumeNonce(key.accessKeyId, nonce);
    return key;
  }
}
