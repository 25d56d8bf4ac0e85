// proxy.ts in front of server actions: a body Next.js could not decode is refused with a 400 (and one log
// line) before Next.js sees it; every other request goes on with the security headers.
import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { proxy } from '@/proxy';

const ACTION = { 'next-action': '7f0a4c1d2e3b', 'content-type': 'text/plain;charset=UTF-8' };

function post(body: string, headers: Record<string, string> = ACTION) {
  return new NextRequest('http://127.0.0.1:3100/sign-in', { method: 'POST', headers, body });
}

describe('proxy', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('refuses a malformed action body with 400, the security headers and one log line without the body', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;

    for (const body of ['{"email":', deep]) {
      const response = await proxy(post(body));
      expect(response.status).toBe(400);
      expect(await response.text()).toBe('Malformed server action request.\n');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-middleware-next')).toBeNull();
    }
    expect(warn).toHaveBeenCalledTimes(2);
    for (const [line] of warn.mock.calls) {
      expect(String(line)).toMatch(/^sag-roam: refused a server action request with 400: POST \/sign-in: /);
      expect(String(line)).not.toContain('\n');
      expect(String(line)).not.toContain('[[[');
    }
  });

  it('refuses broken multipart, with or without Next-Action, and a body over the limit with 413', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const broken = 'this is not multipart';
    const multipart = { 'content-type': 'multipart/form-data; boundary=b' };

    expect((await proxy(post(broken, { ...ACTION, ...multipart }))).status).toBe(400);
    expect((await proxy(post(broken, multipart))).status).toBe(400);
    expect((await proxy(post(`["${'x'.repeat(1024 * 1024)}"]`))).status).toBe(413);
  });

  it('lets a well-formed action, a plain POST and a GET through to Next.js', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});

    const passed = [
      await proxy(post(JSON.stringify([{ email: 'a@example.com', password: 'a password' }, '/']))),
      await proxy(post('not an action', { 'content-type': 'application/json' })),
      await proxy(new NextRequest('http://127.0.0.1:3100/history')),
    ];
    for (const response of passed) {
      expect(response.headers.get('x-middleware-next')).toBe('1');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    expect(warn).not.toHaveBeenCalled();
  });
});
