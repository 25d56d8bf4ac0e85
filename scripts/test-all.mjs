#!/usr/bin/env node
// `npm test`: lint, type check, unit and integration tests (Vitest), browser tests (Playwright), in that order.
// Every stage runs even when an earlier one fails, so one run shows every problem; the last line is the
// total over all stages, `N passed, N failed`, and the exit code is non-zero when anything failed.
// With TEST_SUMMARY_FILE set, the same totals are also written there as JSON (.ci/run adds up its two runs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const reports = mkdtempSync(path.join(os.tmpdir(), 'sag-roam-test-'));
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const only = process.argv.slice(2);
const results = [];

// Every stage runs `npx`, whose `node` is the first one on PATH: say which one that is, and which ran this.
const pathNode = spawnSync('node', ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'none';
console.log(`npm test on Node.js ${process.version} (${process.execPath}); node on PATH: ${pathNode}`);
if (pathNode !== process.version) {
  console.log(`warning: the stages run on the PATH's node ${pathNode}, not on ${process.version}`);
}

function run(name, args, env = {}) {
  console.log(`\n=== ${name}: ${['npx', ...args].join(' ')}`);
  const started = Date.now();
  const child = spawnSync(npx, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { status: child.status ?? 1, seconds };
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const stages = {
  lint() {
    const { status, seconds } = run('lint', ['biome', 'check', '.']);
    results.push({
      name: 'lint',
      passed: status === 0 ? 1 : 0,
      failed: status === 0 ? 0 : 1,
      skipped: 0,
      seconds,
    });
  },
  types() {
    const { status, seconds } = run('types', ['tsc', '--noEmit']);
    results.push({
      name: 'types',
      passed: status === 0 ? 1 : 0,
      failed: status === 0 ? 0 : 1,
      skipped: 0,
      seconds,
    });
  },
  unit() {
    const file = path.join(reports, 'vitest.json');
    const { status, seconds } = run('unit and integration (vitest)', [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${file}`,
    ]);
    const report = readJson(file);
    const passed = report?.numPassedTests ?? 0;
    const skipped = (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0);
    // A crash before the report was written, or a failing file with no test in it, still counts as a failure.
    const failed = Math.max(report?.numFailedTests ?? 0, status === 0 ? 0 : 1);
    results.push({ name: 'vitest', passed, failed, skipped, seconds });
  },
  e2e() {
    const file = path.join(reports, 'playwright.json');
    const { status, seconds } = run('browser (playwright)', ['playwright', 'test'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: file,
    });
    const stats = readJson(file)?.stats;
    const passed = (stats?.expected ?? 0) + (stats?.flaky ?? 0);
    const failed = Math.max(stats?.unexpected ?? 0, status === 0 ? 0 : 1);
    results.push({ name: 'playwright', passed, failed, skipped: stats?.skipped ?? 0, seconds });
  },
};

for (const name of only.length > 0 ? only : Object.keys(stages)) {
  const stage = stages[name];
  if (!stage) {
    console.error(`unknown stage "${name}"; stages are: ${Object.keys(stages).join(', ')}`);
    process.exit(2);
  }
  stage();
}
rmSync(reports, { recursive: true, force: true });

console.log(`\n=== summary (Node.js ${process.version})`);
for (const result of results) {
  const skipped = result.skipped ? `, ${result.skipped} skipped` : '';
  console.log(
    `${result.name.padEnd(11)} ${result.passed} passed, ${result.failed} failed${skipped} (${result.seconds} s)`,
  );
}
const total = (key) => results.reduce((sum, result) => sum + result[key], 0);
const skippedTotal = total('skipped');
if (process.env.TEST_SUMMARY_FILE) {
  const summary = {
    node: process.version,
    passed: total('passed'),
    failed: total('failed'),
    skipped: skippedTotal,
  };
  writeFileSync(process.env.TEST_SUMMARY_FILE, `${JSON.stringify(summary)}\n`);
}
console.log(
  `${total('passed')} passed, ${total('failed')} failed${skippedTotal ? `, ${skippedTotal} skipped` : ''}`,
);
process.exit(total('failed') > 0 ? 1 : 0);
