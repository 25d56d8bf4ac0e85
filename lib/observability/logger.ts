import 'server-only';
import pino, { type DestinationStream, type Logger } from 'pino';
import { type AppConfig, getConfig } from '@/lib/config';
import type { WorkerLogger } from '@/lib/roam/worker';
import { redactSecrets } from '@/lib/sag/errors';

/**
 * The server's log: pino, one JSON object per line (`LOG_FORMAT=json`, for a log collector) or one readable
 * line per event (`text`, the default, for a terminal). Both carry the same fields: job and item ids,
 * RequestIds, error codes; never a secret, a password, a session token or a connection string.
 *
 * Two lines of defence keep secrets out, since a log is copied to places the app cannot see: fields with a
 * secret's name are censored by pino's `redact`, and the secret values the configuration knows (the emulator's
 * AccessKey secret, the first admin's password, the metrics token, the database password) are scrubbed from
 * every line just before it is written, whatever field or message they hide in.
 */

export type LogFormat = AppConfig['observability']['logFormat'];

/** Field names that only ever hold a secret, wherever they appear (top level or one object down). */
const SECRET_FIELDS = [
  'password',
  'passwordHash',
  'accessKeySecret',
  'securityToken',
  'sessionToken',
  'token',
  'authorization',
  'cookie',
  'databaseUrl',
  'DATABASE_URL',
  'ADMIN_PASSWORD',
  'METRICS_TOKEN',
  'OIDC_CLIENT_SECRET',
  'clientSecret',
  'client_secret',
  'id_token',
  'access_token',
  'refresh_token',
  'code_verifier',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'SAG_EMULATOR_ACCESS_KEY_SECRET',
];

export const REDACTED_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]);

export interface LoggerOptions {
  format: LogFormat;
  /** Values that must never be written, whatever field or message they turn up in. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go: standard output (warnings and errors to standard error in text form) by default. */
  destination?: DestinationStream;
  level?: pino.LevelWithSilent;
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = secretForms(options.secrets ?? []);
  const scrub = (line: string) => (secrets.length === 0 ? line : redactSecrets(line, secrets));
  return pino(
    {
      level: options.level ?? 'info',
      // Names rather than numbers, so a line reads the same in a collector and in a terminal.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks: { streamWrite: scrub },
    },
    options.format === 'json'
      ? (options.destination ?? jsonToStandardOutput)
      : textLines(options.destination),
  );
}

/** The secret as written raw, and inside a JSON string (where quotes and backslashes are escaped). */
function secretForms(secrets: readonly (string | undefined)[]): string[] {
  const known = secrets.filter((secret): secret is string => secret !== undefined && secret.length >= 4);
  return [...new Set(known.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]))];
}

// Written synchronously: a start-up failure or a SIGKILL loses no line that was already logged.
const jsonToStandardOutput: DestinationStream = { write: (line) => void process.stdout.write(line) };

/** Each record as one readable line, to `target`, or to standard output (warnings and errors to standard error). */
function textLines(target: DestinationStream | undefined): DestinationStream {
  return {
    write(line) {
      const record = parseRecord(line);
      const text = record ? formatText(record) : line;
      if (target) target.write(text);
      else if (record && LEVELS_TO_STDERR.has(String(record.level))) process.stderr.write(text);
      else process.stdout.write(text);
    },
  };
}

const LEVELS_TO_STDERR = new Set(['warn', 'error', 'fatal']);

function parseRecord(line: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Time, process and host are left to the terminal or the service manager, as they were with console output;
 * JSON keeps them, for a fleet's logs.
 */
const OMITTED_IN_TEXT = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'err']);

/**
 * `job finished jobId=… counts={…}`: an information line reads exactly as its message did on the console
 * (scripts and tests wait for `sag-roam: …` at the start of a line), a warning or an error says so first, and
 * an error's stack follows on the lines below.
 */
export function formatText(record: Record<string, unknown>): string {
  const fields = Object.entries(record)
    .filter(([key, value]) => !OMITTED_IN_TEXT.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${textValue(value)}`);
  const error = record.err as { type?: unknown; message?: unknown; stack?: unknown } | undefined;
  if (error && typeof error === 'object') {
    fields.push(`error=${textValue(`${String(error.type ?? 'Error')}: ${String(error.message ?? '')}`)}`);
  }
  const level = String(record.level ?? 'info');
  const marker = level === 'info' ? '' : `${level.toUpperCase()}:`;
  const head = [marker, String(record.msg ?? ''), ...fields].filter((part) => part !== '').join(' ');
  const stack = error && typeof error.stack === 'string' ? `\n  ${error.stack.split('\n').join('\n  ')}` : '';
  return `${head}${stack}\n`;
}

function textValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** The secrets of a configuration, for the value scrub: none of them may ever reach a log. */
export function configuredSecrets(config: AppConfig): string[] {
  const secrets = [config.emulator.accessKeySecret];
  if (config.initialAdmin) secrets.push(config.initialAdmin.password);
  if (config.observability.metricsToken) secrets.push(config.observability.metricsToken);
  if (config.oidc?.clientSecret) secrets.push(config.oidc.clientSecret);
  if (config.storage.kind === 'postgres') {
    const password = databasePassword(config.storage.databaseUrl);
    if (password) secrets.push(password, config.storage.databaseUrl);
  }
  return secrets;
}

function databasePassword(databaseUrl: string): string | undefined {
  try {
    const password = new URL(databaseUrl).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

const LOGGER_KEY = Symbol.for('sag-roam.logger');
type LoggerHolder = typeof globalThis & { [LOGGER_KEY]?: Logger };

/**
 * The process's logger, made once from the configuration (kept on globalThis for the same reason as the
 * runtime: Next.js loads server modules in several bundles). A configuration that does not validate stops the
 * start-up elsewhere, with its own message; until then lines are written as text, without a secret list.
 */
export function getLogger(): Logger {
  const holder = globalThis as LoggerHolder;
  if (holder[LOGGER_KEY]) return holder[LOGGER_KEY];
  let config: AppConfig | undefined;
  try {
    config = getConfig();
  } catch {
    config = undefined;
  }
  const logger = createLogger({
    format: config?.observability.logFormat ?? 'text',
    secrets: config ? configuredSecrets(config) : [],
  });
  if (config) holder[LOGGER_KEY] = logger;
  return logger;
}

/** The roam worker's log (plain messages at three levels), through the process's logger. */
export function workerLogger(logger: Logger): WorkerLogger {
  const worker = logger.child({ component: 'worker' });
  return {
    info: (message) => worker.info(message),
    warn: (message) => worker.warn(message),
    error: (message) => worker.error(message),
  };
}
