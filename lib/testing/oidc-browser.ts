// A very small "browser" for the test OpenID provider's pages (lib/testing/oidc-provider.ts), built on fetch:
// it keeps cookies as a browser does for 127.0.0.1, follows redirects while they stay on the provider, and
// submits the provider's forms. It stops at the first redirect that leaves the provider (to the relying
// party's redirect URI or post-logout URI) and hands that URL back without following it, so a Vitest test
// can give it to openid-client. Not used by the application.

export type ProviderStop =
  | { kind: 'redirect'; location: URL }
  | { kind: 'page'; url: URL; status: number; html: string };

/** The provider answered with a page where a redirect back to the relying party was expected. */
export class ProviderPageError extends Error {
  constructor(
    readonly url: URL,
    readonly status: number,
    readonly html: string,
  ) {
    super(`the provider answered ${status} with a page at ${url.href} instead of redirecting back`);
    this.name = 'ProviderPageError';
  }
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/**
 * Cookies of one host. Browsers keep cookies per host, not per port, so the provider and a tampering proxy in
 * front of it (both on 127.0.0.1) see the same cookies, as they would in Chromium.
 */
class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  header(url: URL): string | undefined {
    const matching = [...this.#cookies.values()].filter((cookie) => pathMatches(url.pathname, cookie.path));
    return matching.length
      ? matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ')
      : undefined;
  }

  store(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      let path = defaultPath(url);
      let expired = value === '';
      for (const attribute of attributes) {
        const [key = '', attributeValue = ''] = attribute.split('=').map((part) => part.trim());
        if (key.toLowerCase() === 'path' && attributeValue.startsWith('/')) path = attributeValue;
        if (key.toLowerCase() === 'max-age' && Number(attributeValue) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true;
      }
      const key = `${name};${path}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
    }
  }
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  return (
    requestPath === cookiePath ||
    (requestPath.startsWith(cookiePath) &&
      (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'))
  );
}

function defaultPath(url: URL): string {
  const lastSlash = url.pathname.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : url.pathname.slice(0, lastSlash);
}

export class ProviderBrowser {
  readonly #cookies = new CookieJar();

  /**
   * Requests `url` (a form POST when `form` is given) and follows redirects while they stay on the origin of
   * `url`; stops at a page, or at a redirect that leaves that origin.
   */
  async open(url: string | URL, form?: URLSearchParams): Promise<ProviderStop> {
    let current = new URL(url);
    const origin = current.origin;
    let body = form;
    for (let hops = 0; hops < 20; hops += 1) {
      const headers = new Headers({ accept: 'text/html' });
      const cookie = this.#cookies.header(current);
      if (cookie) headers.set('cookie', cookie);
      const response = await fetch(current, {
        method: body ? 'POST' : 'GET',
        headers,
        body,
        redirect: 'manual',
      });
      this.#cookies.store(current, response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        const next = new URL(location, current);
        if (next.origin !== origin) return { kind: 'redirect', location: next };
        current = next;
        body = undefined;
        continue;
      }
      return { kind: 'page', url: current, status: response.status, html: await response.text() };
    }
    throw new Error(`more than 20 redirects from ${String(url)}`);
  }

  /**
   * Opens the authorization URL and, on the sign-in page, signs in (or presses Cancel). Returns the redirect
   * to the relying party's redirect URI, not followed. With a provider session from an earlier sign-in in
   * this browser, the provider redirects back at once and no form is shown. Throws ProviderPageError when the
   * provider stops at a page instead (a wrong password, an error page).
   */
  async signIn(
    authorizationUrl: string | URL,
    user: { username: string; password: string } | 'cancel',
  ): Promise<URL> {
    const first = await this.open(authorizationUrl);
    if (first.kind === 'redirect') return first.location;
    const action = formAction(first.html, user === 'cancel' ? 'cancel-form' : 'login-form');
    if (!action) throw new ProviderPageError(first.url, first.status, first.html);
    const form =
      user === 'cancel'
        ? new URLSearchParams()
        : new URLSearchParams({ username: user.username, password: user.password });
    return expectRedirect(await this.open(new URL(action, first.url), form));
  }

  /**
   * Opens an end-session URL and confirms with "Sign out" when the provider asks (it asks while someone is
   * signed in; otherwise its page submits itself, which this does too). Returns the redirect to the
   * post-logout redirect URI, not followed.
   */
  async signOut(endSessionUrl: string | URL): Promise<URL> {
    const first = await this.open(endSessionUrl);
    if (first.kind === 'redirect') return first.location;
    const match = /<form[^>]*method="post"[^>]*action="([^"]+)"/.exec(first.html);
    if (!match?.[1]) throw new ProviderPageError(first.url, first.status, first.html);
    const form = new URLSearchParams();
    for (const input of first.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      form.append(decodeHtml(input[1] ?? ''), decodeHtml(input[2] ?? ''));
    }
    const signOutButton = /<button[^>]*name="logout" value="yes"[^>]*>Sign out<\/button>/.test(first.html);
    if (signOutButton && !form.has('logout')) form.append('logout', 'yes');
    return expectRedirect(await this.open(new URL(decodeHtml(match[1]), first.url), form));
  }
}

/** Signs in with a new browser (no cookies): see {@link ProviderBrowser.signIn}. */
export async function signInAtProvider(
  authorizationUrl: string,
  user: { username: string; password: string } | 'cancel',
): Promise<URL> {
  return new ProviderBrowser().signIn(authorizationUrl, user);
}

function expectRedirect(stop: ProviderStop): URL {
  if (stop.kind === 'redirect') return stop.location;
  throw new ProviderPageError(stop.url, stop.status, stop.html);
}

function formAction(html: string, id: string): string | undefined {
  const match = new RegExp(`<form id="${id}" method="post" action="([^"]+)"`).exec(html);
  return match?.[1] ? decodeHtml(match[1]) : undefined;
}

function decodeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
