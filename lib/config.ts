import 'server-only';
import path from 'node:path';
import { z } from 'zod';
import type { Role } from '@/lib/auth/roles';
import { DEMO_ACCESS_KEY } from '@/lib/emulator/demo-access-key';

/**
 * Every setting of sag-roam, read from the environment and validated in one place.
 *
 * A bad value stops start-up with a message that names the variable and says what is expected
 * (see `ConfigError`). Values are never echoed back when they may be secret.
 *
 * `npm run emulator` reads the emulator's part alone (`parseEmulatorConfig`), by the same rules and with
 * the same messages, so that a variable means one thing everywhere.
 *
 * The Alibaba Cloud credentials themselves (`ALIBABA_CLOUD_*`) are not read here: the official
 * credential chain (`@alicloud/credentials`) reads them. This module only decides whether the chain
 * may probe the ECS metadata address, which is allowed only by an admin's explicit setting.
 */

const SECRET_VARIABLES = new Set([
  'SAG_EMULATOR_ACCESS_KEY_SECRET',
  'ADMIN_PASSWORD',
  'DATABASE_URL',
  'METRICS_TOKEN',
  'OIDC_CLIENT_SECRET',
]);

/** A number from `min` to `max`, or `fallback` when unset; `whole` also refuses fractions, signs and exponents. */
function numberFrom(name: string, min: number, max: number, fallback: number, whole: boolean) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      const trimmed = value.trim();
      const parsed = Number(trimmed);
      const wellFormed = whole
        ? /^\d+$/.test(trimmed) && Number.isSafeInteger(parsed)
        : Number.isFinite(parsed);
      if (!wellFormed || parsed < min || parsed > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`,
        });
        return z.NEVER;
      }
      return parsed;
    });
}

const integer = (name: string, min: number, max: number, fallback: number) =>
  numberFrom(name, min, max, fallback, true);
const decimal = (name: string, min: number, max: number, fallback: number) =>
  numberFrom(name, min, max, fallback, false);

function optionalText() {
  return z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));
}

function booleanFlag(name: string) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return false;
      const normalised = value.trim().toLowerCase();
      if (['1', 'true', 'yes'].includes(normalised)) return true;
      if (['0', 'false', 'no'].includes(normalised)) return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false` });
      return z.NEVER;
    });
}

const endpointSchema = optionalText().superRefine((value, ctx) => {
  if (value === undefined) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message:
        'SAG_ENDPOINT must be a full URL such as http://127.0.0.1:9000 or https://smartag.cn-shanghai.aliyuncs.com',
    });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: 'SAG_ENDPOINT must start with http:// or https://' });
  } else if (url.username || url.password) {
    ctx.addIssue({ code: 'custom', message: 'SAG_ENDPOINT must not contain a user name or password' });
  } else if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    ctx.addIssue({
      code: 'custom',
      message: 'SAG_ENDPOINT must be a scheme, host and optional port, with no path',
    });
  }
});

const databaseUrlSchema = optionalText().superRefine((value, ctx) => {
  if (value === undefined) return;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    ctx.addIssue({
      code: 'custom',
      message:
        'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@127.0.0.1:5432/sag_roam',
    });
  }
});

// A bearer token as RFC 6750 spells one (b64token), so that it travels unchanged in an Authorization header;
// 16 characters at least, so that it cannot be guessed in the time a scraper has.
const metricsTokenSchema = optionalText().superRefine((value, ctx) => {
  if (value === undefined) return;
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'METRICS_TOKEN must be a bearer token of letters, digits and - . _ ~ + / (optionally ending in =), without spaces or quotes',
    });
  } else if (value.length < 16) {
    ctx.addIssue({ code: 'custom', message: 'METRICS_TOKEN must be at least 16 characters long' });
  }
});

const emailSchema = optionalText().superRefine((value, ctx) => {
  if (value !== undefined && !z.email().safeParse(value).success) {
    ctx.addIssue({
      code: 'custom',
      message: 'ADMIN_EMAIL must be an e-mail address such as admin@example.com',
    });
  }
});

/** Hosts that never leave the machine: the only ones where a plain http:// URL is allowed. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * A URL that is https, or http on a loopback address (a provider or an app on this machine, as in tests),
 * with no user name, password, query or fragment; `allowPath`: the issuer may have a path (Keycloak's realms).
 */
function webUrl(name: string, example: string, allowPath: boolean) {
  return optionalText().superRefine((value, ctx) => {
    if (value === undefined) return;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${name} must be a full URL such as ${example}` });
      return;
    }
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message: `${name} ${message}` });
    if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('must start with https://');
    else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      fail('must use https:// (http:// is accepted only on a loopback address such as 127.0.0.1)');
    } else if (url.username || url.password) fail('must not contain a user name or password');
    else if (url.search || url.hash) fail('must not have a query or a fragment');
    else if (!allowPath && url.pathname !== '/') {
      fail('must be a scheme, host and optional port, with no path (sag-roam is served from the root)');
    }
  });
}

/** A comma-separated list, blanks dropped; unset or empty gives []. */
function commaList() {
  return optionalText().transform((value) =>
    (value ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );
}

const OIDC_DEFAULT_SCOPES = ['openid', 'email', 'profile'];

/** The OIDC_* variables: all optional, checked together once OIDC_ISSUER is set (checkOidc). */
const oidcVariables = {
  OIDC_ISSUER: webUrl('OIDC_ISSUER', 'https://login.example.com/realms/corp', true),
  OIDC_CLIENT_ID: matching(
    /^[\x21-\x7e]{1,255}$/,
    'OIDC_CLIENT_ID must be 1 to 255 printable characters without spaces',
  ),
  OIDC_CLIENT_SECRET: optionalText(),
  OIDC_DISPLAY_NAME: optionalText().superRefine((value, ctx) => {
    if (value !== undefined && value.length > 60) {
      ctx.addIssue({ code: 'custom', message: 'OIDC_DISPLAY_NAME must be at most 60 characters' });
    }
  }),
  OIDC_ROLES_CLAIM: matching(
    /^[\x21-\x7e]{1,200}$/,
    'OIDC_ROLES_CLAIM must be a claim name without spaces, such as groups or realm_access.roles',
  ),
  OIDC_ADMIN_GROUPS: commaList(),
  OIDC_OPERATOR_GROUPS: commaList(),
  OIDC_VIEWER_GROUPS: commaList(),
  OIDC_SCOPES: optionalText().transform((value) =>
    value === undefined ? OIDC_DEFAULT_SCOPES : [...new Set(value.split(/[\s,]+/).filter(Boolean))],
  ),
  OIDC_ONLY: booleanFlag('OIDC_ONLY'),
  APP_URL: webUrl('APP_URL', 'https://sag-roam.example.com', false),
};

type OidcEnvironment = {
  [K in keyof typeof oidcVariables]: z.output<(typeof oidcVariables)[K]>;
};

function checkOidc(env: OidcEnvironment, ctx: z.RefinementCtx): void {
  const problem = (variable: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [variable], message });
  if (env.OIDC_ISSUER === undefined) {
    const set = (
      ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_DISPLAY_NAME', 'OIDC_ROLES_CLAIM', 'OIDC_ONLY'] as const
    ).filter((name) => env[name] !== undefined && env[name] !== false);
    const lists = (['OIDC_ADMIN_GROUPS', 'OIDC_OPERATOR_GROUPS', 'OIDC_VIEWER_GROUPS'] as const).filter(
      (name) => env[name].length > 0,
    );
    for (const name of [...set, ...lists]) {
      problem(name, `${name} is set but OIDC_ISSUER is not: single sign-on needs the provider's issuer URL`);
    }
    return;
  }
  if (env.OIDC_CLIENT_ID === undefined) {
    problem(
      'OIDC_CLIENT_ID',
      'OIDC_CLIENT_ID must be set with OIDC_ISSUER (the client ID the provider gave sag-roam)',
    );
  }
  if (env.APP_URL === undefined) {
    problem(
      'APP_URL',
      'APP_URL must be set with OIDC_ISSUER: the public address of sag-roam, such as https://sag-roam.example.com (the redirect URI is APP_URL/api/auth/oidc/callback)',
    );
  }
  if (env.OIDC_ADMIN_GROUPS.length + env.OIDC_OPERATOR_GROUPS.length + env.OIDC_VIEWER_GROUPS.length === 0) {
    problem(
      'OIDC_ADMIN_GROUPS',
      'OIDC_ADMIN_GROUPS, OIDC_OPERATOR_GROUPS or OIDC_VIEWER_GROUPS must name at least one group: a person is let in only through a group',
    );
  }
  if (!env.OIDC_SCOPES.includes('openid')) {
    problem('OIDC_SCOPES', 'OIDC_SCOPES must include openid');
  }
}

function matching(pattern: RegExp, message: string) {
  return optionalText().superRefine((value, ctx) => {
    if (value !== undefined && !pattern.test(value)) ctx.addIssue({ code: 'custom', message });
  });
}

/** The emulator's variables: the app's built-in emulator and `npm run emulator` read them alike. */
const emulatorVariables = {
  SAG_EMULATOR_PORT: integer('SAG_EMULATOR_PORT', 0, 65_535, 9000),
  // Loose enough for any test pair, strict enough that a value pasted with spaces or quotes stops the
  // start here instead of failing every call as a signature mismatch.
  SAG_EMULATOR_ACCESS_KEY_ID: matching(
    /^[A-Za-z0-9._-]{4,128}$/,
    'SAG_EMULATOR_ACCESS_KEY_ID must be 4 to 128 letters, digits, ".", "_" or "-"',
  ),
  SAG_EMULATOR_ACCESS_KEY_SECRET: matching(
    /^[\x21-\x7e]{8,256}$/,
    'SAG_EMULATOR_ACCESS_KEY_SECRET must be 8 to 256 printable characters without spaces',
  ),
};

function checkEmulatorPair(
  env: { SAG_EMULATOR_ACCESS_KEY_ID?: string; SAG_EMULATOR_ACCESS_KEY_SECRET?: string },
  ctx: z.RefinementCtx,
): void {
  const id = 'SAG_EMULATOR_ACCESS_KEY_ID';
  const secret = 'SAG_EMULATOR_ACCESS_KEY_SECRET';
  const idSet = env[id] !== undefined;
  if (idSet === (env[secret] !== undefined)) return;
  const [missing, present] = idSet ? [secret, id] : [id, secret];
  ctx.addIssue({
    code: 'custom',
    path: [missing],
    message: `${missing} is not set but ${present} is: the two must be set together, or both left unset for the demo pair`,
  });
}

const emulatorEnvironmentSchema = z.object(emulatorVariables).superRefine(checkEmulatorPair);

const environmentSchema = z
  .object({
    SAG_MODE: optionalText().pipe(
      z
        .enum(['auto', 'emulator', 'cloud'], {
          message:
            'SAG_MODE must be auto (Alibaba Cloud when credentials are found, else the emulator), emulator or cloud',
        })
        .optional(),
    ),
    SAG_ENDPOINT: endpointSchema,
    SAG_SIGNATURE_VERSION: optionalText().pipe(
      z
        .enum(['v3', 'v2'], {
          message: 'SAG_SIGNATURE_VERSION must be v3 (ACS3-HMAC-SHA256) or v2 (HMAC-SHA1)',
        })
        .optional(),
    ),
    SAG_TIMEOUT_MS: integer('SAG_TIMEOUT_MS', 1_000, 120_000, 10_000),
    ...emulatorVariables,
    ALIBABA_CLOUD_ECS_METADATA: optionalText(),
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: booleanFlag('ALIBABA_CLOUD_ECS_METADATA_DISABLED'),
    DATA_DIR: optionalText(),
    DATABASE_URL: databaseUrlSchema,
    ROAM_CONCURRENCY: integer('ROAM_CONCURRENCY', 1, 64, 8),
    ROAM_RATE_PER_SECOND: decimal('ROAM_RATE_PER_SECOND', 0.1, 1_000, 20),
    ROAM_MAX_USERNAMES: integer('ROAM_MAX_USERNAMES', 1, 2_000, 1_000),
    TRUSTED_PROXY_HOPS: integer('TRUSTED_PROXY_HOPS', 0, 10, 0),
    ADMIN_EMAIL: emailSchema,
    ADMIN_PASSWORD: optionalText(),
    METRICS_TOKEN: metricsTokenSchema,
    LOG_FORMAT: optionalText().pipe(
      z
        .enum(['text', 'json'], {
          message: 'LOG_FORMAT must be text (readable lines, the default) or json (one JSON object per line)',
        })
        .optional(),
    ),
    ...oidcVariables,
  })
  .superRefine((env, ctx) => {
    checkEmulatorPair(env, ctx);
    checkOidc(env, ctx);
    if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.ADMIN_EMAIL === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD'],
        message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
      });
    }
    if (env.ADMIN_PASSWORD !== undefined && env.ADMIN_PASSWORD.length < 12) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_PASSWORD'],
        message: 'ADMIN_PASSWORD must be at least 12 characters long',
      });
    }
  });

export interface AppConfig {
  sag: {
    /** auto: Alibaba Cloud when the credential chain finds credentials, otherwise the built-in emulator. */
    mode: 'auto' | 'emulator' | 'cloud';
    /** Fixed endpoint for every region (emulator, private endpoint); undefined means per-region public endpoints. */
    endpoint: string | undefined;
    signatureVersion: 'v3' | 'v2';
    timeoutMs: number;
    /** Only an explicit ALIBABA_CLOUD_ECS_METADATA (role name) lets the credential chain probe the ECS metadata address. */
    allowEcsMetadata: boolean;
  };
  /** The pair the built-in emulator accepts and the app signs with when it serves the app. */
  emulator: EmulatorAccessKeyConfig;
  storage: { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; databaseUrl: string };
  roam: {
    concurrency: number;
    ratePerSecond: number;
    maxUsernamesPerJob: number;
  };
  initialAdmin: { email: string; password: string } | undefined;
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For: 0 takes the client's address
   * from the socket; N takes the entry N from the right (see lib/security/client-address.ts).
   */
  trustedProxyHops: number;
  observability: {
    /** The bearer token GET /api/metrics asks for; undefined turns the route off (404). */
    metricsToken: string | undefined;
    /** json: one JSON object per line, for a log collector; text: readable lines, for a terminal. */
    logFormat: 'text' | 'json';
  };
  /** The public base URL (origin, no trailing slash); required with single sign-on. */
  appUrl: string | undefined;
  oidc: OidcConfig | undefined;
}

/** Single sign-on through an OpenID Connect provider (lib/auth/oidc.ts). */
export interface OidcConfig {
  /** The issuer identifier, exactly as the provider's discovery document must state it. */
  issuer: string;
  clientId: string;
  /** undefined: a public client (PKCE alone). */
  clientSecret: string | undefined;
  /** "Sign in with <displayName>". */
  displayName: string;
  /** The claim that carries the person's groups; a dotted path reaches into an object (realm_access.roles). */
  rolesClaim: string;
  /** Group names per role; a person in groups of several roles gets the highest. */
  groups: Record<Role, string[]>;
  scopes: string[];
  /** Hide the password form from everyone but a break-glass admin (`/sign-in?local=1`). */
  only: boolean;
  /** APP_URL + /api/auth/oidc/callback: never derived from a request's headers. */
  redirectUri: string;
  /** Where the provider sends the browser after its sign-out: APP_URL + /sign-in. */
  postLogoutRedirectUri: string;
}

export interface EmulatorAccessKeyConfig {
  accessKeyId: string;
  accessKeySecret: string;
}

/** What `npm run emulator` needs: the app's built-in emulator takes a free port instead. */
export interface EmulatorConfig {
  port: number;
  accessKey: EmulatorAccessKeyConfig;
  /** The public demo pair: its secret may be printed. */
  usesDemoKey: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map(({ variable, message }) => `  - ${message.startsWith(variable) ? message : `${variable}: ${message}`}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

function validate<T>(schema: z.ZodType<T>, environment: Environment): T {
  const result = schema.safeParse(environment);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      // zod's own messages may quote the received value; never echo a secret one.
      const message =
        SECRET_VARIABLES.has(variable) && issue.code !== 'custom' ? 'is not valid' : issue.message;
      return { variable, message };
    }),
  );
}

/** Without a pair of its own, the emulator accepts its demo pair (printed in the README). */
function emulatorAccessKey(env: z.output<typeof emulatorEnvironmentSchema>): EmulatorAccessKeyConfig {
  return {
    accessKeyId: env.SAG_EMULATOR_ACCESS_KEY_ID ?? DEMO_ACCESS_KEY.accessKeyId,
    accessKeySecret: env.SAG_EMULATOR_ACCESS_KEY_SECRET ?? DEMO_ACCESS_KEY.accessKeySecret,
  };
}

/**
 * The emulator's part of an environment alone, for `npm run emulator`: a setting only the app reads
 * (ROAM_CONCURRENCY, DATABASE_URL, ...) never stops the emulator. Throws ConfigError.
 */
export function parseEmulatorConfig(environment: Environment = process.env): EmulatorConfig {
  const env = validate(emulatorEnvironmentSchema, environment);
  const accessKey = emulatorAccessKey(env);
  return {
    port: env.SAG_EMULATOR_PORT,
    accessKey,
    usesDemoKey:
      accessKey.accessKeyId === DEMO_ACCESS_KEY.accessKeyId &&
      accessKey.accessKeySecret === DEMO_ACCESS_KEY.accessKeySecret,
  };
}

/** Reads and validates the configuration from an environment (process.env by default). Throws ConfigError. */
export function parseConfig(environment: Environment = process.env): AppConfig {
  const env = validate(environmentSchema, environment);
  return {
    sag: {
      mode: env.SAG_MODE ?? 'auto',
      endpoint: env.SAG_ENDPOINT?.replace(/\/$/, ''),
      signatureVersion: env.SAG_SIGNATURE_VERSION ?? 'v3',
      timeoutMs: env.SAG_TIMEOUT_MS,
      allowEcsMetadata:
        env.ALIBABA_CLOUD_ECS_METADATA !== undefined && !env.ALIBABA_CLOUD_ECS_METADATA_DISABLED,
    },
    emulator: emulatorAccessKey(env),
    storage:
      env.DATABASE_URL !== undefined
        ? { kind: 'postgres', databaseUrl: env.DATABASE_URL }
        : { kind: 'embedded', dataDir: path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR ?? './data') },
    roam: {
      concurrency: env.ROAM_CONCURRENCY,
      ratePerSecond: env.ROAM_RATE_PER_SECOND,
      maxUsernamesPerJob: env.ROAM_MAX_USERNAMES,
    },
    initialAdmin:
      env.ADMIN_EMAIL !== undefined && env.ADMIN_PASSWORD !== undefined
        ? { email: env.ADMIN_EMAIL.toLowerCase(), password: env.ADMIN_PASSWORD }
        : undefined,
    trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    observability: { metricsToken: env.METRICS_TOKEN, logFormat: env.LOG_FORMAT ?? 'text' },
    appUrl: env.APP_URL === undefined ? undefined : new URL(env.APP_URL).origin,
    oidc: oidcConfig(env),
  };
}

function oidcConfig(env: OidcEnvironment): OidcConfig | undefined {
  // checkOidc has made sure the rest is there once the issuer is.
  if (env.OIDC_ISSUER === undefined || env.OIDC_CLIENT_ID === undefined || env.APP_URL === undefined) {
    return undefined;
  }
  const appUrl = new URL(env.APP_URL).origin;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    displayName: env.OIDC_DISPLAY_NAME ?? new URL(env.OIDC_ISSUER).host,
    rolesClaim: env.OIDC_ROLES_CLAIM ?? 'groups',
    groups: {
      admin: env.OIDC_ADMIN_GROUPS,
      operator: env.OIDC_OPERATOR_GROUPS,
      viewer: env.OIDC_VIEWER_GROUPS,
    },
    scopes: env.OIDC_SCOPES,
    only: env.OIDC_ONLY,
    redirectUri: `${appUrl}/api/auth/oidc/callback`,
    postLogoutRedirectUri: `${appUrl}/sign-in`,
  };
}

let cached: AppConfig | undefined;

/** The process's configuration, validated on first use. */
export function getConfig(): AppConfig {
  cached ??= parseConfig();
  return cached;
}

/** A one-line, secret-free summary for the start-up log. */
export function describeStorage(config: AppConfig): string {
  if (config.storage.kind === 'embedded') return `embedded PostgreSQL in ${config.storage.dataDir}`;
  const url = new URL(config.storage.databaseUrl);
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}
