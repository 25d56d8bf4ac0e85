// What Next.js gives a server action, page or route handler of a request, stood in for in tests that call them
// directly: the session cookie a test sets, the forwarded headers of a plain HTTP request from 127.0.0.1, and
// no-op cache revalidation. Test-only. In a test file:
//
//   vi.mock('next/headers', async () => (await import('@/lib/testing/next-request')).nextHeaders);
//   vi.mock('next/cache', async () => (await import('@/lib/testing/next-request')).nextCache);
//
// and set `testRequest.token` to a session token (or undefined: signed out).

/** The session the next request carries: the value of its session cookie, undefined when signed out. */
export const testRequest = { token: undefined as string | undefined };

export const nextHeaders = {
  cookies: async () => ({
    get: (name: string) =>
      testRequest.token !== undefined && name === 'sag-roam-session'
        ? { name, value: testRequest.token }
        : undefined,
    set: () => {},
    delete: () => {},
  }),
  headers: async () => new Headers({ 'x-forwarded-proto': 'http', 'x-forwarded-for': '127.0.0.1' }),
};

export const nextCache = { revalidatePath: () => {}, revalidateTag: () => {} };
