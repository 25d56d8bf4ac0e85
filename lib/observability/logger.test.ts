import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { configuredSecrets, createLogger, formatText, workerLogger } from './logger';

// The log as whoever runs sag-roam reads it: one JSON object per line for a collector, a readable line in a
// terminal, and no secret in either, whether it comes as a field of its own or inside a message.

const SECRET = 'FakeSecretForLeakScan-3c9e71d2a8b5';
const ADMIN_PASSWORD = 'admin-password-for-the-log-test';
const METRICS_TOKEN = 'metrics-token-for-the-log-test';
const DATABASE_PASSWORD = 'db-pass/with:odd@chars';

function capture(format: 'json' | 'text', secrets: string[] = []) {
  const lines: string[] = [];
  const logger = createLogger({ format, secrets, destination: { write: (line) => void lines.push(line) } });
  return { logger, lines };
}

describe('the JSON log', () => {
  it('writes one JSON object per line, with the level by name, an ISO time and the fields given', () => {
    const { logger, lines } = capture('json');
    logger.info({ jobId: 'job-1', counts: { succeeded: 2 } }, 'job finished');
    logger.warn('multi\nline message');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(first).toMatchObject({
      level: 'info',
      msg: 'job finished',
      jobId: 'job-1',
      counts: { succeeded: 2 },
    });
    expect(new Date(first.time).toISOString()).toBe(first.time);
    expect(second).toMatchObject({ level: 'warn', msg: 'multi\nline message' });
  });

  it('censors fields that hold a secret by their name, at the top and one object down', () => {
    const { logger, lines } = capture('json');
    logger.info(
      {
        password: 'p1-password',
        accessKeySecret: 'p2-secret',
        credentials: { accessKeySecret: 'p3-secret', securityToken: 'p4-token' },
        request: { authorization: 'Bearer p5-bearer', cookie: 'sag-roam-session=p6-session' },
        DATABASE_URL: 'postgres://u:p7-password@h/db',
      },
      'with secrets in fields',
    );
    const text = lines.join('');
    for (const leaked of ['p1-', 'p2-', 'p3-', 'p4-', 'p5-', 'p6-', 'p7-'])
      expect(text).not.toContain(leaked);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      password: '[redacted]',
      credentials: { accessKeySecret: '[redacted]', securityToken: '[redacted]' },
    });
  });

  it('scrubs the configured secrets wherever they turn up: a message, any field, an error', () => {
    const config = parseConfig({
      SAG_EMULATOR_ACCESS_KEY_ID: 'LTAI5tLeakScanKeyId0001',
      SAG_EMULATOR_ACCESS_KEY_SECRET: SECRET,
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD,
      METRICS_TOKEN,
      DATABASE_URL: `postgres://roam:${encodeURIComponent(DATABASE_PASSWORD)}@127.0.0.1:5432/roam`,
    });
    const { logger, lines } = capture('json', configuredSecrets(config));
    logger.error(
      {
        deep: { deeper: { note: `signed with ${SECRET}` } },
        err: new Error(`the pool said ${DATABASE_PASSWORD}`),
      },
      `admin ${ADMIN_PASSWORD} scraped with ${METRICS_TOKEN}`,
    );
    const text = lines.join('');
    for (const secret of [SECRET, ADMIN_PASSWORD, METRICS_TOKEN, DATABASE_PASSWORD]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
    expect(text).toContain('[redacted]');
    expect(JSON.parse(lines[0] ?? '{}').err.message).toBe('the pool said [redacted]');
  });
});

describe('the text log', () => {
  it('writes a readable line: the message as the console showed it, then the fields; warnings say so', () => {
    const { logger, lines } = capture('text', [SECRET]);
    logger.info('sag-roam: EMULATOR mode; worker: 8 concurrent');
    logger.info({ jobId: 'job-1', actor: 'op@example.com', note: `has ${SECRET}` }, 'job created');
    logger.warn({ jobId: 'job-2', counts: { failed: 1 } }, 'job finished with failures');
    expect(lines).toEqual([
      'sag-roam: EMULATOR mode; worker: 8 concurrent\n',
      'job created jobId=job-1 actor=op@example.com note="has [redacted]"\n',
      'WARN: job finished with failures jobId=job-2 counts={"failed":1}\n',
    ]);
  });

  it('shows an error with its type and message, and its stack on the lines below', () => {
    const error = new TypeError('bad thing');
    const text = formatText({
      time: 't',
      level: 'error',
      msg: 'failed',
      err: { type: 'TypeError', message: 'bad thing', stack: error.stack },
    });
    const [head, ...stack] = text.trimEnd().split('\n');
    expect(head).toBe('ERROR: failed error="TypeError: bad thing"');
    expect(stack[0]).toBe('  TypeError: bad thing');
    expect(stack.length).toBeGreaterThan(1);
  });
});

describe('workerLogger', () => {
  it('passes the worker messages at their level, marked as the worker', () => {
    const { logger, lines } = capture('json');
    const worker = workerLogger(logger);
    worker.info('claimed');
    worker.warn('took over 2 item(s)');
    worker.error('could not claim items');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'info', msg: 'claimed', component: 'worker' }),
      expect.objectContaining({ level: 'warn', msg: 'took over 2 item(s)', component: 'worker' }),
      expect.objectContaining({ level: 'error', msg: 'could not claim items', component: 'worker' }),
    ]);
  });
});
