import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PrometheusTextError, parsePrometheusText, sampleValue } from './prometheus-text';

// The reader the metrics tests trust: it must read what prom-client writes, and refuse what a scraper refuses.

describe('parsePrometheusText', () => {
  it('reads what prom-client writes: counters with escaped labels, and histograms', async () => {
    const registry = new Registry();
    const counter = new Counter({
      name: 'calls_total',
      help: 'Calls, with a \\ and a\nline break',
      labelNames: ['code'],
      registers: [registry],
    });
    counter.inc({ code: 'a "quoted" \\ value\nwith a line break' }, 2);
    const histogram = new Histogram({
      name: 'call_seconds',
      help: 'Time',
      labelNames: ['action'],
      buckets: [0.1, 1],
      registers: [registry],
    });
    histogram.observe({ action: 'Roam' }, 0.5);
    histogram.observe({ action: 'Roam' }, 5);

    const families = parsePrometheusText(await registry.metrics());
    expect(families.get('calls_total')).toMatchObject({
      type: 'counter',
      help: 'Calls, with a \\ and a\nline break',
    });
    expect(sampleValue(families, 'calls_total', { code: 'a "quoted" \\ value\nwith a line break' })).toBe(2);
    expect(sampleValue(families, 'call_seconds_bucket', { action: 'Roam', le: '0.1' })).toBe(0);
    expect(sampleValue(families, 'call_seconds_bucket', { action: 'Roam', le: '1' })).toBe(1);
    expect(sampleValue(families, 'call_seconds_bucket', { action: 'Roam', le: '+Inf' })).toBe(2);
    expect(sampleValue(families, 'call_seconds_count', { action: 'Roam' })).toBe(2);
    expect(sampleValue(families, 'call_seconds_sum', { action: 'Roam' })).toBe(5.5);
  });

  const page = (...lines: string[]) => `${lines.join('\n')}\n`;

  it.each([
    ['a sample of no declared family', page('stray 1')],
    ['a value that is not a number', page('# TYPE up gauge', 'up one')],
    ['a bad escape in a label value', page('# TYPE up gauge', 'up{a="\\t"} 1')],
    ['an unterminated label value', page('# TYPE up gauge', 'up{a="x} 1')],
    ['a repeated label', page('# TYPE up gauge', 'up{a="1",a="2"} 1')],
    ['a repeated series', page('# TYPE up gauge', 'up{a="1"} 1', 'up{a="1"} 2')],
    ['TYPE after the samples', page('# TYPE up gauge', 'up 1', '# TYPE up counter')],
    ['unknown type', page('# TYPE up meter')],
    ['bad metric name', page('# TYPE 1up gauge')],
    [
      'buckets out of order',
      page(
        '# TYPE h histogram',
        'h_bucket{le="1"} 1',
        'h_bucket{le="0.5"} 1',
        'h_bucket{le="+Inf"} 1',
        'h_count 1',
      ),
    ],
    [
      '_count differs from the +Inf bucket',
      page('# TYPE h histogram', 'h_bucket{le="1"} 1', 'h_bucket{le="+Inf"} 2', 'h_count 3'),
    ],
    ['no +Inf bucket', page('# TYPE h histogram', 'h_bucket{le="1"} 1', 'h_count 1')],
  ])('refuses %s', (problem, text) => {
    expect(() => parsePrometheusText(text)).toThrow(problem);
  });

  it('says which line is wrong', () => {
    expect(() => parsePrometheusText(page('# TYPE up gauge', 'up 1', 'up{ 1'))).toThrow(PrometheusTextError);
    expect(() => parsePrometheusText(page('# TYPE up gauge', 'up 1', 'up{ 1'))).toThrow(/^line 3: /);
  });
});
