import { describe, expect, it } from 'vitest';
import { DEMO_ACCESS_KEY } from '@/lib/emulator/demo-access-key';
import { ConfigError, describeStorage, parseConfig, parseEmulatorConfig } from './config';

function problemsOf(environment: Record<string, string | undefined>) {
  try {
    parseConfig(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has working defaults on an empty environment: emulator demo pair, embedded database, V3 signing', () => {
    const config = parseConfig({});
    expect(config.sag.mode).toBe('auto');
    expect(config.sag.signatureVersion).toBe('v3');
    expect(config.sag.endpoint).toBeUndefined();
    expect(config.sag.allowEcsMetadata).toBe(false);
    expect(config.emulator).toEqual(DEMO_ACCESS_KEY);
    expect(parseEmulatorConfig({})).toMatchObject({ port: 9000, usesDemoKey: true });
    expect(config.storage).toMatchObject({ kind: 'embedded' });
    expect(config.roam).toEqual({ concurrency: 8, ratePerSecond: 20, maxUsernamesPerJob: 1000 });
  });

  it('reads every documented variable', () => {
    const environment = {
      SAG_MODE: 'emulator',
      SAG_ENDPOINT: 'http://127.0.0.1:9100/',
      SAG_SIGNATURE_VERSION: 'v2',
      SAG_TIMEOUT_MS: '5000',
      SAG_EMULATOR_PORT: '9200',
      SAG_EMULATOR_ACCESS_KEY_ID: 'LTAIcustom',
      SAG_EMULATOR_ACCESS_KEY_SECRET: 'custom-secret',
      DATABASE_URL: 'postgres://roam:pw@127.0.0.1:5432/roam',
      ROAM_CONCURRENCY: '4',
      ROAM_RATE_PER_SECOND: '2.5',
      ROAM_MAX_USERNAMES: '500',
      ADMIN_EMAIL: 'Admin@Example.com',
      ADMIN_PASSWORD: 'a long enough password',
    };
    const config = parseConfig(environment);
    expect(config.sag).toMatchObject({
      mode: 'emulator',
      endpoint: 'http://127.0.0.1:9100',
      signatureVersion: 'v2',
      timeoutMs: 5000,
    });
    expect(config.emulator).toEqual({ accessKeyId: 'LTAIcustom', accessKeySecret: 'custom-secret' });
    expect(parseEmulatorConfig(environment)).toMatchObject({ port: 9200, usesDemoKey: false });
    expect(config.storage).toEqual({
      kind: 'postgres',
      databaseUrl: 'postgres://roam:pw@127.0.0.1:5432/roam',
    });
    expect(config.roam).toEqual({ concurrency: 4, ratePerSecond: 2.5, maxUsernamesPerJob: 500 });
    expect(config.initialAdmin?.email).toBe('admin@example.com');
    expect(describeStorage(config)).toBe('PostgreSQL at 127.0.0.1:5432/roam');
  });

  it('only lets the credential chain probe ECS metadata when a role is named explicitly', () => {
    expect(parseConfig({ ALIBABA_CLOUD_ECS_METADATA: 'my-role' }).sag.allowEcsMetadata).toBe(true);
    expect(
      parseConfig({ ALIBABA_CLOUD_ECS_METADATA: 'my-role', ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }).sag
        .allowEcsMetadata,
    ).toBe(false);
  });

  it.each([
    [{ SAG_ENDPOINT: 'smartag.cn-shanghai.aliyuncs.com' }, 'SAG_ENDPOINT', 'full URL'],
    [{ SAG_ENDPOINT: 'ftp://127.0.0.1' }, 'SAG_ENDPOINT', 'http://'],
    [{ SAG_ENDPOINT: 'http://127.0.0.1:9000/api' }, 'SAG_ENDPOINT', 'no path'],
    [{ SAG_ENDPOINT: 'http://user:pw@127.0.0.1:9000' }, 'SAG_ENDPOINT', 'user name or password'],
    [{ SAG_MODE: 'real' }, 'SAG_MODE', 'auto'],
    [{ SAG_SIGNATURE_VERSION: 'v4' }, 'SAG_SIGNATURE_VERSION', 'v3'],
    [{ SAG_TIMEOUT_MS: 'ten' }, 'SAG_TIMEOUT_MS', 'whole number from 1000 to 120000'],
    [{ SAG_EMULATOR_PORT: '70000' }, 'SAG_EMULATOR_PORT', 'from 0 to 65535'],
    [{ SAG_EMULATOR_ACCESS_KEY_ID: 'LTAIx' }, 'SAG_EMULATOR_ACCESS_KEY_SECRET', 'set together'],
    [{ SAG_EMULATOR_ACCESS_KEY_SECRET: 'only-secret' }, 'SAG_EMULATOR_ACCESS_KEY_ID', 'set together'],
    [
      { SAG_EMULATOR_ACCESS_KEY_ID: 'LTAI x', SAG_EMULATOR_ACCESS_KEY_SECRET: 'custom-secret' },
      'SAG_EMULATOR_ACCESS_KEY_ID',
      'letters, digits',
    ],
    [
      { SAG_EMULATOR_ACCESS_KEY_ID: 'LTAIcustom', SAG_EMULATOR_ACCESS_KEY_SECRET: 'has a space' },
      'SAG_EMULATOR_ACCESS_KEY_SECRET',
      'printable characters without spaces',
    ],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL', 'PostgreSQL URL'],
    [{ ROAM_CONCURRENCY: '0' }, 'ROAM_CONCURRENCY', 'from 1 to 64'],
    [{ ROAM_RATE_PER_SECOND: 'fast' }, 'ROAM_RATE_PER_SECOND', 'number from 0.1'],
    [{ ROAM_MAX_USERNAMES: '2.5' }, 'ROAM_MAX_USERNAMES', 'whole number'],
    [{ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'a long enough password' }, 'ADMIN_EMAIL', 'e-mail'],
    [{ ADMIN_EMAIL: 'a@example.com' }, 'ADMIN_PASSWORD', 'set together'],
    [{ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD', 'at least 12'],
    [
      { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'maybe' },
      'ALIBABA_CLOUD_ECS_METADATA_DISABLED',
      'true or false',
    ],
  ])('rejects %j naming %s', (environment, variable, expected) => {
    const problems = problemsOf(environment);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.variable).toBe(variable);
    expect(problems[0]?.message).toContain(expected);
  });

  it('takes the client address from the socket unless TRUSTED_PROXY_HOPS names the proxies in front', () => {
    expect(parseConfig({}).trustedProxyHops).toBe(0);
    expect(parseConfig({ TRUSTED_PROXY_HOPS: '2' }).trustedProxyHops).toBe(2);
    expect(parseConfig({ TRUSTED_PROXY_HOPS: ' 10 ' }).trustedProxyHops).toBe(10);
  });

  it.each(['-1', '11', '1.5', 'one', '1e1'])('rejects TRUSTED_PROXY_HOPS=%j', (value) => {
    expect(problemsOf({ TRUSTED_PROXY_HOPS: value })).toEqual([
      { variable: 'TRUSTED_PROXY_HOPS', message: 'TRUSTED_PROXY_HOPS must be a whole number from 0 to 10' },
    ]);
  });

  it.each([
    { SAG_EMULATOR_PORT: 'ninety' },
    { SAG_EMULATOR_ACCESS_KEY_ID: 'LTAIcustom' },
    { SAG_EMULATOR_ACCESS_KEY_SECRET: 'custom-secret' },
    { SAG_EMULATOR_ACCESS_KEY_ID: 'LTAI"quoted"', SAG_EMULATOR_ACCESS_KEY_SECRET: 'custom-secret' },
    { SAG_EMULATOR_ACCESS_KEY_ID: 'LTAIcustom', SAG_EMULATOR_ACCESS_KEY_SECRET: 'short' },
  ])('gives the emulator command line the same rule and message for %j as the app', (environment) => {
    let emulatorError: unknown;
    try {
      parseEmulatorConfig(environment);
    } catch (error) {
      emulatorError = error;
    }
    expect(emulatorError).toBeInstanceOf(ConfigError);
    expect((emulatorError as ConfigError).problems).toEqual(problemsOf(environment));
    if ('SAG_EMULATOR_ACCESS_KEY_SECRET' in environment) {
      expect(String(emulatorError)).not.toContain(environment.SAG_EMULATOR_ACCESS_KEY_SECRET);
    }
  });

  it('leaves metrics off and logs readable text unless told otherwise', () => {
    expect(parseConfig({}).observability).toEqual({ metricsToken: undefined, logFormat: 'text' });
    expect(
      parseConfig({ METRICS_TOKEN: ' scrape-token-0123456789 ', LOG_FORMAT: 'json' }).observability,
    ).toEqual({ metricsToken: 'scrape-token-0123456789', logFormat: 'json' });
    expect(parseConfig({ METRICS_TOKEN: 'aGVsbG8gd29ybGQgMTIzNA==' }).observability.metricsToken).toBe(
      'aGVsbG8gd29ybGQgMTIzNA==',
    );
  });

  it.each([
    [
      'a short token',
      { METRICS_TOKEN: 'short-token-15c' },
      'METRICS_TOKEN must be at least 16 characters long',
    ],
    [
      'a token with a space',
      { METRICS_TOKEN: 'scrape token 0123456789' },
      'METRICS_TOKEN must be a bearer token of letters, digits',
    ],
    [
      'a quoted token',
      { METRICS_TOKEN: '"scrape-token-0123456789"' },
      'METRICS_TOKEN must be a bearer token of letters, digits',
    ],
    [
      'an unknown log format',
      { LOG_FORMAT: 'pretty' },
      'LOG_FORMAT must be text (readable lines, the default) or json',
    ],
    ['an upper-case log format', { LOG_FORMAT: 'JSON' }, 'LOG_FORMAT must be text'],
  ])('rejects %s with a message naming the variable and the rule', (_, environment, expected) => {
    const problems = problemsOf(environment);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(expected);
    const [variable, value] = Object.entries(environment)[0] ?? [];
    expect(problems[0]?.variable).toBe(variable);
    // The token is a secret: its value never shows in the message.
    if (variable === 'METRICS_TOKEN') expect(problems[0]?.message).not.toContain(value?.trim());
  });

  it('never echoes a secret value in its error', () => {
    const secret = 'postgres-password-zzz';
    try {
      parseConfig({
        DATABASE_URL: `mysql://u:${secret}@h/db`,
        ADMIN_EMAIL: 'a@b.co',
        ADMIN_PASSWORD: 'short',
      });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain(secret);
      expect(String(error)).not.toContain('short');
      expect((error as ConfigError).problems.map((problem) => problem.variable).sort()).toEqual([
        'ADMIN_PASSWORD',
        'DATABASE_URL',
      ]);
    }
  });
});

describe('single sign-on configuration', () => {
  const oidc = {
    OIDC_ISSUER: 'https://login.example.com/realms/corp',
    OIDC_CLIENT_ID: 'sag-roam',
    OIDC_CLIENT_SECRET: 'client-secret-value-123',
    APP_URL: 'https://sag-roam.example.com/',
    OIDC_OPERATOR_GROUPS: 'network-ops, sag-operators',
  };

  it('is off unless OIDC_ISSUER is set', () => {
    expect(parseConfig({}).oidc).toBeUndefined();
    expect(parseConfig({ APP_URL: 'https://sag-roam.example.com' }).appUrl).toBe(
      'https://sag-roam.example.com',
    );
  });

  it('builds the redirect and post-sign-out URIs from APP_URL alone, with documented defaults', () => {
    expect(parseConfig(oidc).oidc).toEqual({
      issuer: 'https://login.example.com/realms/corp',
      clientId: 'sag-roam',
      clientSecret: 'client-secret-value-123',
      displayName: 'login.example.com',
      rolesClaim: 'groups',
      groups: { admin: [], operator: ['network-ops', 'sag-operators'], viewer: [] },
      scopes: ['openid', 'email', 'profile'],
      only: false,
      redirectUri: 'https://sag-roam.example.com/api/auth/oidc/callback',
      postLogoutRedirectUri: 'https://sag-roam.example.com/sign-in',
    });
  });

  it('reads the display name, claim, scopes, OIDC_ONLY, and no secret for a public client', () => {
    const config = parseConfig({
      ...oidc,
      OIDC_CLIENT_SECRET: '',
      OIDC_DISPLAY_NAME: 'Corp SSO',
      OIDC_ROLES_CLAIM: 'realm_access.roles',
      OIDC_SCOPES: 'openid email groups',
      OIDC_ONLY: 'true',
      OIDC_ADMIN_GROUPS: 'sag-admins',
    }).oidc;
    expect(config).toMatchObject({
      clientSecret: undefined,
      displayName: 'Corp SSO',
      rolesClaim: 'realm_access.roles',
      scopes: ['openid', 'email', 'groups'],
      only: true,
      groups: { admin: ['sag-admins'] },
    });
  });

  it.each([
    [{ OIDC_ISSUER: 'http://login.example.com' }, 'OIDC_ISSUER', /https:\/\/.*loopback/],
    [{ OIDC_ISSUER: 'login.example.com' }, 'OIDC_ISSUER', /full URL/],
    [{ OIDC_ISSUER: 'https://login.example.com/?x=1' }, 'OIDC_ISSUER', /query/],
    [{ APP_URL: 'http://sag-roam.example.com' }, 'APP_URL', /https:\/\//],
    [{ APP_URL: 'https://sag-roam.example.com/roam' }, 'APP_URL', /no path/],
    [{ APP_URL: undefined }, 'APP_URL', /APP_URL must be set with OIDC_ISSUER/],
    [{ OIDC_CLIENT_ID: undefined }, 'OIDC_CLIENT_ID', /must be set with OIDC_ISSUER/],
    [{ OIDC_OPERATOR_GROUPS: ' , ' }, 'OIDC_ADMIN_GROUPS', /at least one group/],
    [{ OIDC_SCOPES: 'email profile' }, 'OIDC_SCOPES', /openid/],
    [{ OIDC_ONLY: 'maybe' }, 'OIDC_ONLY', /true or false/],
  ])('refuses %o with a message naming %s', (change, variable, message) => {
    const problems = problemsOf({ ...oidc, ...change });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.variable).toBe(variable);
    expect(problems[0]?.message).toMatch(message);
  });

  it('accepts http:// only on a loopback address', () => {
    for (const host of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080']) {
      expect(
        parseConfig({ ...oidc, OIDC_ISSUER: `http://${host}`, APP_URL: `http://${host}` }).oidc?.issuer,
      ).toBe(`http://${host}`);
    }
  });

  it('names every OIDC_* variable set without OIDC_ISSUER', () => {
    const problems = problemsOf({ OIDC_CLIENT_ID: 'x', OIDC_ONLY: 'true', OIDC_VIEWER_GROUPS: 'staff' });
    expect(problems.map((problem) => problem.variable).sort()).toEqual([
      'OIDC_CLIENT_ID',
      'OIDC_ONLY',
      'OIDC_VIEWER_GROUPS',
    ]);
  });

  it('never echoes the client secret', () => {
    const problems = problemsOf({ ...oidc, OIDC_ISSUER: undefined });
    expect(JSON.stringify(problems)).not.toContain('client-secret-value-123');
  });
});
