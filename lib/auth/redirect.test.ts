import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './redirect';

// The return path is put in a Location header as it is; the browser resolves it against the page's URL. So
// what matters is where the *returned* string leads once a browser has resolved it, not what the input
// looked like: "/.//evil.com" is a path to the URL parser, but normalises to "//evil.com", another host.

const BASES = ['http://127.0.0.1:3100', 'https://sag-roam.example.com', 'http://[::1]:8080'];

/** Where a browser on `base` goes when it is sent to `location`. */
function followed(location: string, base: string): URL {
  return new URL(location, base);
}

function expectStaysOnSite(location: string) {
  expect(location.startsWith('/')).toBe(true);
  expect(location[1] === '/' || location[1] === '\\').toBe(false);
  for (const base of BASES) {
    const target = followed(location, base);
    expect(target.origin, `${JSON.stringify(location)} from ${base}`).toBe(new URL(base).origin);
    // What the browser asks for is exactly what was returned: nothing left for a later normalisation.
    expect(`${target.pathname}${target.search}`).toBe(location);
    expect(target.pathname.startsWith('/sign-in')).toBe(false);
  }
  expect(safeReturnPath(location)).toBe(location);
}

describe('safeReturnPath', () => {
  it.each([
    '//evil.com',
    '/\\evil.com',
    '/.//evil.com',
    '/%2e//evil.com',
    '/%2E//evil.com',
    '/a/..//evil.example/x',
    '/a/%2e%2e//evil.example/x',
    '/././/evil.com',
    '/..//evil.com',
    '/.\\/evil.com',
    '/\t/evil.com',
    '/\n/evil.com',
    'https://evil.com',
    'http:evil.com',
    'javascript:alert(1)',
    '\\\\evil.com',
    ' //evil.com',
    'evil.com',
    '/sign-in',
    '/sign-in?next=//evil.com',
    '/x/../sign-in',
    '',
  ])('sends %j home instead of elsewhere', (input) => {
    const location = safeReturnPath(input);
    expect(location === '/' || !/evil/.test(location)).toBe(true);
    expectStaysOnSite(location);
    for (const base of BASES) expect(followed(location, base).host).toBe(new URL(base).host);
  });

  it.each([
    [undefined, '/'],
    [null, '/'],
    [['/history'], '/'],
    [42, '/'],
  ])('takes only a string: %j gives %j', (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });

  it.each([
    ['/', '/'],
    ['/history', '/history'],
    ['/history?status=failed&page=2', '/history?status=failed&page=2'],
    ['/history/0b7c9a7e-4e7b-4a57-8f0e-1f2d3c4b5a69', '/history/0b7c9a7e-4e7b-4a57-8f0e-1f2d3c4b5a69'],
    ['/admin/users#top', '/admin/users'],
    ['/a/./b/../c', '/a/c'],
    ['/history/%2e%2e/admin/users', '/admin/users'],
    // An encoded slash is part of a segment, not a separator: this is a path of this site.
    ['/.%2F/evil.com', '/.%2F/evil.com'],
  ])('keeps a path of this site: %j gives %j', (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
    expectStaysOnSite(expected);
  });

  // Paths built from the pieces that confuse a check of the input: dot segments in every spelling, empty
  // segments, slashes and backslashes raw and encoded, white space the URL parser drops, and host names.
  const piece = fc.constantFrom(
    '/',
    '//',
    '\\',
    '.',
    '..',
    '%2e',
    '%2E',
    '%2e%2e',
    '.%2e',
    '%2F',
    '%5C',
    '\t',
    '\n',
    ' ',
    '?',
    '#',
    '@',
    ':',
    'evil.com',
    'evil.example',
    'history',
    'sign-in',
    'a',
  );
  const hostile = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));

  it('returns only what a browser resolves to this site, for generated paths', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostile,
          hostile.map((path) => `/${path}`),
          fc.string(),
        ),
        (input) => {
          expectStaysOnSite(safeReturnPath(input));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('keeps every plain path of this site as it is', () => {
    const segment = fc.stringMatching(/^[a-z0-9-]{1,12}$/).filter((text) => !/^sign-in/.test(text));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const path = `/${segments.join('/')}`;
        expect(safeReturnPath(path)).toBe(path);
      }),
    );
  });
});
