// "Another tool on the same account": signed calls straight to the app's built-in emulator, as an admin's
// aliyun CLI or the console would make them, with the AccessKey the app itself signs with. The emulator's
// address is read from the app's start-up line in the server log (the built-in emulator takes a free port).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FAKE_ACCESS_KEY_ID, FAKE_SECRET } from './accounts';
import { allowServerOnlyModules } from './processes';

const localRequire = createRequire(__filename);

export function builtInEmulatorUrl(): string {
  const runDir = process.env.E2E_RUN_DIR;
  if (!runDir) throw new Error('E2E_RUN_DIR is not set: run through playwright.config.ts');
  const log = readFileSync(path.join(runDir, 'server.log'), 'utf8');
  const found = /Built-in SAG emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
  if (!found?.[1]) throw new Error('The server log names no built-in emulator address');
  return found[1];
}

/** The repository's own SAG client (lib/sag), pointed at the built-in emulator. */
export function otherTool() {
  allowServerOnlyModules();
  const { createSagClient } = localRequire('@/lib/sag/client') as typeof import('@/lib/sag/client');
  const { staticCredentials } = localRequire(
    '@/lib/sag/credentials',
  ) as typeof import('@/lib/sag/credentials');
  return createSagClient({
    credentials: staticCredentials({ accessKeyId: FAKE_ACCESS_KEY_ID, accessKeySecret: FAKE_SECRET }),
    signatureVersion: 'v3',
    endpoint: builtInEmulatorUrl(),
    timeoutMs: 5_000,
    retry: { maxAttempts: 1, baseDelayMs: 100, maxDelayMs: 100 },
  });
}
