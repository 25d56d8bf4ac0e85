// First-load JavaScript of a page: the scripts its HTML loads (`<script src>`), each fetched from the
// running server as a browser would, gzipped at level 9 and summed. Inline scripts (the RSC payload
// Next.js streams into the page) are page data, not code, and are not counted.
import { readdir, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

export interface ScriptFile {
  src: string;
  rawBytes: number;
  gzipBytes: number;
}

export interface PageWeight {
  route: string;
  scripts: ScriptFile[];
  rawBytes: number;
  gzipBytes: number;
}

const SCRIPT_SRC = /<script\b[^>]*?\ssrc="([^"]+)"/g;

function decodeAttribute(value: string): string {
  return value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'");
}

export async function fetchPage(baseUrl: string, route: string, cookie?: string): Promise<string> {
  const response = await fetch(new URL(route, baseUrl), {
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  const html = await response.text();
  if (response.status !== 200) {
    const location = response.headers.get('location');
    throw new Error(`${route} answered ${response.status}${location ? ` → ${location}` : ''}`);
  }
  return html;
}

export function scriptSources(html: string): string[] {
  return [...new Set([...html.matchAll(SCRIPT_SRC)].map((match) => decodeAttribute(match[1] ?? '')))];
}

/** Measures scripts once per run: the same chunk on several pages is fetched and compressed once. */
export class ScriptSizer {
  private readonly cache = new Map<string, Promise<ScriptFile>>();

  constructor(private readonly baseUrl: string) {}

  size(src: string): Promise<ScriptFile> {
    let entry = this.cache.get(src);
    if (!entry) {
      entry = (async () => {
        const response = await fetch(new URL(src, this.baseUrl), { signal: AbortSignal.timeout(30_000) });
        if (response.status !== 200) throw new Error(`${src} answered ${response.status}`);
        const body = Buffer.from(await response.arrayBuffer());
        return { src, rawBytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
      })();
      this.cache.set(src, entry);
    }
    return entry;
  }

  async page(route: string, cookie?: string): Promise<PageWeight> {
    const html = await fetchPage(this.baseUrl, route, cookie);
    const scripts = await Promise.all(scriptSources(html).map((src) => this.size(src)));
    if (scripts.length === 0) throw new Error(`${route}: no <script src> in the page`);
    return {
      route,
      scripts,
      rawBytes: scripts.reduce((sum, file) => sum + file.rawBytes, 0),
      gzipBytes: scripts.reduce((sum, file) => sum + file.gzipBytes, 0),
    };
  }
}

export interface ProcessMemory {
  /** Resident set size now, of the process and its descendants (pages shared between them counted in each). */
  rssBytes: number;
  /**
   * Proportional set size now, of the process and its descendants: a page shared by k of them counts 1/k in
   * each (PostgreSQL's shared buffers, its code), so the sum is what the tree takes from the machine.
   */
  pssBytes: number;
  /** The process's own peak resident set size (VmHWM). */
  peakBytes: number;
  processes: number;
}

async function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

async function descendants(pid: number): Promise<number[]> {
  const found: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = await readdir(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    let children = '';
    try {
      children = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
      found.push(child, ...(await descendants(child)));
    }
  }
  return found;
}

async function pss(pid: number): Promise<number> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
  const match = /^Pss:\s+(\d+) kB/m.exec(rollup);
  return match ? Number(match[1]) * 1024 : 0;
}

/** VmRSS and PSS of a process and everything it started (Linux /proc). */
export async function processMemory(pid: number): Promise<ProcessMemory> {
  const pids = [pid, ...(await descendants(pid))];
  let rssBytes = 0;
  let pssBytes = 0;
  for (const each of pids) {
    try {
      rssBytes += await statusField(each, 'VmRSS');
      pssBytes += await pss(each);
    } catch {
      // Exited meanwhile.
    }
  }
  return {
    rssBytes,
    pssBytes,
    peakBytes: await statusField(pid, 'VmHWM').catch(() => 0),
    processes: pids.length,
  };
}
