const SITE = 'http://sag-roam.invalid';
const OTHER_SITE = 'https://other-base.invalid:8443';

/**
 * Whether a browser sent to `location` stays on the site it is on, and asks for exactly `location`.
 *
 * A Location header is resolved by the browser, with its own normalisation of dot segments, backslashes and
 * white space: "/.//evil.com" is a path of this site to a check of the input, but it resolves to
 * "//evil.com", another host. So the string that is *returned* is checked, resolved as a browser would,
 * against two unrelated bases.
 */
function isPathOfThisSite(location: string): boolean {
  // One leading slash, not two (a host follows) and not a backslash (which browsers read as a slash).
  if (!location.startsWith('/') || location[1] === '/' || location[1] === '\\') return false;
  return [SITE, OTHER_SITE].every((base) => {
    const resolved = new URL(location, base);
    return resolved.origin === new URL(base).origin && `${resolved.pathname}${resolved.search}` === location;
  });
}

/** Where to go after signing in: only a path of this site, never another origin (no open redirect). */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return '/';
  try {
    const url = new URL(value, SITE);
    if (url.origin !== SITE || url.pathname.startsWith('/sign-in')) return '/';
    const location = `${url.pathname}${url.search}`;
    return isPathOfThisSite(location) ? location : '/';
  } catch {
    return '/';
  }
}
