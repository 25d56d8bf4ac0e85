import 'server-only';
import { createHmac } from 'node:crypto';
import { canonicalQuery, formatAcsTimestamp, percentEncode } from './percent-encode';

/**
 * RPC HMAC-SHA1, "SignatureVersion 1.0" (see docs/sag-api.md). The same parameters are signed
 * whether they travel in a GET query or a POST form body: the server merges both before checking.
 */

export interface V2SigningCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface V2RequestToSign {
  method: 'GET' | 'POST';
  action: string;
  version: string;
  format: 'JSON' | 'XML';
  /** Business parameters (RegionId, UserName, ...). */
  parameters: Readonly<Record<string, string>>;
  date: Date;
  nonce: string;
}

export interface V2SignedRequest {
  /** All parameters including the common ones and `Signature`; send them as the query or the form body. */
  parameters: Record<string, string>;
  stringToSign: string;
}

/** `METHOD&%2F&` + the percent-encoded canonical query of every parameter but `Signature`. */
export function stringToSignV2(method: string, parameters: Readonly<Record<string, string>>): string {
  const { Signature: _ignored, ...signed } = parameters;
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalQuery(signed))}`;
}

export function signatureV2(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
}

/** The common parameters of an RPC call, without `Signature`. */
export function commonParametersV2(
  request: Omit<V2RequestToSign, 'method' | 'parameters'>,
  credentials: V2SigningCredentials,
): Record<string, string> {
  const common: Record<string, string> = {
    Action: request.action,
    Version: request.version,
    Format: request.format,
    AccessKeyId: credentials.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: request.nonce,
    Timestamp: formatAcsTimestamp(request.date),
  };
  if (credentials.securityToken) common.SecurityToken = credentials.securityToken;
  return common;
}

export function signV2(request: V2RequestToSign, credentials: V2SigningCredentials): V2SignedRequest {
  const parameters = { ...request.parameters, ...commonParametersV2(request, credentials) };
  const stringToSign = stringToSignV2(request.method, parameters);
  return {
    parameters: { ...parameters, Signature: signatureV2(stringToSign, credentials.accessKeySecret) },
    stringToSign,
  };
}

/** `application/x-www-form-urlencoded` body (or query string) with RFC 3986 encoding. */
export function encodeParameters(parameters: Readonly<Record<string, string>>): string {
  return Object.entries(parameters)
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join('&');
}
