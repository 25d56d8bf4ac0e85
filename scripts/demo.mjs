#!/usr/bin/env node
// `npm run demo`: builds the app when the build is missing or older than the sources, then starts it on
// 127.0.0.1 in emulator mode (no Alibaba Cloud calls, whatever credentials this machine has), and prints the URL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// Run Next.js's own entry with this Node, so that a signal reaches the server itself (not an npx wrapper).
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const port = process.env.PORT ?? '3000';
const buildId = path.join(root, '.next', 'BUILD_ID');

function newestChange(entry) {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const name of readdirSync(entry)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestChange(path.join(entry, name)));
  }
  return newest;
}

function buildIsCurrent() {
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  const sources = [
    'app',
    'components',
    'lib',
    'public',
    'instrumentation.ts',
    'next.config.js',
    'package-lock.json',
  ]
    .map((name) => path.join(root, name))
    .filter((entry) => existsSync(entry));
  return sources.every((entry) => newestChange(entry) <= built);
}

const env = {
  ...process.env,
  SAG_MODE: 'emulator',
  ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
  NEXT_TELEMETRY_DISABLED: '1',
  NODE_ENV: 'production',
};

if (!buildIsCurrent()) {
  console.log('sag-roam demo: building the app (about 30 s the first time) ...');
  const build = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit', env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, [nextBin, 'start', '--hostname', '127.0.0.1', '--port', port], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let announced = false;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready in/.test(String(chunk))) {
    announced = true;
    console.log(`\nsag-roam demo is running on the built-in SAG emulator: http://127.0.0.1:${port}\n`);
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
