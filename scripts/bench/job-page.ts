// The job page of a 2,000-username job (issue 12): bytes per poll while the job runs, the whole job (what the
// page polled before) against the changes since the last poll (what it polls now); then, once the job has
// finished, the time to render its page, the page's size, and how quickly the results table answers a search
// and a page change.
//
// A production build of the app on a fresh data directory, against the bench's emulator with a seed of its
// own: 1,850 plain accounts, 60 with a static IP outside the target's CIDR (ClientUser.InvalidClientIp), 40 too
// wide for the target (ClientUser.BandwidthInvalid), and 50 usernames on no instance (skipped by the plan), so
// the finished page has groups of failures as a real one would. While the job runs, the emulator answers in
// 400 ms and the app sends 8 at a time: about 20 usernames a second, the app's default pace; then the latency
// is taken away so the rest finishes quickly.
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from '@playwright/test';
import { DEMO_ACCESS_KEY, type EmulatorSeed, startEmulator } from '@/lib/emulator';
import type { JobChangesView, JobView } from '@/lib/roam/view-models';
import { errorMessage, onCleanup, removeTempDir, tempDir } from './cleanup';
import { chromePath } from './lighthouse';
import { buildNextApp, copyApp, startNextServer } from './next-apps';
import { Rows } from './report';
import { BENCH_ORIGIN, BENCH_TARGET, benchSeed, benchUsernames } from './seed';
import { kilobytes, percentile, round } from './stats';

const ITEMS = 2_000;
const STATIC_IP = 60;
const WIDE = 40;
const NOT_ON_ORIGIN = 50;
const PLAIN = ITEMS - STATIC_IP - WIDE - NOT_ON_ORIGIN;
const RUNNING_LATENCY_MS = 400;
const POLL_SAMPLES = 10;
const POLL_INTERVAL_MS = 1_000;
const PAGE_LOADS = 3;
const ADMIN_EMAIL = 'bench-admin@sag-roam.local';

const name = (prefix: string, index: number) => `${prefix}${String(index + 1).padStart(3, '0')}`;

function jobPageSeed(): EmulatorSeed {
  const seed = benchSeed(PLAIN);
  const origin = seed.instances.find((instance) => instance.smartAgId === BENCH_ORIGIN.instanceId);
  if (!origin) throw new Error('the bench seed has no origin instance');
  origin.accounts = [
    ...(origin.accounts ?? []),
    // The origin's own CIDR (10.10.0.0/16), outside the target's.
    ...Array.from({ length: STATIC_IP }, (_, index) => ({
      userName: name('bench.static', index),
      staticIp: `10.10.9.${index + 10}`,
    })),
    // 20 Mbit/s, above the target's 10M.
    ...Array.from({ length: WIDE }, (_, index) => ({
      userName: name('bench.wide', index),
      bandwidthKbps: 20_000,
    })),
  ];
  return seed;
}

function jobUsernames(plain: string[]): string[] {
  return [
    ...plain,
    ...Array.from({ length: STATIC_IP }, (_, index) => name('bench.static', index)),
    ...Array.from({ length: WIDE }, (_, index) => name('bench.wide', index)),
    ...Array.from({ length: NOT_ON_ORIGIN }, (_, index) => name('bench.nowhere', index)),
  ];
}

interface Fetched {
  status: number;
  /** Body bytes as they crossed the wire (compressed when the server compressed them). */
  wireBytes: number;
  /** Body bytes once decompressed. */
  bodyBytes: number;
  text: string;
}

/** A GET as a browser makes it (gzip accepted), counting the body's bytes on the wire and decompressed. */
function fetchCounted(url: string, cookie: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { headers: { cookie, 'accept-encoding': 'gzip', accept: 'application/json, text/html' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const wire = Buffer.concat(chunks);
          const body = response.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
          resolve({
            status: response.statusCode ?? 0,
            wireBytes: wire.length,
            bodyBytes: body.length,
            text: body.toString('utf8'),
          });
        });
      },
    );
    request.setTimeout(30_000, () => request.destroy(new Error(`GET ${url} took more than 30 s`)));
    request.on('error', reject);
    request.end();
  });
}

async function launchBrowser(): Promise<Browser> {
  const executablePath = chromePath();
  if (!executablePath) throw new Error('no Chromium at /usr/bin/chromium (set CHROME_PATH)');
  return chromium.launch({
    executablePath,
    args: [
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

async function chooseInstance(page: Page, label: string, instanceName: string): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page
    .getByRole('listbox')
    .filter({ visible: true })
    .getByRole('option', { name: new RegExp(instanceName) })
    .click();
}

/** Signs in, pastes the usernames, confirms the plan; returns as soon as the job exists. */
async function startJob(page: Page, baseUrl: string, password: string, usernames: string[]): Promise<string> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByLabel('Origin region').selectOption(BENCH_ORIGIN.regionId);
  await chooseInstance(page, 'Origin SAG APP instance', BENCH_ORIGIN.name);
  await page.getByLabel('Target region').selectOption(BENCH_TARGET.regionId);
  await chooseInstance(page, 'Target SAG APP instance', BENCH_TARGET.name);
  await page.getByRole('textbox', { name: 'Paste usernames' }).fill(usernames.join('\n'));
  await page.getByRole('button', { name: 'Add to list' }).click();
  await page.getByText(/usernames added from the pasted text/).waitFor();
  await page.getByRole('button', { name: 'Roam', exact: true }).click();
  await page
    .getByRole('region', { name: 'Plan before sending' })
    .getByRole('button', { name: 'Roam', exact: true })
    .click({ timeout: 60_000 });
  await page.waitForURL(/\?job=[0-9a-f-]{36}/, { timeout: 60_000 });
  const jobId = new URL(page.url()).searchParams.get('job');
  if (!jobId) throw new Error('the page address has no ?job= after Roam');
  return jobId;
}

interface PollSample {
  whole: Fetched;
  changes: Fetched;
  changedItems: number;
}

/**
 * What a page polling once a second would fetch, both ways: the whole job, and the changes since the previous
 * poll's cursor. Only samples taken while the job still ran count.
 */
async function samplePolls(jobUrl: string, cookie: string): Promise<PollSample[]> {
  const first = await fetchCounted(jobUrl, cookie);
  let cursor = (JSON.parse(first.text) as { job: JobView }).job.cursor;
  const samples: PollSample[] = [];
  for (let poll = 0; poll < POLL_SAMPLES; poll += 1) {
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    const changes = await fetchCounted(`${jobUrl}?since=${cursor}`, cookie);
    const whole = await fetchCounted(jobUrl, cookie);
    if (changes.status !== 200 || whole.status !== 200) {
      throw new Error(`a poll answered ${changes.status} / ${whole.status}`);
    }
    const answer = JSON.parse(changes.text) as JobChangesView;
    cursor = answer.job.cursor;
    if (answer.job.status !== 'running') break;
    samples.push({ whole, changes, changedItems: answer.items.length });
  }
  return samples;
}

async function waitForEnd(jobUrl: string, cookie: string, timeoutMs: number): Promise<JobView> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { job } = JSON.parse((await fetchCounted(jobUrl, cookie)).text) as { job: JobView };
    if (job.status !== 'running') return job;
    if (performance.now() > deadline) throw new Error(`the job did not end within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const median = (values: readonly number[]) => percentile(values, 50);
const kB = (bytes: number) => `${kilobytes(bytes)} kB`;
const ms = (value: number) => `${Math.round(value)} ms`;

export async function benchJobPage({ root }: { root: string }): Promise<Rows['rows']> {
  const rows = new Rows('job-page');
  const cleanups: (() => Promise<void>)[] = [];
  let appDir: string | undefined;
  try {
    console.log('bench: job-page: next build of a copy of the app ...');
    appDir = await copyApp(root);
    await buildNextApp(root, appDir);

    const emulator = await startEmulator({
      host: '127.0.0.1',
      port: 0,
      seed: jobPageSeed(),
      knobs: { latencyMs: RUNNING_LATENCY_MS },
    });
    cleanups.push(onCleanup('emulator', () => emulator.close()));
    const adminPassword = randomBytes(18).toString('base64url');
    const server = await startNextServer(
      root,
      appDir,
      {
        SAG_MODE: 'cloud',
        SAG_ENDPOINT: emulator.url,
        ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_ACCESS_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_ACCESS_KEY.accessKeySecret,
        DATA_DIR: tempDir('job-page-data'),
        ADMIN_EMAIL,
        ADMIN_PASSWORD: adminPassword,
        ROAM_MAX_USERNAMES: String(ITEMS),
        ROAM_CONCURRENCY: '8',
        // The pace comes from the emulator's latency while measuring, and nothing holds the rest back after.
        ROAM_RATE_PER_SECOND: '1000',
      },
      '/sign-in',
    );
    cleanups.push(server.stop);

    const browser = await launchBrowser();
    cleanups.push(onCleanup('browser', () => browser.close()));
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);

    console.log(`bench: job-page: a ${ITEMS}-username job through the roam page ...`);
    const jobId = await startJob(
      page,
      server.baseUrl,
      adminPassword,
      jobUsernames(benchUsernames(emulator, PLAIN)),
    );
    const cookie = (await context.cookies()).map((entry) => `${entry.name}=${entry.value}`).join('; ');
    const jobUrl = `${server.baseUrl}/api/jobs/${jobId}`;

    // 1. Bytes per poll while the job runs.
    console.log('bench: job-page: polls of the running job ...');
    const samples = await samplePolls(jobUrl, cookie);
    if (samples.length === 0) {
      rows.notRun('poll of the running job', 'the job ended before a poll could be measured');
    } else {
      const whole = {
        wire: median(samples.map((s) => s.whole.wireBytes)),
        body: median(samples.map((s) => s.whole.bodyBytes)),
      };
      const changes = {
        wire: median(samples.map((s) => s.changes.wireBytes)),
        body: median(samples.map((s) => s.changes.bodyBytes)),
      };
      const changed = median(samples.map((s) => s.changedItems));
      const note = `Median of ${samples.length} polls one second apart while the job ran (about 20 usernames a second: 8 calls at a time, ${RUNNING_LATENCY_MS} ms each); gzip as next start serves it to a browser that accepts it, and the JSON once decompressed.`;
      rows.info(
        `poll of a running ${ITEMS.toLocaleString('en')}-item job: whole job (before)`,
        `${kB(whole.wire)} gzip, ${kB(whole.body)} JSON`,
        {
          measured: kilobytes(whole.wire),
          unit: 'kB gzip',
          note,
        },
      );
      rows.info(
        `poll of a running ${ITEMS.toLocaleString('en')}-item job: changes since the last poll (after)`,
        `${kB(changes.wire)} gzip, ${kB(changes.body)} JSON (${changed} items changed); ${round(whole.wire / Math.max(1, changes.wire), 1)}× fewer bytes on the wire`,
        {
          measured: kilobytes(changes.wire),
          unit: 'kB gzip',
          note: `${note} The page sends the cursor of the job it shows (?since=) and merges the changed items by username.`,
        },
      );
    }

    // 2. The rest of the job, quickly; then its finished page.
    emulator.setKnobs({ latencyMs: 0 });
    const finished = await waitForEnd(jobUrl, cookie, 180_000);
    const summary = `${finished.counts.succeeded} succeeded, ${finished.counts.failed} failed, ${finished.counts.notSent} not sent`;

    console.log('bench: job-page: the finished job page ...');
    const loads: { renderMs: number; transfer: number; encoded: number; decoded: number }[] = [];
    for (let load = 0; load < PAGE_LOADS; load += 1) {
      const started = performance.now();
      await page.goto(`${server.baseUrl}/history/${jobId}`, { waitUntil: 'commit' });
      await page
        .getByRole('status')
        .filter({ hasText: /^Job finished/ })
        .waitFor();
      await page.getByRole('table', { name: 'Result per username' }).waitFor();
      const renderMs = performance.now() - started;
      await page.waitForLoadState('load');
      const timing = await page.evaluate(() => {
        const [entry] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
        return {
          transfer: entry?.transferSize ?? 0,
          encoded: entry?.encodedBodySize ?? 0,
          decoded: entry?.decodedBodySize ?? 0,
        };
      });
      loads.push({ renderMs, ...timing });
    }
    const shares = await page.evaluate(() => {
      const results = document.querySelector('section[aria-labelledby^="job-"]')?.outerHTML.length ?? 0;
      const attempts =
        document.querySelector('section[aria-labelledby="attempts-title"]')?.outerHTML.length ?? 0;
      const tableRows = document.querySelectorAll('table tbody tr').length;
      return { results, attempts, tableRows };
    });
    const html = await fetchCounted(`${server.baseUrl}/history/${jobId}`, cookie);
    rows.info(
      `finished ${ITEMS.toLocaleString('en')}-item job page: time to its results`,
      `${ms(median(loads.map((l) => l.renderMs)))} (runs ${loads.map((l) => ms(l.renderMs)).join(', ')})`,
      {
        measured: median(loads.map((l) => l.renderMs)),
        unit: 'ms',
        note: `Chromium, signed in: from page.goto(/history/[id]) to the "Job finished" status and the results table shown (the page hydrated with all ${ITEMS} items, ${summary}; one page of 50 rows rendered). Median of ${PAGE_LOADS} loads.`,
      },
    );
    rows.info(
      `finished ${ITEMS.toLocaleString('en')}-item job page: size`,
      `HTML ${kB(html.bodyBytes)} (${kB(html.wireBytes)} gzip); browser: ${kB(median(loads.map((l) => l.transfer)))} transferred`,
      {
        measured: kilobytes(html.wireBytes),
        unit: 'kB gzip',
        note: `The document alone (scripts are the first-load JS rows of the pages section). It carries the whole job once for the client (the RSC payload), the results section (${kB(shares.results)} of DOM) and the attempts table (${kB(shares.attempts)} of DOM, every attempt, not paged); ${shares.tableRows} table rows in all.`,
      },
    );

    // 3. The table answering a search and a page change on 2,000 items.
    const search = page.getByRole('searchbox', { name: 'Search usernames' });
    const status = page.getByRole('status').filter({ hasText: /^(Showing|No username matches)/ });
    let started = performance.now();
    await search.fill('BENCH.STATIC00');
    await status.filter({ hasText: /of 9 matching/ }).waitFor();
    const searchMs = performance.now() - started;
    await search.fill('');
    await status.filter({ hasText: /^Showing 1–50 of 2,000/ }).waitFor();
    started = performance.now();
    await page.getByRole('button', { name: 'Next page' }).click();
    await status.filter({ hasText: /^Showing 51–100 of 2,000/ }).waitFor();
    const pageMs = performance.now() - started;
    rows.info(
      `results of ${ITEMS.toLocaleString('en')} items: search, next page`,
      `${ms(searchMs)}, ${ms(pageMs)}`,
      {
        measured: searchMs,
        unit: 'ms',
        note: 'From typing a search that matches 9 usernames (or clicking Next page) to the table and its count shown, measured from the test driver (includes its round trips to Chromium).',
      },
    );
  } catch (error) {
    rows.error('job page', errorMessage(error));
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    if (appDir) removeTempDir(appDir);
  }
  return rows.rows;
}
