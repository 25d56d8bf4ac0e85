import 'server-only';

/**
 * RFC 3986 percent-encoding as both Alibaba Cloud signature schemes require it: the unreserved
 * characters `A-Z a-z 0-9 - _ . ~` stay, everything else becomes `%XX` over its UTF-8 bytes with
 * uppercase hex (so a space is `%20`, never `+`, and `*` is `%2A`).
 *
 * `encodeURIComponent` already does this except for `! ' ( ) *`, which it leaves alone.
 * A string that is not well-formed Unicode (a lone surrogate) is refused rather than silently
 * replaced, because the server would then sign different bytes from the ones we meant.
 */
export function percentEncode(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw new TypeError(
      'A request parameter is not well-formed Unicode text (it contains a lone surrogate).',
    );
  }
  return encoded.replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `a=1&b=2` with names sorted in byte order of their encoded form, names and values percent-encoded. */
export function canonicalQuery(parameters: Readonly<Record<string, string>>): string {
  return Object.entries(parameters)
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** UTC `YYYY-MM-DDThh:mm:ssZ`, no milliseconds: the format of `x-acs-date` (V3) and `Timestamp` (V2). */
export function formatAcsTimestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('The signing date is not a valid date.');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
