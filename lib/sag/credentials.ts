import 'server-only';
import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CLIProfileCredentialsProvider,
  type CredentialsProvider,
  ECSRAMRoleCredentialsProvider,
  EnvironmentVariableCredentialsProvider,
  OIDCRoleArnCredentialsProvider,
  ProfileCredentialsProvider,
  URICredentialsProvider,
} from '@alicloud/credentials';
import { adminMessage, CLIENT_ERROR_CODES } from './error-messages';
import { SagError } from './errors';

/**
 * Where the AccessKey comes from. The client asks before every call, so rotating STS credentials work.
 */
export interface SagCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export type CredentialSource = () => Promise<SagCredentials>;

/** A source found by the default chain, with the name of the provider that produced it (for the start-up log). */
export type ResolvedCredentialSource = CredentialSource & { readonly providerName: string };

export function staticCredentials(credentials: SagCredentials): CredentialSource {
  if (!credentials.accessKeyId || !credentials.accessKeySecret) {
    throw new TypeError('staticCredentials needs a non-empty AccessKey ID and secret.');
  }
  const frozen = Object.freeze({
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
  });
  return async () => frozen;
}

function credentialsError(message: string): SagError {
  const code = CLIENT_ERROR_CODES.credentialsUnavailable;
  return new SagError({
    code,
    message,
    action: 'ResolveCredentials',
    outcome: 'not_applied',
    retryable: false,
    admin: adminMessage(code, { action: 'ResolveCredentials', outcome: 'not_applied' }),
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}

let ecsMetadataDisabledByUs = false;

/**
 * `@alicloud/credentials` builds an ECS RAM role provider not only at the top of its chain but also
 * inside the CLI-profile (`EcsRamRole` mode) and INI-profile (`ecs_ram_role` type) providers, and each of
 * them refuses to be built only when ALIBABA_CLOUD_ECS_METADATA_DISABLED is 'true' at that moment. So
 * when the probe is not allowed we set that variable for the whole process, and leave it set.
 */
function applyEcsMetadataPolicy(allowEcsMetadata: boolean): void {
  if (!allowEcsMetadata) {
    if (!isTrue(process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED)) {
      process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
      ecsMetadataDisabledByUs = true;
    }
  } else if (ecsMetadataDisabledByUs) {
    delete process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED;
    ecsMetadataDisabledByUs = false;
  }
}

interface Candidate {
  name: string;
  provider: CredentialsProvider;
  /** Failing here means "not on ECS", i.e. nothing found, rather than a broken configuration. */
  probe?: boolean;
}

/**
 * The providers of the official default chain, in its order (environment, OIDC role, aliyun CLI profile,
 * ~/.alibabacloud/credentials, ECS RAM role, credentials URI), but each one only when it is configured.
 *
 * Why not `DefaultCredentialsProvider` itself: it always appends the credentials-URI provider, which with
 * no URI configured sends an HTTPS request to the host "undefined" (a DNS lookup), and it adds the ECS
 * metadata provider unless the environment forbids it.
 */
async function configuredCandidates(allowEcsMetadata: boolean): Promise<Candidate[] | string> {
  const env = process.env;
  const candidates: Candidate[] = [];

  if (env.ALIBABA_CLOUD_ACCESS_KEY_ID || env.ALIBABA_CLOUD_ACCESS_KEY_SECRET) {
    if (!env.ALIBABA_CLOUD_ACCESS_KEY_ID || !env.ALIBABA_CLOUD_ACCESS_KEY_SECRET) {
      return 'Only one of ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET is set; set both.';
    }
    candidates.push({ name: 'env', provider: EnvironmentVariableCredentialsProvider.builder().build() });
  }

  if (
    env.ALIBABA_CLOUD_ROLE_ARN &&
    env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN &&
    env.ALIBABA_CLOUD_OIDC_TOKEN_FILE
  ) {
    try {
      candidates.push({ name: 'oidc_role_arn', provider: OIDCRoleArnCredentialsProvider.builder().build() });
    } catch {
      return 'The OIDC role settings (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE) are not valid.';
    }
  }

  const home = os.homedir();
  if (
    home &&
    !isTrue(env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED) &&
    (await exists(path.join(home, '.aliyun', 'config.json')))
  ) {
    candidates.push({ name: 'cli_profile', provider: CLIProfileCredentialsProvider.builder().build() });
  }

  const sharedFile =
    env.ALIBABA_CLOUD_CREDENTIALS_FILE ||
    (home ? path.join(home, '.alibabacloud', 'credentials') : undefined);
  if (sharedFile && (await exists(sharedFile))) {
    candidates.push({ name: 'profile', provider: ProfileCredentialsProvider.builder().build() });
  }

  if (allowEcsMetadata && !isTrue(env.ALIBABA_CLOUD_ECS_METADATA_DISABLED)) {
    const builder = ECSRAMRoleCredentialsProvider.builder();
    if (env.ALIBABA_CLOUD_ECS_METADATA) builder.withRoleName(env.ALIBABA_CLOUD_ECS_METADATA);
    candidates.push({ name: 'ecs_ram_role', provider: builder.build(), probe: true });
  }

  if (env.ALIBABA_CLOUD_CREDENTIALS_URI) {
    candidates.push({
      name: 'credential_uri',
      provider: URICredentialsProvider.builder()
        .withCredentialsURI(env.ALIBABA_CLOUD_CREDENTIALS_URI)
        .build(),
    });
  }
  return candidates;
}

function toSagCredentials(credentials: {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
}): SagCredentials | undefined {
  if (!credentials.accessKeyId || !credentials.accessKeySecret) return undefined;
  return {
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
  };
}

/**
 * Resolves the official default credential chain once and returns a source bound to the provider that
 * answered, or null when no provider is configured (the app then falls back to the emulator).
 *
 * - The ECS metadata address (100.100.100.200) is contacted only when `allowEcsMetadata` is true; when it
 *   is, a failed probe (not on ECS) also counts as "nothing found".
 * - A provider that is configured but fails (only half of an AccessKey pair, an unreadable profile, an
 *   STS call that fails) throws a SagError `SagClient.CredentialsUnavailable`: silently falling back to
 *   the emulator would make an admin believe accounts were roamed. The message names the providers
 *   tried and never quotes their errors, which can echo credentials.
 */
export async function resolveDefaultCredentialChain(options: {
  allowEcsMetadata: boolean;
}): Promise<ResolvedCredentialSource | null> {
  applyEcsMetadataPolicy(options.allowEcsMetadata);
  const candidates = await configuredCandidates(options.allowEcsMetadata);
  if (typeof candidates === 'string') throw credentialsError(candidates);
  if (candidates.length === 0) return null;

  const failed: string[] = [];
  for (const candidate of candidates) {
    let found: SagCredentials | undefined;
    try {
      found = toSagCredentials(await candidate.provider.getCredentials());
    } catch {
      found = undefined;
    }
    if (!found) {
      if (!candidate.probe) failed.push(candidate.name);
      continue;
    }
    const { provider, name } = candidate;
    const source: CredentialSource = async () => {
      let credentials: SagCredentials | undefined;
      try {
        credentials = toSagCredentials(await provider.getCredentials());
      } catch {
        credentials = undefined;
      }
      if (!credentials)
        throw credentialsError(`The ${name} credential provider no longer returns an AccessKey.`);
      return credentials;
    };
    return Object.assign(source, { providerName: name });
  }
  if (failed.length === 0) return null;
  throw credentialsError(`No AccessKey from the configured credential providers (${failed.join(', ')}).`);
}
