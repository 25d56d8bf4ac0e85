import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it, vi } from 'vitest';
const request = vi.hoisted(() => ({ token: undefined as string | undefined }));
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: (name: string) => (request.token !== undefined && name === 'sag-roam-session' ? { name, value: request.token } : undefined), set: () => {}, delete: () => {} }),
  headers: async () => new Headers({ 'x-forwarded-proto': 'http', 'x-forwarded-for': '127.0.0.1' }),
}));
import { hashPassword } from '@/lib/auth/passwords';
import { startSession } from '@/lib/auth/sessions';
import { createUser } from '@/lib/db/users-repository';
import { getRuntime } from '@/lib/runtime';
import * as jobsExport from './api/jobs/export/route';
import * as job from './api/jobs/[id]/route';
import * as users from './api/regions/[regionId]/instances/[instanceId]/users/route';
import * as instances from './api/regions/[regionId]/instances/route';
it('nul', async () => {
  process.env.SAG_MODE = 'emulator';
  process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'nul-'));
  const runtime = await getRuntime();
  const u = await createUser(runtime.db, { email: 'a@example.com', passwordHash: await hashPassword('x-long-password-1'), role: 'admin', createdBy: 't' });
  request.token = (await startSession(runtime.db, { userId: u!.id })).token;
  for (const q of ['username=%00', 'username=a%00b', 'instanceId=sag-%00']) {
    const r = await jobsExport.GET(new Request(`http://app/api/jobs/export?${q}`), { params: Promise.resolve({}) });
    let body = '';
    try { body = await r.text(); } catch (e) { body = `STREAM ERROR ${e}`; }
    console.log(q, r.status, body.slice(0, 300));
  }
  const r2 = await job.GET(new Request('http://app/x'), { params: Promise.resolve({ id: '\u0000' }) });
  console.log('job', r2.status, (await r2.text()).slice(0, 200));
  for (const [regionId, instanceId] of [['zz-nowhere-1', 'sag-shhqisehm13vdzujo497'], ['cn-shanghai', 'sag-aaaaaaaaaaaa'], ['cn-shanghai', 'sag-hzrdu7a0kxemg6nf99vr']]) {
    const r3 = await users.GET(new Request(`http://app/x?search=a`), { params: Promise.resolve({ regionId, instanceId }) });
    console.log('users', regionId, instanceId, r3.status, (await r3.text()).slice(0, 300));
  }
  const r4 = await instances.GET(new Request(`http://app/x`), { params: Promise.resolve({ regionId: 'zz-nowhere-1' }) });
  console.log('instances', r4.status, (await r4.text()).slice(0, 300));
  const r5 = await users.GET(new Request(`http://app/x?search=%00`), { params: Promise.resolve({ regionId: 'cn-shanghai', instanceId: 'sag-shhqisehm13vdzujo497' }) });
  console.log('users search NUL', r5.status, (await r5.text()).slice(0, 300));
  await runtime.close();
}, 60000);
