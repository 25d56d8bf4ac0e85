/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: prom-client writes the
 * format but does not read it, and a scraper refuses the whole page for one bad line, so this refuses too.
 *
 * Checked: every line is a comment (`# HELP`, `# TYPE`, or another `#` line), a sample or empty; metric and
 * label names follow the format's grammar; label values are quoted with only `\\`, `\"` and `\n` escaped;
 * values are floats, `NaN` or `±Inf` (in any case, as the server reads them); each family has at most one
 * HELP and one TYPE, given before its samples; a sample belongs to a declared family (a histogram's `_bucket`,
 * `_sum`, `_count`); no series repeats; a histogram's buckets never decrease, end with `+Inf`, and `+Inf`
 * equals `_count`.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string | undefined;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];
const SUMMARY_SUFFIXES = ['_sum', '_count'];

export class PrometheusTextError extends Error {
  constructor(lineNumber: number, problem: string) {
    super(`line ${lineNumber}: ${problem}`);
    this.name = 'PrometheusTextError';
  }
}

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const helped = new Set<string>();
  const series = new Set<string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    const fail = (problem: string): never => {
      throw new PrometheusTextError(lineNumber, `${problem}: ${JSON.stringify(line)}`);
    };
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const comment = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!comment) return;
      const [, keyword, name = '', rest = ''] = comment;
      if (!METRIC_NAME.test(name)) fail('bad metric name');
      const family = families.get(name);
      if (keyword === 'HELP') {
        if (helped.has(name)) fail('a second HELP');
        helped.add(name);
        const help = unescapeHelp(rest, fail);
        if (family) {
          if (family.samples.length > 0) fail('HELP after the samples');
          family.help = help;
        } else families.set(name, { name, type: 'untyped', help, samples: [] });
        return;
      }
      if (!TYPES.has(rest as MetricType)) fail('unknown type');
      if (family?.samples.length) fail('TYPE after the samples');
      if (family && family.type !== 'untyped') fail('a second TYPE');
      if (family) family.type = rest as MetricType;
      else families.set(name, { name, type: rest as MetricType, help: undefined, samples: [] });
      return;
    }
    const sample = parseSample(line, fail);
    const family = familyOf(sample.name, families) ?? fail('a sample of no declared family');
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (series.has(key)) fail('a repeated series');
    series.add(key);
    family.samples.push(sample);
  });
  for (const family of families.values()) {
    if (family.type === 'histogram') checkHistogram(family);
  }
  return families;
}

function familyOf(sampleName: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  const exact = families.get(sampleName);
  if (exact && exact.type !== 'histogram' && exact.type !== 'summary') return exact;
  for (const suffix of HISTOGRAM_SUFFIXES) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family?.type === 'histogram') return family;
    if (family?.type === 'summary' && SUMMARY_SUFFIXES.includes(suffix)) return family;
  }
  if (exact?.type === 'summary') return exact;
  return undefined;
}

function parseSample(line: string, fail: (problem: string) => never): Sample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line) ?? fail('no metric name');
  const name = nameMatch[0];
  let position = name.length;
  const labels: Record<string, string> = {};
  if (line[position] === '{') {
    position++;
    while (line[position] !== '}') {
      const labelMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(position)) ?? fail('bad label');
      const labelName = labelMatch[1] ?? '';
      if (!LABEL_NAME.test(labelName)) fail('bad label name');
      if (Object.hasOwn(labels, labelName)) fail('a repeated label');
      position += labelMatch[0].length;
      let value = '';
      for (;;) {
        const character = line[position];
        if (character === undefined) fail('an unterminated label value');
        if (character === '"') break;
        if (character === '\\') {
          const escaped = line[position + 1];
          if (escaped === '\\') value += '\\';
          else if (escaped === '"') value += '"';
          else if (escaped === 'n') value += '\n';
          else fail('a bad escape in a label value');
          position += 2;
        } else {
          value += character;
          position++;
        }
      }
      labels[labelName] = value;
      position++;
      if (line[position] === ',') position++;
      else if (line[position] !== '}') fail('a label not followed by , or }');
    }
    position++;
  }
  const rest = /^ ([^ ]+)(?: (-?\d+))?$/.exec(line.slice(position)) ?? fail('no value');
  return { name, labels, value: parseValue(rest[1] ?? '', fail) };
}

/** As the Prometheus server reads a value (Go's ParseFloat): NaN and Inf in any case; prom-client writes `Nan`. */
function parseValue(text: string, fail: (problem: string) => never): number {
  const special = /^([-+]?)(nan|inf|infinity)$/i.exec(text);
  if (special) {
    if (special[2]?.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) fail('a value that is not a number');
  return Number(text);
}

function unescapeHelp(text: string, fail: (problem: string) => never): string {
  return text.replace(/\\(.?)/g, (_, escaped: string) => {
    if (escaped === '\\') return '\\';
    if (escaped === 'n') return '\n';
    return fail('a bad escape in HELP');
  });
}

function checkHistogram(family: MetricFamily): void {
  const groups = new Map<string, { buckets: { le: number; value: number }[]; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const group = groups.get(key) ?? { buckets: [] };
    groups.set(key, group);
    if (sample.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${family.name}: a bucket without le`);
      group.buckets.push({ le: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), value: sample.value });
    } else if (sample.name.endsWith('_count')) group.count = sample.value;
  }
  for (const [key, { buckets, count }] of groups) {
    const where = `${family.name}${key}`;
    for (let index = 1; index < buckets.length; index++) {
      const [previous, current] = [buckets[index - 1], buckets[index]];
      if (!previous || !current || current.le <= previous.le)
        throw new Error(`${where}: buckets out of order`);
      if (current.value < previous.value) throw new Error(`${where}: a bucket below the one before it`);
    }
    const last = buckets.at(-1);
    if (last?.le !== Number.POSITIVE_INFINITY) throw new Error(`${where}: no +Inf bucket`);
    if (count !== last.value) throw new Error(`${where}: _count differs from the +Inf bucket`);
  }
}

/** The value of the one sample named `name` whose labels include `labels`; throws when none or several. */
export function sampleValue(
  families: Map<string, MetricFamily>,
  name: string,
  labels: Record<string, string> = {},
): number {
  const matches = [...families.values()]
    .flatMap((family) => family.samples)
    .filter(
      (sample) =>
        sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    );
  if (matches.length !== 1) {
    throw new Error(`${matches.length} samples of ${name}${JSON.stringify(labels)}, expected exactly one`);
  }
  return matches[0]?.value ?? Number.NaN;
}
