// The emulator's saved accounts (persistence.ts): what a restart from the same directory keeps, what a SIGKILL
// right after an answered change keeps, and what a damaged or unreadable state does at the next start. Calls go
// through the app's own SAG client over HTTP on 127.0.0.1, as the app makes them.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSagClient, type SagClient } from '@/lib/sag/client';
import { staticCredentials } from '@/lib/sag/credentials';
import { processRuns } from '../fs/process-lock';
import { COMPACT_AFTER_CHANGES, EmulatorStateError, JOURNAL_FILE, STATE_FILE } from './persistence';
import { SEED_INSTANCES, SEED_USERS } from './seed';
import { DEMO_ACCESS_KEY, type Emulator, type EmulatorLogger, startEmulator } from './server';

const S = SEED_INSTANCES;
const U = SEED_USERS;
const root = process.cwd();
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
/** tsx compiles the child and the emulator starts in it, on a loaded CI machine too. */
const CHILD_TEST_TIMEOUT_MS = 90_000;
/** Roams answered before the kill; more are in flight when it lands. */
const ANSWERED_BEFORE_KILL = 40;
const IN_FLIGHT = 6;

let directory: string;
let stateCount = 0;

beforeAll(async () => {
  directory = path.join(os.tmpdir(), `sag-roam-emulator-state-${process.pid}-${Date.now()}`);
  await mkdir(directory, { recursive: true });
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function newStateDir(): string {
  stateCount += 1;
  return path.join(directory, `state-${stateCount}`);
}

function clientOf(url: string): SagClient {
  return createSagClient({
    credentials: staticCredentials(DEMO_ACCESS_KEY),
    signatureVersion: 'v3',
    endpoint: url,
    timeoutMs: 5_000,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
}

/** A logger that keeps its lines, for the test to read what an admin would. */
function recordingLogger(): EmulatorLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (message) => lines.push(message), warn: (message) => lines.push(message) };
}

async function withEmulator<T>(
  stateDir: string,
  run: (emulator: Emulator, client: SagClient) => Promise<T>,
  logger = recordingLogger(),
): Promise<T> {
  const emulator = await startEmulator({ stateDir, stateLogger: logger });
  const client = clientOf(emulator.url);
  try {
    return await run(emulator, client);
  } finally {
    client.close();
    await emulator.close();
  }
}

const roamToHangzhou = (client: SagClient, userName: string) =>
  client.roamClientUser({
    regionId: 'cn-hangzhou',
    originRegionId: 'cn-shanghai',
    originSmartAGId: S.shanghaiHq,
    targetSmartAGId: S.hangzhouRnd,
    userName,
  });

const names = (emulator: Emulator, smartAgId: string) =>
  emulator.state.accounts(smartAgId).map((account) => account.userName);

describe('the emulator with a state directory', () => {
  it('keeps roamed, deleted and used-this-month accounts across a restart; the request log starts empty', async () => {
    const stateDir = newStateDir();
    const before = await withEmulator(stateDir, async (emulator, client) => {
      await roamToHangzhou(client, U.ready);
      await client.deleteSmartAccessGatewayClientUser({
        regionId: 'cn-hangzhou',
        smartAGId: S.hangzhouRnd,
        userName: U.clashPlain,
      });
      expect(emulator.state.markUsedThisMonth(S.hangzhouRnd, U.ready)).toBe(true);
      return emulator.state.accounts(S.hangzhouRnd);
    });

    await withEmulator(stateDir, async (emulator, client) => {
      expect(emulator.stateDir).toBe(stateDir);
      expect(emulator.state.accounts(S.hangzhouRnd)).toEqual(before);
      expect(emulator.state.accounts(S.hangzhouRnd)).toContainEqual(
        expect.objectContaining({ userName: U.ready, roamedFrom: S.shanghaiHq, usedThisMonth: true }),
      );
      expect(names(emulator, S.hangzhouRnd)).not.toContain(U.clashPlain);
      // What the API answers after the restart, not only the state: present, deleted, and in use this month.
      const listed = await client.describeSmartAccessGatewayClientUsers({
        regionId: 'cn-hangzhou',
        smartAGId: S.hangzhouRnd,
        userName: U.ready,
      });
      expect(listed.users.map((user) => user.userName)).toEqual([U.ready]);
      await expect(roamToHangzhou(client, U.ready)).rejects.toMatchObject({ code: 'ClientUser.UserExist' });
      await expect(
        client.deleteSmartAccessGatewayClientUser({
          regionId: 'cn-hangzhou',
          smartAGId: S.hangzhouRnd,
          userName: U.ready,
        }),
      ).rejects.toMatchObject({ code: 'ClientUser.UserInUsing' });
      // The origin keeps its account, and the log and counters of the last run are gone: they stay in memory.
      expect(names(emulator, S.shanghaiHq)).toContain(U.ready);
      expect(emulator.state.requestLog().map((entry) => entry.action)).toEqual([
        'DescribeSmartAccessGatewayClientUsers',
        'RoamClientUser',
        'DeleteSmartAccessGatewayClientUser',
      ]);
    });
  });

  it('keeps a reset too: the next start has the seed', async () => {
    const stateDir = newStateDir();
    const seed = await withEmulator(stateDir, async (emulator, client) => {
      const accounts = emulator.state.accounts(S.hangzhouRnd);
      await roamToHangzhou(client, U.ready);
      emulator.state.reset();
      return accounts;
    });
    await withEmulator(stateDir, async (emulator) => {
      expect(emulator.state.accounts(S.hangzhouRnd)).toEqual(seed);
    });
  });

  it('without a state directory keeps nothing: every start has the seed', async () => {
    const first = await startEmulator();
    const client = clientOf(first.url);
    await roamToHangzhou(client, U.ready);
    client.close();
    await first.close();
    const second = await startEmulator();
    expect(second.stateDir).toBeUndefined();
    expect(names(second, S.hangzhouRnd)).not.toContain(U.ready);
    await second.close();
  });

  it('folds the journal into the snapshot at the next start, and after many changes while it runs', async () => {
    const stateDir = newStateDir();
    const journal = path.join(stateDir, JOURNAL_FILE);
    await withEmulator(stateDir, async (_emulator, client) => {
      await roamToHangzhou(client, U.ready);
      expect((await readFile(journal, 'utf8')).trim().split('\n')).toHaveLength(1);
    });
    await withEmulator(stateDir, async (emulator) => {
      expect(await readFile(journal, 'utf8')).toBe('');
      expect(JSON.parse(await readFile(path.join(stateDir, STATE_FILE), 'utf8'))).toMatchObject({
        version: 1,
        seq: 1,
      });
      // Every account of the origin marked, round and round: more changes than a journal keeps.
      const accounts = emulator.state.accounts(S.shanghaiHq);
      for (let change = 0; change < COMPACT_AFTER_CHANGES + 10; change += 1) {
        const account = accounts[change % accounts.length];
        expect(emulator.state.markUsedThisMonth(S.shanghaiHq, account?.userName ?? '')).toBe(true);
      }
    });
    const lines = (await readFile(journal, 'utf8')).split('\n').filter(Boolean);
    expect(lines.length).toBeLessThan(COMPACT_AFTER_CHANGES);
    await withEmulator(stateDir, async (emulator) => {
      expect(emulator.state.accounts(S.shanghaiHq).every((account) => account.usedThisMonth)).toBe(true);
      expect(names(emulator, S.hangzhouRnd)).toContain(U.ready);
    });
  });

  it('drops a last journal line cut off by a crash (never answered), keeps the rest and says so', async () => {
    const stateDir = newStateDir();
    await withEmulator(stateDir, async (_emulator, client) => {
      await roamToHangzhou(client, U.ready);
    });
    const journal = path.join(stateDir, JOURNAL_FILE);
    // A restart folded nothing yet: the journal holds the roam; a second write was cut off half-way.
    const roam = await readFile(journal, 'utf8');
    await writeFile(journal, `${roam}{"seq":2,"op":"delete","smartAgId":"${S.hangzhouRnd}","userNa`);

    const logger = recordingLogger();
    await withEmulator(
      stateDir,
      async (emulator) => {
        expect(names(emulator, S.hangzhouRnd)).toContain(U.ready);
      },
      logger,
    );
    expect(logger.lines.join('\n')).toMatch(/cut off by a crash; it was never answered and is dropped/);
    expect(await readFile(journal, 'utf8')).toBe('');
  });

  it.each([
    ['a state file that is not JSON', STATE_FILE, '{"version":1,"seq":3,"instan'],
    ['a state file of another version', STATE_FILE, '{"version":7,"seq":0,"instances":{}}'],
    [
      'an account of the wrong shape',
      STATE_FILE,
      `{"version":1,"seq":0,"instances":{"${S.hangzhouRnd}":[{"userName":42}]}}`,
    ],
    ['a journal line in the middle that is not a change', JOURNAL_FILE, 'garbage\n{"seq":2,"op":"reset"}\n'],
    ['journal lines out of order', JOURNAL_FILE, '{"seq":2,"op":"reset"}\n{"seq":1,"op":"reset"}\n'],
  ])('sets %s aside with a clear log line and starts from the seed', async (_case, file, content) => {
    const stateDir = newStateDir();
    const seed = await withEmulator(stateDir, async (emulator, client) => {
      const accounts = emulator.state.accounts(S.hangzhouRnd);
      await roamToHangzhou(client, U.ready);
      return accounts;
    });
    await writeFile(path.join(stateDir, file), content);

    const logger = recordingLogger();
    await withEmulator(
      stateDir,
      async (emulator, client) => {
        expect(emulator.state.accounts(S.hangzhouRnd)).toEqual(seed);
        // It saves again from there.
        await roamToHangzhou(client, U.readyPlain);
      },
      logger,
    );
    const warning = logger.lines.find((line) => line.includes('cannot be read'));
    expect(warning).toMatch(/it was moved to .*corrupt-.* and the emulator starts from its seed/);
    expect(warning).toMatch(/delete its DATA_DIR/);
    const aside = (await readdir(stateDir)).filter((name) => name.startsWith('corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(stateDir, aside[0] ?? '', file), 'utf8')).toBe(content);

    await withEmulator(stateDir, async (emulator) => {
      expect(names(emulator, S.hangzhouRnd)).toContain(U.readyPlain);
      expect(names(emulator, S.hangzhouRnd)).not.toContain(U.ready);
    });
  });

  it('refuses to start, naming the file, when the state cannot be read at all (and moves nothing)', async () => {
    const stateDir = newStateDir();
    // A directory where the state file should be: reading it fails whoever runs the test (root included).
    await mkdir(path.join(stateDir, STATE_FILE), { recursive: true });
    const started = startEmulator({ stateDir, stateLogger: recordingLogger() });
    await expect(started).rejects.toBeInstanceOf(EmulatorStateError);
    await expect(started).rejects.toThrow(
      `The SAG emulator cannot read its saved state ${path.join(stateDir, STATE_FILE)}: EISDIR`,
    );
    expect((await readdir(stateDir)).filter((name) => name.startsWith('corrupt-'))).toEqual([]);
    // The refused start left no lock behind.
    await rm(path.join(stateDir, STATE_FILE), { recursive: true });
    await withEmulator(stateDir, async () => {});
  });

  it('lets one emulator at a time use a state directory', async () => {
    const stateDir = newStateDir();
    await withEmulator(stateDir, async () => {
      await expect(startEmulator({ stateDir, stateLogger: recordingLogger() })).rejects.toThrow(
        `The SAG emulator's state in ${stateDir} is in use by process ${process.pid} (this process)`,
      );
    });
    await withEmulator(stateDir, async (emulator) => {
      expect(emulator.stateDir).toBe(stateDir);
    });
  });
});

describe('the emulator with a state directory after SIGKILL', () => {
  let childScript: string;

  beforeAll(async () => {
    // The emulator alone in a process of its own, saying its address once it listens. It never stops by itself.
    childScript = path.join(directory, 'emulator-child.mts');
    await writeFile(
      childScript,
      `import { startEmulator } from ${JSON.stringify(path.join(root, 'lib', 'emulator', 'server.ts'))};
const emulator = await startEmulator({ stateDir: process.argv[2], stateLogger: { info() {}, warn: (m) => console.error(m) } });
process.stdout.write(\`listening \${process.pid} \${emulator.url}\\n\`);
`,
    );
  });

  function startChild(stateDir: string): {
    child: ChildProcess;
    listening: Promise<{ pid: number; url: string }>;
    exited: Promise<void>;
  } {
    // A process group of its own, so that the test can kill the emulator with the tsx process that runs it.
    const child = spawn(tsx, [childScript, stateDir], {
      cwd: root,
      detached: true,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const listening = new Promise<{ pid: number; url: string }>((resolve, reject) => {
      let buffered = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const match = /^listening (\d+) (\S+)$/m.exec(buffered);
        if (match) resolve({ pid: Number(match[1]), url: match[2] ?? '' });
      });
      void exited.then(() => reject(new Error(`the emulator did not start: ${stderr}`)));
    });
    return { child, listening, exited };
  }

  it('keeps every change it answered when killed in the middle of changes', {
    timeout: CHILD_TEST_TIMEOUT_MS,
  }, async () => {
    const stateDir = newStateDir();
    const emulator = startChild(stateDir);
    const { pid, url } = await emulator.listening;
    const client = clientOf(url);
    const usernames = Array.from(
      { length: 150 },
      (_, index) => `sh.emp${String(index + 1).padStart(3, '0')}@corp.example.com`,
    );
    const answered: string[] = [];
    let next = 0;
    let killed = false;
    // Several roams in flight at all times, as the app's worker sends them; the kill lands right after the
    // ANSWERED_BEFORE_KILL-th answer, with the others still on their way.
    const sender = async () => {
      while (!killed && next < usernames.length) {
        const userName = usernames[next] ?? '';
        next += 1;
        try {
          await roamToHangzhou(client, userName);
        } catch {
          continue; // cut by the kill: unanswered
        }
        if (killed) continue;
        answered.push(userName);
        if (answered.length === ANSWERED_BEFORE_KILL) {
          killed = true;
          process.kill(-(emulator.child.pid ?? 0), 'SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
    await emulator.exited;
    while (processRuns(pid)) await new Promise((resolve) => setTimeout(resolve, 10));
    client.close();
    expect(answered).toHaveLength(ANSWERED_BEFORE_KILL);
    expect(existsSync(path.join(stateDir, 'lock')), 'the killed emulator left its lock').toBe(true);

    // The next start takes the dead process's lock over and has every answered roam.
    await withEmulator(stateDir, async (restarted) => {
      const onTarget = new Set(names(restarted, S.hangzhouRnd));
      expect(answered.filter((userName) => !onTarget.has(userName))).toEqual([]);
      // Nothing appears that was never sent.
      const roamed = restarted.state.accounts(S.hangzhouRnd).filter((account) => account.roamedFrom);
      expect(roamed.length).toBeGreaterThanOrEqual(ANSWERED_BEFORE_KILL);
      expect(roamed.length).toBeLessThanOrEqual(next);
    });
  });
});
