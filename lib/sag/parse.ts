import 'server-only';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * Response bodies of the RPC API, in JSON or XML, turned into plain objects.
 *
 * XML values are kept as strings here (a username of digits must stay a string); the operation mappers
 * coerce the fields they know with `asNumber` / `asBoolean`. Lists come wrapped (`Regions.Region`) and
 * may be a single object, an empty string or absent: `listOf` always returns an array.
 */

export type BodyObject = Record<string, unknown>;

export class MalformedBodyError extends Error {
  override readonly name = 'MalformedBodyError';
}

export type BodyFormat = 'json' | 'xml';

export function detectBodyFormat(contentType: string | undefined, body: string): BodyFormat | undefined {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json')) return 'json';
  if (type.includes('xml')) return 'xml';
  const first = body.trimStart()[0];
  if (first === '{') return 'json';
  if (first === '<') return 'xml';
  return undefined;
}

const xmlParser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  // The five predefined entities (&amp; &lt; ...) are decoded; entities of a DOCTYPE never get this far.
  processEntities: true,
  htmlEntities: false,
});

/**
 * The API's XML never has a document type. A DOCTYPE is how entity bombs and external entities come in, so
 * one is refused before any parsing, whatever the parser's own limits: refusing is quick and needs no memory.
 */
const DOCTYPE_OR_ENTITY = /<!(DOCTYPE|ENTITY)/i;

function isObject(value: unknown): value is BodyObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseXml(body: string): BodyObject {
  if (DOCTYPE_OR_ENTITY.test(body)) throw new MalformedBodyError('The XML body declares a document type.');
  if (XMLValidator.validate(body) !== true) throw new MalformedBodyError('The XML body is not well-formed.');
  const document: unknown = xmlParser.parse(body);
  if (!isObject(document)) throw new MalformedBodyError('The XML body has no root element.');
  const roots = Object.keys(document).filter((key) => !key.startsWith('?') && !key.startsWith('#'));
  if (roots.length !== 1)
    throw new MalformedBodyError('The XML body does not have exactly one root element.');
  const root = document[roots[0] as string];
  // `<DescribeRegionsResponse/>` parses to '' — an empty object, not an error.
  if (root === '') return {};
  if (!isObject(root)) throw new MalformedBodyError('The XML root element has no fields.');
  return root;
}

function parseJson(body: string): BodyObject {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MalformedBodyError('The JSON body is not valid JSON.');
  }
  if (!isObject(value)) throw new MalformedBodyError('The JSON body is not an object.');
  return value;
}

/** Parses a response body by its content type, or by sniffing its first character. Throws MalformedBodyError. */
export function parseBody(body: string, contentType?: string): BodyObject {
  if (body.trim() === '') throw new MalformedBodyError('The body is empty.');
  const format = detectBodyFormat(contentType, body);
  // A wrong content type should not hide a readable body: fall back to what the body looks like.
  if (format === 'json') {
    try {
      return parseJson(body);
    } catch (error) {
      if (body.trimStart().startsWith('<')) return parseXml(body);
      throw error;
    }
  }
  if (format === 'xml') {
    try {
      return parseXml(body);
    } catch (error) {
      if (body.trimStart().startsWith('{')) return parseJson(body);
      throw error;
    }
  }
  throw new MalformedBodyError('The body is neither JSON nor XML.');
}

/** `container[itemKey]` as an array of objects: tolerates a single object, '' and absence. */
export function listOf(container: unknown, itemKey: string): BodyObject[] {
  if (container === undefined || container === null || container === '') return [];
  // Some gateways drop the wrapper and return the array directly.
  const items = Array.isArray(container) ? container : isObject(container) ? container[itemKey] : undefined;
  if (items === undefined || items === null || items === '') return [];
  const array = Array.isArray(items) ? items : [items];
  return array.filter(isObject);
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

/** A finite number from a number or a numeric string; undefined for anything else ('' included). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** true/false from booleans, 'true'/'false' (any case) and 1/0 (number or string). */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value === 'string') {
    const normalised = value.trim().toLowerCase();
    if (normalised === 'true' || normalised === '1') return true;
    if (normalised === 'false' || normalised === '0') return false;
  }
  return undefined;
}

/**
 * Caps on the strings of an answer that sag-roam stores and shows. An answer comes from the network: one
 * 7.5 MB RequestId, stored for each attempt, once made a job page 240 MB.
 */
export const MAX_REQUEST_ID_LENGTH = 64;
export const MAX_ERROR_CODE_LENGTH = 128;
export const MAX_ERROR_MESSAGE_LENGTH = 2_048;

/** Alibaba Cloud's RequestIds are UUIDs in upper case; anything unlike one is no proof of an answer. */
const REQUEST_ID = new RegExp(`^[A-Za-z0-9-]{1,${MAX_REQUEST_ID_LENGTH}}$`);

/** A RequestId as the API writes one, or undefined (absent, empty, too long, or with other characters). */
export function asRequestId(value: unknown): string | undefined {
  const text = asString(value);
  return text !== undefined && REQUEST_ID.test(text) ? text : undefined;
}

/** `text` cut to at most `maxLength` characters, an ellipsis included, never splitting a surrogate pair. */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = Math.max(0, maxLength - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** The first of several field spellings that is present (`RequestId` / `requestId`). */
export function field(object: BodyObject, ...names: string[]): unknown {
  for (const name of names) {
    if (object[name] !== undefined) return object[name];
  }
  return undefined;
}
