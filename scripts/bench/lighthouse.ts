// Lighthouse 12 (the repository's devDependency, which runs on Node 20) through its CLI, in Debian's
// Chromium, desktop preset, performance and accessibility only. The session cookie goes in as an extra
// header from a file (not on the command line, where other users of the machine could read it).
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawnTracked, stopChild, withTimeout } from './cleanup';

const RUN_TIMEOUT_MS = 240_000;
export const CHROME_FLAGS = '--headless=new --no-sandbox --disable-gpu --disable-background-networking';

export function chromePath(): string | undefined {
  const candidate = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : undefined;
}

export interface LighthouseResult {
  performance: number | null;
  accessibility: number | null;
  metrics: Record<string, number | undefined>;
  /** Accessibility audits that did not pass, with their titles. */
  accessibilityFailures: string[];
  /** Performance audits with the lowest scores (opportunities and diagnostics). */
  performanceHints: string[];
  warnings: string[];
  reportPath: string;
}

interface Audit {
  id: string;
  title: string;
  score: number | null;
  scoreDisplayMode?: string;
  numericValue?: number;
  displayValue?: string;
}

interface Lhr {
  categories: Record<
    string,
    { score: number | null; auditRefs: { id: string; weight: number }[] } | undefined
  >;
  audits: Record<string, Audit | undefined>;
  runWarnings?: string[];
  runtimeError?: { code: string; message: string };
}

export async function runLighthouse(options: {
  root: string;
  url: string;
  cookie: string;
  workDir: string;
  reportPath: string;
}): Promise<LighthouseResult> {
  const chrome = chromePath();
  if (!chrome) throw new Error('no Chromium at /usr/bin/chromium (set CHROME_PATH)');
  // A report left by an earlier run must never pass for this one's.
  await rm(options.reportPath, { force: true });
  const headersFile = path.join(options.workDir, 'lighthouse-headers.json');
  await writeFile(headersFile, JSON.stringify({ Cookie: options.cookie }), { mode: 0o600 });
  const child = spawnTracked(
    process.execPath,
    [
      path.join(options.root, 'node_modules', 'lighthouse', 'cli', 'index.js'),
      options.url,
      '--preset=desktop',
      '--only-categories=performance,accessibility',
      '--output=json',
      `--output-path=${options.reportPath}`,
      `--chrome-flags=${CHROME_FLAGS}`,
      `--extra-headers=${headersFile}`,
      '--max-wait-for-load=60000',
      '--quiet',
    ],
    {
      cwd: options.workDir,
      env: { ...process.env, CHROME_PATH: chrome },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  let code: number | null;
  try {
    code = await withTimeout(exit, RUN_TIMEOUT_MS, `lighthouse ${options.url}`);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  if (code !== 0 || !existsSync(options.reportPath)) {
    throw new Error(`lighthouse exited with ${code}: ${output.trim().split('\n').slice(-5).join(' / ')}`);
  }
  // The report repeats the extra headers in its settings: the session cookie must not be kept in a file.
  const text = (await readFile(options.reportPath, 'utf8'))
    .split(options.cookie)
    .join('(session cookie removed)');
  await writeFile(options.reportPath, text);
  const lhr = JSON.parse(text) as Lhr;
  if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const score = (category: string) => {
    const value = lhr.categories[category]?.score;
    return typeof value === 'number' ? Math.round(value * 100) : null;
  };
  const auditsOf = (category: string) =>
    (lhr.categories[category]?.auditRefs ?? [])
      .map((ref) => ({ ref, audit: lhr.audits[ref.id] }))
      .filter((entry): entry is { ref: { id: string; weight: number }; audit: Audit } =>
        Boolean(entry.audit),
      );
  const accessibilityFailures = auditsOf('accessibility')
    .filter(({ audit }) => audit.scoreDisplayMode === 'binary' && audit.score === 0)
    .map(({ audit }) => `${audit.id} (${audit.title})`);
  const performanceHints = auditsOf('performance')
    .filter(({ ref, audit }) => ref.weight > 0 && typeof audit.score === 'number' && audit.score < 0.9)
    .map(
      ({ audit }) =>
        `${audit.id} ${audit.displayValue ?? ''} (score ${Math.round((audit.score ?? 0) * 100)})`,
    );
  const metric = (id: string) => lhr.audits[id]?.numericValue;
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    metrics: {
      fcpMs: metric('first-contentful-paint'),
      lcpMs: metric('largest-contentful-paint'),
      tbtMs: metric('total-blocking-time'),
      cls: metric('cumulative-layout-shift'),
      speedIndexMs: metric('speed-index'),
    },
    accessibilityFailures,
    performanceHints,
    warnings: lhr.runWarnings ?? [],
    reportPath: options.reportPath,
  };
}
