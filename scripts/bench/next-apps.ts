// Building and serving Next.js apps for the page-weight, start-up and Lighthouse figures.
//
// Both apps are built in temporary directories, never in the repository's own .next (a demo or a test run
// may be using it): a copy of the app's sources, and a scaffolded empty app (the framework's floor). Both use
// the repository's node_modules through a symlink, so the same Next.js and React build them. Turbopack only
// reads files under its root, so each build's root is widened to the common ancestor of the temporary
// directory and the repository.
import type { ChildProcess } from 'node:child_process';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { errorMessage, spawnTracked, stopChild, tempDir, withTimeout } from './cleanup';
import { processMemory } from './page-weight';

const BUILD_TIMEOUT_MS = 15 * 60_000;
const START_TIMEOUT_MS = 120_000;

/** Top-level entries of the repository that are not sources of the app. */
const NOT_COPIED = new Set([
  'node_modules',
  '.next',
  '.git',
  'data',
  'test-results',
  'bench-results',
  'coverage',
  'playwright-report',
  'tsconfig.tsbuildinfo',
  'next.config.js',
]);

function commonAncestor(a: string, b: string): string {
  const left = path.resolve(a).split(path.sep);
  const right = path.resolve(b).split(path.sep);
  const shared: string[] = [];
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    if (left[index] !== right[index]) break;
    shared.push(left[index] ?? '');
  }
  return shared.join(path.sep) || path.sep;
}

function nextBin(root: string): string {
  return path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
}

/** A copy of the app's sources with the app's own next.config.js, only Turbopack's root widened. */
export async function copyApp(root: string): Promise<string> {
  const directory = tempDir('app');
  await cp(root, directory, {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(root, source);
      if (relative === '') return true;
      const [top = ''] = relative.split(path.sep);
      return !NOT_COPIED.has(top) && !top.startsWith('.env');
    },
  });
  await symlink(path.join(root, 'node_modules'), path.join(directory, 'node_modules'), 'dir');
  await writeFile(
    path.join(directory, 'next.config.repo.js'),
    await readFile(path.join(root, 'next.config.js'), 'utf8'),
  );
  const turbopackRoot = commonAncestor(directory, root);
  await writeFile(
    path.join(directory, 'next.config.js'),
    [
      "// Written by scripts/bench: the app's next.config.js, with Turbopack's root widened to reach the",
      '// symlinked node_modules of the repository.',
      "const config = require('./next.config.repo.js');",
      'module.exports = {',
      '  ...config,',
      `  turbopack: { ...config.turbopack, root: ${JSON.stringify(turbopackRoot)} },`,
      `  outputFileTracingRoot: ${JSON.stringify(turbopackRoot)},`,
      '};',
      '',
    ].join('\n'),
  );
  return directory;
}

/** The framework's floor: an empty App Router page with one tiny client component, nothing else. */
export async function scaffoldFloorApp(root: string): Promise<string> {
  const directory = tempDir('floor');
  await mkdir(path.join(directory, 'app'));
  await symlink(path.join(root, 'node_modules'), path.join(directory, 'node_modules'), 'dir');
  const turbopackRoot = commonAncestor(directory, root);
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify({ name: 'sag-roam-bench-floor', private: true }, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['dom', 'dom.iterable', 'esnext'],
          allowJs: true,
          skipLibCheck: true,
          strict: true,
          noEmit: true,
          esModuleInterop: true,
          module: 'esnext',
          moduleResolution: 'bundler',
          resolveJsonModule: true,
          isolatedModules: true,
          jsx: 'react-jsx',
        },
        include: ['**/*.ts', '**/*.tsx'],
        exclude: ['node_modules'],
      },
      null,
      2,
    )}\n`,
    // Same build-time settings as the app where they could matter; nothing that adds client code.
    'next.config.js': [
      'module.exports = {',
      '  reactStrictMode: true,',
      '  poweredByHeader: false,',
      '  typescript: { ignoreBuildErrors: true },',
      `  turbopack: { root: ${JSON.stringify(turbopackRoot)} },`,
      `  outputFileTracingRoot: ${JSON.stringify(turbopackRoot)},`,
      '};',
      '',
    ].join('\n'),
    'app/layout.tsx': [
      'export default function RootLayout({ children }: { children: React.ReactNode }) {',
      '  return (',
      '    <html lang="en">',
      '      <body>{children}</body>',
      '    </html>',
      '  );',
      '}',
      '',
    ].join('\n'),
    'app/counter.tsx': [
      "'use client';",
      "import { useState } from 'react';",
      '',
      'export function Counter() {',
      '  const [count, setCount] = useState(0);',
      '  return (',
      '    <button type="button" onClick={() => setCount(count + 1)}>',
      '      {count}',
      '    </button>',
      '  );',
      '}',
      '',
    ].join('\n'),
    'app/page.tsx': [
      "import { Counter } from './counter';",
      '',
      'export default function Page() {',
      '  return (',
      '    <main>',
      '      <Counter />',
      '    </main>',
      '  );',
      '}',
      '',
    ].join('\n'),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(directory, name), content);
  return directory;
}

/** Keeps the last `limit` characters a child wrote, for error messages. */
function tail(child: ChildProcess, limit = 8_000): () => string {
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-limit);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env)) {
    // Nothing of this shell's sag-roam or Alibaba Cloud settings may leak into the measured servers.
    if (/^(SAG_|ROAM_|ADMIN_|ALIBABA_CLOUD_|DATABASE_URL$|DATA_DIR$|PORT$|NODE_OPTIONS$)/.test(name))
      continue;
    env[name] = value;
  }
  return {
    ...env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ...extra,
  };
}

/** `next build` in `directory`; resolves with its duration. */
export async function buildNextApp(root: string, directory: string): Promise<number> {
  const started = performance.now();
  const child = spawnTracked(process.execPath, [nextBin(root), 'build'], {
    cwd: directory,
    env: cleanEnv({}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tail(child);
  const exit = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  let code: number | null;
  try {
    code = await withTimeout(exit, BUILD_TIMEOUT_MS, `next build in ${directory}`);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${output()}`);
  return performance.now() - started;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  pid: number;
  /** From spawning `next start` to the first 200 of `readyPath`. */
  startMs: number;
  /**
   * The highest memory of the server's process tree seen while it started (sampled at each poll, every
   * 20 ms or so): RSS summed over the processes, and PSS summed.
   */
  startPeak: { rssBytes: number; pssBytes: number };
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Spawns `next start` on 127.0.0.1 and measures the time from the spawn to the first 200 answer of
 * `readyPath` (polled every 20 ms).
 */
export async function startNextServer(
  root: string,
  directory: string,
  env: Record<string, string>,
  readyPath: string,
): Promise<RunningServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawnTracked(
    process.execPath,
    [nextBin(root), 'start', '--hostname', '127.0.0.1', '--port', String(port)],
    { cwd: directory, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = tail(child, 32_000);
  const stop = () => stopChild(child);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = started + START_TIMEOUT_MS;
  const startPeak = { rssBytes: 0, pssBytes: 0 };
  const sample = async () => {
    if (child.pid === undefined) return;
    const memory = await processMemory(child.pid).catch(() => undefined);
    startPeak.rssBytes = Math.max(startPeak.rssBytes, memory?.rssBytes ?? 0);
    startPeak.pssBytes = Math.max(startPeak.pssBytes, memory?.pssBytes ?? 0);
  };
  try {
    for (;;) {
      if (exited) throw new Error(`next start exited before serving ${readyPath}:\n${output()}`);
      await sample();
      if (performance.now() > deadline) {
        throw new Error(`next start did not serve ${readyPath} within ${START_TIMEOUT_MS / 1000} s`);
      }
      try {
        const response = await fetch(`${baseUrl}${readyPath}`, {
          redirect: 'manual',
          signal: AbortSignal.timeout(5_000),
        });
        await response.arrayBuffer();
        if (response.status === 200) break;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } catch (error) {
    await stop();
    throw new Error(errorMessage(error));
  }
  if (child.pid === undefined) throw new Error('next start has no process id');
  const startMs = performance.now() - started;
  await sample();
  return { baseUrl, pid: child.pid, startMs, startPeak, output, stop };
}
