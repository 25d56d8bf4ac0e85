// The official Alibaba Cloud SDK's generic client (@alicloud/openapi-core) pointed at the emulator, called the
// way the generated smartag SDK calls an RPC action (POST /, parameters in the query or a form body). It shares
// no code with the emulator or lib/sag, so a call it gets through means they agree with Alibaba Cloud's own
// signer and parser. Used by the emulator's tests, the lib/sag interop tests and the benchmark.
import OpenApi, { $OpenApiUtil } from '@alicloud/openapi-core';
import { API_VERSION, DEMO_ACCESS_KEY, type Emulator } from '@/lib/emulator';

export type OfficialRuntimeOptions = Parameters<OpenApi['callApi']>[2];

export interface OfficialClientOptions {
  /** 'v2' signs with HMAC-SHA1 (signature version 1.0); otherwise the SDK's default, V3 (ACS3-HMAC-SHA256). */
  algorithm?: 'v2' | 'v3';
  /** The emulator's demo key unless given. */
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
}

/** What an admin's script would hold: one official client for the emulator, over plain HTTP. */
export function officialClient(
  emulator: Pick<Emulator, 'endpoint'>,
  options: OfficialClientOptions = {},
): OpenApi {
  return new OpenApi(
    new $OpenApiUtil.Config({
      accessKeyId: options.accessKeyId ?? DEMO_ACCESS_KEY.accessKeyId,
      accessKeySecret: options.accessKeySecret ?? DEMO_ACCESS_KEY.accessKeySecret,
      ...(options.securityToken ? { securityToken: options.securityToken } : {}),
      endpoint: emulator.endpoint,
      protocol: 'http',
      ...(options.algorithm === 'v2' ? { signatureAlgorithm: 'v2' } : {}),
    }),
  );
}

export interface RpcActionOptions {
  /** 'json' parses the answer; 'string' returns its body raw (for XML). */
  bodyType?: 'json' | 'string';
  /** The emulator's API version unless given. */
  version?: string;
}

/** The `callApi` parameters of one RPC action, as the generated smartag SDK builds them. */
export function rpcAction(action: string, options: RpcActionOptions = {}): $OpenApiUtil.Params {
  return new $OpenApiUtil.Params({
    action,
    version: options.version ?? API_VERSION,
    protocol: 'HTTP',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: options.bodyType ?? 'json',
  });
}

export interface SdkCallOptions extends OfficialClientOptions, RpcActionOptions {
  algorithm: 'v2' | 'v3';
  action: string;
  query?: Record<string, string>;
  /** Sent as a form body instead of the query (V3 `formData`). */
  body?: Record<string, string>;
  readTimeout?: number;
}

export interface SdkAnswer {
  statusCode: number;
  headers: Record<string, string>;
  /** The JSON the SDK parsed, or the raw body text with `bodyType: 'string'`. */
  body: unknown;
}

/** One call through a new official client, with short timeouts so that a test never waits on a hung answer. */
export async function sdkCall(
  emulator: Pick<Emulator, 'endpoint'>,
  options: SdkCallOptions,
): Promise<SdkAnswer> {
  const request = new $OpenApiUtil.OpenApiRequest({
    query: options.query ?? {},
    ...(options.body ? { body: options.body } : {}),
  });
  const runtime = {
    readTimeout: options.readTimeout ?? 5_000,
    connectTimeout: 2_000,
  } as unknown as OfficialRuntimeOptions;
  return (await officialClient(emulator, options).callApi(
    rpcAction(options.action, options),
    request,
    runtime,
  )) as SdkAnswer;
}

/** The SDK call's rejection, for `expect(...).toMatchObject({ code })`. */
export async function sdkError(emulator: Pick<Emulator, 'endpoint'>, options: SdkCallOptions) {
  try {
    await sdkCall(emulator, options);
  } catch (error) {
    return error as { code?: string; statusCode?: number; message: string; data?: Record<string, unknown> };
  }
  throw new Error(`${options.action} unexpectedly succeeded`);
}

/** The error code an official SDK rejection carries. */
export function officialErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : 'SDK error without a code';
}
