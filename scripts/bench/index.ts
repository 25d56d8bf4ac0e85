// `npm run bench [-- --n 300] [-- --only throughput,overhead,plan,job-page,fleet,embedded-db,pages,lighthouse]`
// Measures what the README promises about speed and weight, prints a table, and writes it to
// bench-results/latest.json and bench-results/latest.md. Not part of `npm test`: it takes minutes and its
// figures depend on the machine. Runs under `tsx --conditions=react-server`, which lets the app's
// `server-only` modules (the worker, the SAG client, the database) load outside Next.js.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cleanupAll, errorMessage, installCleanupHandlers } from './cleanup';
import { type BenchRow, Rows, textTable, writeResults } from './report';

const SECTIONS = [
  'throughput',
  'overhead',
  'plan',
  'job-page',
  'fleet',
  'embedded-db',
  'pages',
  'lighthouse',
] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = `Usage: npm run bench [-- --n <usernames>] [-- --only <sections>]

  --n <usernames>     usernames in the throughput job and the job run through the app (default 300, 1 to 2000)
  --only <sections>   comma-separated, any of: ${SECTIONS.join(', ')} (default: all)

Writes bench-results/latest.json and bench-results/latest.md.`;

function isSection(value: string): value is Section {
  return (SECTIONS as readonly string[]).includes(value);
}

function parseOptions(argv: string[]): { n: number; only: Set<Section> } {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '300' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const n = Number(values.n);
  if (!Number.isInteger(n) || n < 1 || n > 2_000)
    throw new Error('--n must be a whole number from 1 to 2000');
  const requested = values.only
    ? values.only
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
    : [...SECTIONS];
  const unknown = requested.filter((part) => !isSection(part));
  if (unknown.length > 0) throw new Error(`--only: unknown section ${unknown.join(', ')}`);
  return { n, only: new Set(requested.filter(isSection)) };
}

function projectRoot(): string {
  const root = process.cwd();
  try {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: string };
    if (manifest.name === 'sag-roam') return root;
  } catch {
    // Reported below.
  }
  throw new Error('run the bench from the sag-roam directory (npm run bench)');
}

async function main(): Promise<number> {
  let options: { n: number; only: Set<Section> };
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${errorMessage(error)}\n\n${USAGE}`);
    return 2;
  }
  const root = projectRoot();
  try {
    // Resolves to an empty module only under the react-server condition; otherwise it throws.
    await import('server-only');
  } catch {
    console.error(
      "bench: the app's server-only modules need `tsx --conditions=react-server`; run it with `npm run bench`.",
    );
    return 2;
  }
  // The credential chain must never probe the ECS metadata address from a bench.
  process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  installCleanupHandlers();

  const startedAt = new Date();
  const load = os.loadavg();
  const rows: BenchRow[] = [];
  const { n, only } = options;

  async function section(name: Section, run: () => Promise<BenchRow[]>): Promise<void> {
    if (!only.has(name)) return;
    const started = performance.now();
    try {
      rows.push(...(await run()));
    } catch (error) {
      console.error(`bench: ${name} failed:`, error);
      const failed = new Rows(name);
      failed.error('section failed', errorMessage(error));
      rows.push(...failed.rows);
    }
    console.log(`bench: ${name} took ${Math.round((performance.now() - started) / 1000)} s`);
  }

  try {
    await section('throughput', async () => (await import('./throughput')).benchThroughput(n));
    await section('overhead', async () => (await import('./overhead')).benchOverhead());
    await section('plan', async () => (await import('./plan')).benchPlan());
    await section('job-page', async () => (await import('./job-page')).benchJobPage({ root }));
    await section('fleet', async () => (await import('./fleet')).benchFleet({ root }));
    await section('embedded-db', async () => (await import('./embedded-db')).benchEmbeddedDb({ root }));
    if (only.has('pages') || only.has('lighthouse')) {
      // One build and one server for both: the pages section runs the job whose history Lighthouse sees.
      const started = performance.now();
      try {
        const { benchWeb } = await import('./web');
        rows.push(
          ...(await benchWeb({ root, n, pages: only.has('pages'), lighthouse: only.has('lighthouse') })),
        );
      } catch (error) {
        console.error('bench: pages / lighthouse failed:', error);
        for (const name of ['pages', 'lighthouse'] as const) {
          if (!only.has(name)) continue;
          const failed = new Rows(name);
          failed.error('section failed', errorMessage(error));
          rows.push(...failed.rows);
        }
      }
      console.log(`bench: pages and lighthouse took ${Math.round((performance.now() - started) / 1000)} s`);
    }
  } finally {
    await cleanupAll();
  }

  const machine = {
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    memoryGb: Math.round(os.totalmem() / 1e9),
    loadAverageAtStart: load.map((value) => Math.round(value * 100) / 100),
  };
  const finishedAt = new Date();
  const preamble = [
    `sag-roam bench, ${finishedAt.toISOString()} (${Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000)} s)`,
    `Node ${machine.node}, ${machine.cpus}, ${machine.memoryGb} GB, load average at start ${machine.loadAverageAtStart.join(' ')}`,
    `Options: --n ${n} --only ${[...only].join(',')}. kB = 1000 bytes.`,
  ].join('  \n');
  console.log(`\n${preamble.replace(/ {2}\n/g, '\n')}\n\n${textTable(rows)}\n`);
  const written = await writeResults(
    path.join(root, 'bench-results'),
    {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      options: { n, only: [...only] },
      machine,
      rows,
    },
    preamble,
  );
  console.log(
    `bench: wrote ${path.relative(root, written.json)} and ${path.relative(root, written.markdown)}`,
  );
  const counts = (verdict: BenchRow['verdict']) => rows.filter((row) => row.verdict === verdict).length;
  console.log(
    `bench: ${counts('pass')} passed, ${counts('fail')} missed their target, ${counts('not run')} not run, ${counts('error')} errors`,
  );
  return counts('error') > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error('bench: failed:', error);
    await cleanupAll();
    process.exit(1);
  },
);
