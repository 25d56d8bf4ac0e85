import dns from 'node:dns';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveDefaultCredentialChain, staticCredentials } from './credentials';
import { SagError } from './errors';

const CHAIN_VARIABLES = [
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'ALIBABA_CLOUD_ROLE_ARN',
  'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
  'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  'ALIBABA_CLOUD_PROFILE',
  'ALIBABA_CLOUD_CLI_PROFILE_DISABLED',
  'ALIBABA_CLOUD_CREDENTIALS_FILE',
  'ALIBABA_CLOUD_CREDENTIALS_URI',
  'ALIBABA_CLOUD_ECS_METADATA',
  'ALIBABA_CLOUD_ECS_METADATA_DISABLED',
  'HOME',
];

let saved: Record<string, string | undefined>;
let home: string;
let connectSpy: ReturnType<typeof vi.spyOn>;
let lookupSpy: ReturnType<typeof vi.spyOn>;

beforeEach(async () => {
  saved = Object.fromEntries(CHAIN_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of CHAIN_VARIABLES) delete process.env[name];
  home = await mkdtemp(path.join(os.tmpdir(), 'sag-credentials-'));
  process.env.HOME = home;
  // Any network use by the chain (ECS metadata, STS, a credentials URI, a DNS lookup) fails the test.
  connectSpy = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(() => {
    throw new Error('network use is not allowed in this test');
  });
  lookupSpy = vi.spyOn(dns, 'lookup').mockImplementation(() => {
    throw new Error('DNS lookups are not allowed in this test');
  });
});

afterEach(async () => {
  connectSpy.mockRestore();
  lookupSpy.mockRestore();
  for (const name of CHAIN_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await rm(home, { recursive: true, force: true });
});

describe('staticCredentials', () => {
  it('returns the same pair on every call, without an empty token', async () => {
    const source = staticCredentials({ accessKeyId: 'id', accessKeySecret: 'secret', securityToken: '' });
    expect(await source()).toEqual({ accessKeyId: 'id', accessKeySecret: 'secret' });
    expect(() => staticCredentials({ accessKeyId: '', accessKeySecret: 'x' })).toThrow(TypeError);
  });
});

describe('resolveDefaultCredentialChain', () => {
  it('returns null for an empty environment and an empty home, without any network use', async () => {
    expect(await resolveDefaultCredentialChain({ allowEcsMetadata: false })).toBeNull();
    expect(connectSpy).not.toHaveBeenCalled();
    expect(lookupSpy).not.toHaveBeenCalled();
  });

  it('forbids the ECS metadata probe process-wide when it is not allowed', async () => {
    await resolveDefaultCredentialChain({ allowEcsMetadata: false });
    expect(process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED).toBe('true');
  });

  it('reads AccessKey and STS token from the environment', async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'LTAI-env';
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'env-secret';
    process.env.ALIBABA_CLOUD_SECURITY_TOKEN = 'env-token';
    const source = await resolveDefaultCredentialChain({ allowEcsMetadata: false });
    expect(source?.providerName).toBe('env');
    expect(await source?.()).toEqual({
      accessKeyId: 'LTAI-env',
      accessKeySecret: 'env-secret',
      securityToken: 'env-token',
    });
    expect(connectSpy).not.toHaveBeenCalled();
  });

  it('refuses half an AccessKey pair instead of falling back to the emulator', async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'LTAI-env';
    const error = await resolveDefaultCredentialChain({ allowEcsMetadata: false }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SagError);
    expect(error).toMatchObject({ code: 'SagClient.CredentialsUnavailable', outcome: 'not_applied' });
  });

  it('reads an aliyun CLI profile from ~/.aliyun/config.json', async () => {
    await mkdir(path.join(home, '.aliyun'));
    await writeFile(
      path.join(home, '.aliyun', 'config.json'),
      JSON.stringify({
        current: 'default',
        profiles: [
          { name: 'default', mode: 'AK', access_key_id: 'LTAI-cli', access_key_secret: 'cli-secret' },
        ],
      }),
    );
    const source = await resolveDefaultCredentialChain({ allowEcsMetadata: false });
    expect(source?.providerName).toBe('cli_profile');
    expect(await source?.()).toEqual({ accessKeyId: 'LTAI-cli', accessKeySecret: 'cli-secret' });
  });

  it('reads ~/.alibabacloud/credentials', async () => {
    await mkdir(path.join(home, '.alibabacloud'));
    await writeFile(
      path.join(home, '.alibabacloud', 'credentials'),
      '[default]\ntype = access_key\naccess_key_id = LTAI-ini\naccess_key_secret = ini-secret\n',
    );
    const source = await resolveDefaultCredentialChain({ allowEcsMetadata: false });
    expect(source?.providerName).toBe('profile');
    expect(await source?.()).toEqual({ accessKeyId: 'LTAI-ini', accessKeySecret: 'ini-secret' });
  });

  it('does not let a CLI profile in EcsRamRole mode probe the metadata address when not allowed', async () => {
    await mkdir(path.join(home, '.aliyun'));
    await writeFile(
      path.join(home, '.aliyun', 'config.json'),
      JSON.stringify({
        current: 'ecs',
        profiles: [{ name: 'ecs', mode: 'EcsRamRole', ram_role_name: 'role' }],
      }),
    );
    const error = await resolveDefaultCredentialChain({ allowEcsMetadata: false }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'SagClient.CredentialsUnavailable' });
    expect(String(error)).toContain('cli_profile');
    expect(connectSpy).not.toHaveBeenCalled();
    expect(lookupSpy).not.toHaveBeenCalled();
  });
});
