// The route wrapper, real, with only the session lookup and the request's cookies and headers stood in for.
import { notFound, redirect } from 'next/navigation';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { SessionUser } from '@/lib/auth/sessions';

const operator: SessionUser = { id: 'u-2', email: 'operator@example.com', role: 'operator', locale: null };

vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (name === 'sag-roam-session' ? { name, value: 'a-session-token' } : undefined),
  }),
  headers: async () => new Headers({ 'x-forwarded-proto': 'http', 'accept-language': 'en' }),
}));
vi.mock('@/lib/runtime', () => ({ getRuntime: async () => ({ db: {} }) }));
vi.mock('@/lib/auth/sessions', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/auth/sessions')>()),
  resolveSession: async () => ({ user: operator }),
}));

import { withRoute } from './route';

const call = (handler: () => Promise<Response>) =>
  withRoute<Record<string, never>>(
    'operator',
    'testing',
    handler,
  )(new Request('http://app/api/test'), {
    params: Promise.resolve({}),
  });

let consoleError: MockInstance<typeof console.error>;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  consoleError.mockRestore();
});

describe('withRoute', () => {
  it('lets redirect() and notFound() through to Next.js instead of answering 500', async () => {
    await expect(call(async () => redirect('/sign-in'))).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;replace;\/sign-in;/),
    });
    await expect(call(async () => notFound())).rejects.toMatchObject({
      digest: 'NEXT_HTTP_ERROR_FALLBACK;404',
    });
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('answers any other error with 500 and one log line naming the route', async () => {
    const response = await call(async () => {
      throw new Error('boom');
    });
    expect(response.status).toBe(500);
    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(consoleError.mock.calls[0]?.[0]).toMatch(/^testing failed \(reference [0-9a-f]{8}\):$/);
  });
});
