import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { MESSAGES } from '@/lib/i18n/messages';
import { createTranslator } from '@/lib/i18n/translate';
import { errorResponse } from './responses';

const t = createTranslator('en', MESSAGES.en);

let consoleError: MockInstance<typeof console.error>;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  consoleError.mockRestore();
});

describe('errorResponse', () => {
  it('answers an unexpected error with 500 and the reference of its one log line, never its text', async () => {
    const error = new Error('relation "roam_jobs" does not exist; password=secret');
    const response = errorResponse('listing regions', error, 'en', t);
    expect(response.status).toBe(500);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { error: { code: string; title: string; fix: string } };
    expect(JSON.stringify(body)).not.toContain('roam_jobs');
    expect(consoleError).toHaveBeenCalledTimes(1);
    const [line, logged] = consoleError.mock.calls[0] ?? [];
    const reference = /^listing regions failed \(reference ([0-9a-f]{8})\):$/.exec(String(line))?.[1];
    expect(reference, String(line)).toBeDefined();
    expect(logged).toBe(error);
    expect(body.error).toMatchObject({
      code: 'InternalError',
      title: t('api.unexpected', { reference: reference ?? '' }),
      fix: t('api.unexpectedFix'),
    });
  });
});
