// The action wrapper, real, with only the session lookup and the request's cookies and headers stood in for
// (there is no HTTP request and no database around a direct call). Next.js's redirect() and notFound() are
// the real ones: what they throw must reach Next.js, not become a failure answer.
import { notFound, redirect } from 'next/navigation';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { z } from 'zod/mini';
import type { SessionUser } from '@/lib/auth/sessions';

const request = vi.hoisted(() => ({ user: null as SessionUser | null, sessionLookups: 0 }));

vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) =>
      request.user && name === 'sag-roam-session' ? { name, value: 'a-session-token' } : undefined,
    set: () => {},
    delete: () => {},
  }),
  headers: async () => new Headers({ 'x-forwarded-proto': 'http', 'accept-language': 'en' }),
}));
vi.mock('@/lib/runtime', () => ({ getRuntime: async () => ({ db: {} }) }));
vi.mock('@/lib/auth/sessions', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/auth/sessions')>()),
  resolveSession: async () => {
    request.sessionLookups += 1;
    return request.user ? { user: request.user } : null;
  },
}));

import { MESSAGES } from '@/lib/i18n/messages';
import { ActionFailure, runAction, runPublicAction } from './action';

const viewer: SessionUser = { id: 'u-1', email: 'viewer@example.com', role: 'viewer', locale: null };
const operator: SessionUser = { id: 'u-2', email: 'operator@example.com', role: 'operator', locale: null };
const en = MESSAGES.en;

const nameSchema = () => z.object({ name: z.string() });

let consoleError: MockInstance<typeof console.error>;
beforeEach(() => {
  request.user = operator;
  request.sessionLookups = 0;
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  consoleError.mockRestore();
});

/** Both variants, so every rule below is checked for each. */
const variants = {
  runAction: <T>(handler: () => Promise<T>) =>
    runAction('testAction', 'operator', nameSchema, { name: 'x' }, handler),
  runPublicAction: <T>(handler: () => Promise<T>) =>
    runPublicAction('testAction', nameSchema, { name: 'x' }, handler),
};

describe.each(Object.entries(variants))('%s', (_name, run) => {
  it('returns the handler’s data', async () => {
    expect(await run(async () => 42)).toEqual({ ok: true, data: 42 });
  });

  it('lets a redirect() in the handler through to Next.js, as the redirect itself', async () => {
    const answer = run(async () => redirect('/history?job=1'));
    await expect(answer).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;replace;\/history\?job=1;/),
    });
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('lets a notFound() in the handler through to Next.js', async () => {
    await expect(run(async () => notFound())).rejects.toMatchObject({
      digest: 'NEXT_HTTP_ERROR_FALLBACK;404',
    });
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('answers an ActionFailure with its message and field errors, and logs nothing', async () => {
    const answer = await run(async () => {
      throw new ActionFailure('That job has ended.', { jobId: ['Not this one'] });
    });
    expect(answer).toEqual({
      ok: false,
      formError: 'That job has ended.',
      fieldErrors: { jobId: ['Not this one'] },
    });
    const plain = await run(async () => {
      throw new ActionFailure('No failed item to retry.');
    });
    expect(plain).toStrictEqual({ ok: false, formError: 'No failed item to retry.' });
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('answers an unexpected error generically, with the 8-character reference of its one log line', async () => {
    const error = new Error('connect ECONNREFUSED 10.0.0.7:5432 user=sag password=secret');
    const answer = await run(async () => {
      throw error;
    });
    expect(answer).toEqual({ ok: false, formError: en['action.unexpected'], reference: expect.any(String) });
    if (answer.ok) return;
    expect(answer.reference).toMatch(/^[0-9a-f]{8}$/);
    expect(JSON.stringify(answer)).not.toContain('ECONNREFUSED');
    expect(consoleError).toHaveBeenCalledTimes(1);
    const [line, logged] = consoleError.mock.calls[0] ?? [];
    expect(line).toBe(`server action testAction failed (reference ${answer.reference}):`);
    expect(logged).toBe(error);
  });

  it('gives each unexpected error its own reference', async () => {
    const fail = async () => {
      throw new Error('boom');
    };
    const [first, second] = [await run(fail), await run(fail)];
    expect(first.ok || second.ok).toBe(false);
    if (first.ok || second.ok) return;
    expect(first.reference).not.toBe(second.reference);
  });
});

describe('runAction', () => {
  it('never runs the handler (nor parses the input) for a visitor who is not signed in: 401', async () => {
    request.user = null;
    const handler = vi.fn(async () => 'ran');
    const schemaFor = vi.fn(nameSchema);
    const answer = await runAction('testAction', 'viewer', schemaFor, { name: 'x' }, handler);
    expect(answer).toEqual({ ok: false, formError: en['auth.sessionEnded'], status: 401 });
    expect(handler).not.toHaveBeenCalled();
    expect(schemaFor).not.toHaveBeenCalled();
  });

  it('never runs the handler for a role below the one needed: 403, naming both roles', async () => {
    request.user = viewer;
    const handler = vi.fn(async () => 'ran');
    const answer = await runAction('testAction', 'operator', nameSchema, { name: 'x' }, handler);
    expect(answer).toMatchObject({ ok: false, status: 403 });
    if (answer.ok) return;
    expect(answer.formError).toBe(
      en['auth.roleDenied'].replace('{role}', en['role.viewer']).replace('{needed}', en['role.operator']),
    );
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes the signed-in user as the actor, and fail() answers in the reader’s language', async () => {
    request.user = { ...operator, locale: 'zh-CN' };
    const answer = await runAction(
      'testAction',
      'operator',
      nameSchema,
      { name: 'x' },
      async (input, context) => {
        expect(input).toEqual({ name: 'x' });
        expect(context.actor).toBe(operator.email);
        expect(context.locale).toBe('zh-CN');
        return context.fail('action.jobMissing');
      },
    );
    expect(answer).toStrictEqual({ ok: false, formError: MESSAGES['zh-CN']['action.jobMissing'] });
  });

  it('refuses input of the wrong type field by field with the app’s own message, without running', async () => {
    const handler = vi.fn(async () => 'ran');
    const answer = await runAction('testAction', 'operator', nameSchema, { name: 7 }, handler);
    expect(answer).toEqual({
      ok: false,
      formError: en['action.invalid'],
      fieldErrors: { name: [en['action.fieldInvalid']] },
    });
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('runPublicAction', () => {
  it('runs without a session, with no user in the context', async () => {
    request.user = null;
    const answer = await runPublicAction('testAction', nameSchema, { name: 'x' }, async (_input, context) => {
      expect(context.user).toBeNull();
      return 'ran';
    });
    expect(answer).toEqual({ ok: true, data: 'ran' });
  });

  it('passes the signed-in user, if any, and answers in their language', async () => {
    request.user = { ...viewer, locale: 'zh-CN' };
    const answer = await runPublicAction('testAction', nameSchema, { name: 'x' }, async (_input, context) => {
      expect(context.user?.email).toBe(viewer.email);
      throw new Error('boom');
    });
    expect(answer).toMatchObject({ ok: false, formError: MESSAGES['zh-CN']['action.unexpected'] });
  });

  it('with ignoreSession, neither looks the session up nor lets it pick the language', async () => {
    request.user = { ...viewer, locale: 'zh-CN' };
    const answer = await runPublicAction(
      'testAction',
      nameSchema,
      { name: 'x' },
      async (_input, context) => {
        expect(context.user).toBeNull();
        return context.fail('signIn.wrong');
      },
      { ignoreSession: true },
    );
    expect(answer).toStrictEqual({ ok: false, formError: en['signIn.wrong'] });
    expect(request.sessionLookups).toBe(0);
  });

  it('with invalidInput, answers any invalid input with that one message and no field errors', async () => {
    const handler = vi.fn(async () => 'ran');
    for (const input of [undefined, {}, { name: 7 }, 'name']) {
      const answer = await runPublicAction('testAction', nameSchema, input, handler, {
        invalidInput: 'signIn.enterBoth',
      });
      expect(answer).toStrictEqual({ ok: false, formError: en['signIn.enterBoth'] });
    }
    expect(handler).not.toHaveBeenCalled();
  });
});
