// Response bodies in the gateway's two formats. XML is built by hand: an array under key K becomes
// repeated <K> elements, which is how the real RPC gateway renders `Regions.Region[]` and friends.
import { randomUUID } from 'node:crypto';
import type { ApiError } from './errors';

export type ResponseFormat = 'JSON' | 'XML';

export const CONTENT_TYPES: Record<ResponseFormat, string> = {
  JSON: 'application/json;charset=utf-8',
  // The exact value the official SDK tests for before it parses an XML error.
  XML: 'text/xml;charset=utf-8',
};

export type BodyValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | BodyValue[]
  | { [key: string]: BodyValue };
export type Body = { [key: string]: BodyValue };

/** Upper-case UUID, the shape of the real `RequestId`. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function xmlElement(name: string, value: BodyValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item)).join('');
  if (value === null) return `<${name}/>`;
  if (typeof value === 'object') {
    const children = Object.entries(value)
      .map(([key, child]) => xmlElement(key, child))
      .join('');
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const XML_PROLOG = "<?xml version='1.0' encoding='UTF-8'?>";

export function renderSuccess(format: ResponseFormat, action: string, body: Body): string {
  return format === 'JSON' ? JSON.stringify(body) : `${XML_PROLOG}${xmlElement(`${action}Response`, body)}`;
}

export interface ErrorContext {
  requestId: string;
  hostId: string;
}

export function errorBody(error: ApiError, context: ErrorContext): Body {
  return {
    RequestId: context.requestId,
    HostId: context.hostId,
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Smartag&requestId=${context.requestId}`,
  };
}

export function renderError(format: ResponseFormat, error: ApiError, context: ErrorContext): string {
  const body = errorBody(error, context);
  return format === 'JSON' ? JSON.stringify(body) : `${XML_PROLOG}${xmlElement('Error', body)}`;
}

/** A 2xx body that no parser accepts: the document is cut off half-way, as a broken proxy would. */
export function renderMalformed(format: ResponseFormat, action: string, requestId: string): string {
  return format === 'JSON'
    ? `{"RequestId":"${requestId}","${action}":{"Truncated":`
    : `${XML_PROLOG}<${action}Response><RequestId>${requestId}</RequestId><Trunc`;
}
