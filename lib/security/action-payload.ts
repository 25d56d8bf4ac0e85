/**
 * A server action's request body is decoded by Next.js itself (React's `decodeReply`, in
 * node_modules/next/dist/server/app-render/action-handler.js) before any code of ours runs, and every
 * decoding failure there answers 500 and logs a stack trace: JSON that does not parse, nesting deep enough to
 * overflow the stack (directly, or through a chain of references between parts), multipart that does not
 * parse, a reference to a part that is not there, or arguments that are not a list. The proxy checks the body
 * first with this module, so that such a request gets a 400 and one line in the log.
 *
 * Web APIs only: the proxy runs it on every action request.
 */

/** Next.js's default `serverActions.bodySizeLimit`; a larger body is refused with 413 either way. */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;
/** Far more than any form of this app sends, far less than what overflows the decoder's recursion. */
export const MAX_ACTION_NESTING = 128;
/** Next.js refuses more arguments than this (SERVER_ACTION_ARGS_LIMIT), with a 500. */
export const MAX_ACTION_ARGUMENTS = 1000;

export interface ActionRequestShape {
  method: string;
  /** The `Next-Action` header: present on every action the app's own pages call. */
  actionId: string | null;
  contentType: string | null;
}

export type PayloadProblem = { status: 400 | 413; reason: string };

/** Whether Next.js will try to decode this request as a server action (the same test as its own). */
export function isPossibleActionRequest(request: ActionRequestShape): boolean {
  if (request.method !== 'POST') return false;
  return request.actionId !== null || isMultipart(request.contentType);
}

function isMultipart(contentType: string | null): boolean {
  // Next.js's own test: case-sensitive. Anything else it decodes as text.
  return contentType?.startsWith('multipart/form-data') ?? false;
}

/** The deepest nesting of arrays and objects in a JSON text, counted without parsing it. */
export function jsonNesting(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (code === 0x5d || code === 0x7d) {
      depth -= 1;
    }
  }
  return deepest;
}

/**
 * References to other parts in React's reply format: "$<hex id>", "$Q<id>" (a Map)... The decoder fails on
 * one whose part is missing, except a promise ("$@<id>"), which is handed to the action rejected.
 */
const ROW_REFERENCE_TYPES = new Set(['@', 'h', 'Q', 'W', 'i']);
const BLOB_REFERENCE_TYPES = new Set(['A', 'O', 'o', 'U', 'S', 's', 'L', 'l', 'G', 'g', 'M', 'm', 'V', 'B']);
/** Values and other references that need no part of their own. */
const VALUE_TYPES = new Set(['$', 'H', 'T', 'K', 'I', '-', 'N', 'u', 'D', 'n', 'R', 'r', 'X', 'x']);

interface Part {
  nesting: number;
  /** The form fields of the parts and files it refers to; `promised` parts may be missing. */
  rows: string[];
  promised: string[];
  blobs: string[];
}

/** The part numbers a JSON part refers to: other JSON parts (rows), and files (blobs). */
function referencesOf(value: unknown): { rows: string[]; promised: string[]; blobs: string[] } {
  const rows: string[] = [];
  const promised: string[] = [];
  const blobs: string[] = [];
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next[0] !== '$' || next.length < 2) continue;
      const type = next[1] ?? '';
      if (VALUE_TYPES.has(type)) continue;
      if (BLOB_REFERENCE_TYPES.has(type)) {
        blobs.push(String(Number.parseInt(next.slice(2), 16)));
      } else {
        const reference = ROW_REFERENCE_TYPES.has(type) ? next.slice(2) : next.slice(1);
        (type === '@' ? promised : rows).push(String(Number.parseInt(reference.split(':')[0] ?? '', 16)));
      }
    } else if (Array.isArray(next)) {
      pending.push(...next);
    } else if (typeof next === 'object' && next !== null) {
      pending.push(...Object.values(next));
    }
  }
  return { rows, promised, blobs };
}

/**
 * The deepest nesting the decoder will recurse through from `root`, references followed (each part counted
 * once on a path; a reference back to a part being decoded is a cycle React resolves lazily).
 */
function nestingThroughReferences(parts: Map<string, Part>, root: string): number {
  const total = new Map<string, number>();
  const onPath = new Set<string>();
  const stack: { key: string; next: number }[] = [{ key: root, next: 0 }];
  onPath.add(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as { key: string; next: number };
    const part = parts.get(frame.key) as Part;
    const child = part.rows[frame.next] ?? part.promised[frame.next - part.rows.length];
    if (child !== undefined) {
      frame.next += 1;
      if (!total.has(child) && !onPath.has(child) && parts.has(child)) {
        onPath.add(child);
        stack.push({ key: child, next: 0 });
      }
      continue;
    }
    const deepestChild = Math.max(0, ...[...part.rows, ...part.promised].map((key) => total.get(key) ?? 0));
    total.set(frame.key, part.nesting + deepestChild);
    onPath.delete(frame.key);
    stack.pop();
  }
  return total.get(root) ?? 0;
}

/**
 * Checks the JSON parts of a reply: `texts` by field name (a text body is the single part "0"), `blobKeys`
 * the fields that hold files, `prefixOf` the prefix of a part's field name before its number (a part refers
 * to the parts of its own prefix). `rootIsArguments`: part "0" is the argument list of a fetch action.
 */
export function checkReplyParts(
  texts: Map<string, string>,
  blobKeys: Set<string>,
  rootIsArguments: boolean,
  prefixOf: (key: string) => string = () => '',
): PayloadProblem | null {
  const parts = new Map<string, Part>();
  let root: unknown;
  for (const [key, text] of texts) {
    const nesting = jsonNesting(text, MAX_ACTION_NESTING);
    if (nesting > MAX_ACTION_NESTING) {
      return { status: 400, reason: `nesting deeper than ${MAX_ACTION_NESTING} levels` };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { status: 400, reason: `part ${JSON.stringify(key.slice(0, 20))} is not JSON` };
    }
    if (key === '0') root = value;
    const prefix = prefixOf(key);
    const { rows, promised, blobs } = referencesOf(value);
    const fields = (ids: string[]) => ids.map((id) => `${prefix}${id}`);
    parts.set(key, { nesting, rows: fields(rows), promised: fields(promised), blobs: fields(blobs) });
  }
  for (const part of parts.values()) {
    if (part.rows.some((key) => !parts.has(key)) || part.blobs.some((key) => !blobKeys.has(key))) {
      return { status: 400, reason: 'a reference to a part that is not in the body' };
    }
  }
  if (rootIsArguments) {
    if (!parts.has('0')) return { status: 400, reason: 'no argument list' };
    if (!Array.isArray(root)) return { status: 400, reason: 'the arguments are not a list' };
    if (root.length > MAX_ACTION_ARGUMENTS) {
      return { status: 400, reason: `more than ${MAX_ACTION_ARGUMENTS} arguments` };
    }
  }
  for (const key of parts.keys()) {
    if (nestingThroughReferences(parts, key) > MAX_ACTION_NESTING) {
      return { status: 400, reason: `nesting deeper than ${MAX_ACTION_NESTING} levels through references` };
    }
  }
  return null;
}

/**
 * The prefix of a field that is a part of the reply, or null: a fetch action numbers its parts "0", "1"...;
 * a form posted without JavaScript has the bound arguments of each action as "$ACTION_<n>:0"...
 */
function replyPartPrefix(name: string, fetchAction: boolean): string | null {
  const match = fetchAction ? /^()(\d+)$/.exec(name) : /^(\$ACTION_\d+:)(\d+)$/.exec(name);
  const digits = match?.[2];
  return digits !== undefined && String(Number(digits)) === digits ? (match?.[1] ?? '') : null;
}

/**
 * What is wrong with an action request's body, or null when Next.js can decode it. `body` is the whole body
 * (at most ACTION_BODY_LIMIT_BYTES + 1 bytes are needed to tell it is too large).
 */
export async function checkActionBody(
  request: ActionRequestShape,
  body: Uint8Array,
): Promise<PayloadProblem | null> {
  if (body.byteLength > ACTION_BODY_LIMIT_BYTES) {
    return { status: 413, reason: `a body larger than ${ACTION_BODY_LIMIT_BYTES} bytes` };
  }
  const fetchAction = request.actionId !== null;
  if (!isMultipart(request.contentType)) {
    // Next.js reads a non-multipart body as UTF-8 text, the whole argument list in one part.
    if (!fetchAction) return null;
    return checkReplyParts(new Map([['0', new TextDecoder().decode(body)]]), new Set(), true);
  }
  let form: FormData;
  try {
    form = await new Request('http://sag-roam.invalid/', {
      method: 'POST',
      headers: { 'content-type': request.contentType ?? '' },
      body: new Blob([body as Uint8Array<ArrayBuffer>]),
    }).formData();
  } catch {
    return { status: 400, reason: 'a multipart body that does not parse' };
  }
  const texts = new Map<string, string>();
  const prefixes = new Map<string, string>();
  const blobKeys = new Set<string>();
  for (const [name, value] of form.entries()) {
    if (typeof value !== 'string') {
      blobKeys.add(name);
      continue;
    }
    const prefix = replyPartPrefix(name, fetchAction);
    if (prefix === null) continue;
    texts.set(name, value);
    prefixes.set(name, prefix);
  }
  return checkReplyParts(texts, blobKeys, fetchAction, (key) => prefixes.get(key) ?? '');
}

/** Reads at most `limit + 1` bytes of a body: enough to check it, or to tell it is too large. */
export async function readBodyUpTo(
  stream: ReadableStream<Uint8Array> | null,
  limit = ACTION_BODY_LIMIT_BYTES,
): Promise<Uint8Array> {
  if (!stream) return new Uint8Array();
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size <= limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
