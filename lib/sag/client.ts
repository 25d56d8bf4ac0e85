/**
 * The server-only client for the Alibaba Cloud Smart Access Gateway (smartag 2018-03-13, RPC) API.
 *
 * Decision: we sign and send requests ourselves (signature-v3.ts, signature-v2.ts, transport.ts over
 * node:http / node:https) instead of using @alicloud/openapi-core, because sag-roam needs:
 * - a time limit on every call (connect and total);
 * - to tell "certainly not applied" from "unknown outcome" for RoamClientUser, which is not idempotent:
 *   a timeout after the request was written must never look like a clean failure (see transport.ts);
 * - `x-acs-retry-after` honoured by our own backoff, and no automatic retry of RoamClientUser;
 * - our own string-to-sign, to tell a wrong AccessKey secret from a signing difference when the server
 *   answers SignatureDoesNotMatch;
 * - a small install. @alicloud/openapi-core stays a devDependency, used only by tests to check that our
 *   signatures equal the official SDK's. @alicloud/credentials resolves the official default credential
 *   chain (credentials.ts).
 *
 * Wire format: V3 (default) is `POST /` with the business parameters in the query and an empty body.
 * V2 (HMAC-SHA1) is `POST /` with every parameter, `Signature` included, in an
 * application/x-www-form-urlencoded body, so that the signature and any STS token stay out of URLs
 * (and out of proxy and access logs); the signer also supports GET for tests and diagnostics.
 */
import 'server-only';
import { randomBytes } from 'node:crypto';
import type { CredentialSource, SagCredentials } from './credentials';
import { createEndpointResolver, type EndpointResolver } from './endpoints';
import { adminMessage, CLIENT_ERROR_CODES } from './error-messages';
import { isSagError, SagError } from './errors';
import { apiFailure, type CallSpec, errorCodeOf, type PreparedRequest, transportFailure } from './failures';
import {
  clientError,
  optionalPaging,
  requireInstanceId,
  requireRegionId,
  requireUserName,
} from './input-checks';
import {
  type DeleteClientUserInput,
  type DeleteClientUserResult,
  type DescribeClientUsersInput,
  type DescribeRegionsInput,
  type DescribeSmartAccessGatewaysInput,
  type DescribeSmartAccessGatewaysPageInput,
  deleteClientUserParameters,
  describeClientUsersParameters,
  describeRegionsParameters,
  describeSmartAccessGatewaysParameters,
  type RoamClientUserInput,
  type RoamClientUserResult,
  requestIdOf,
  roamClientUserParameters,
  type SagClientUserPage,
  type SagInstance,
  type SagInstancePage,
  type SagRegion,
  SMARTAG_API_VERSION,
  toClientUserPage,
  toInstancePage,
  toRegions,
} from './operations';
import { asRequestId, type BodyObject, MalformedBodyError, parseBody } from './parse';
import { canonicalQuery } from './percent-encode';
import { type RetryPolicy, retryDelayMs } from './retry';
import { encodeParameters, signV2 } from './signature-v2';
import { signV3 } from './signature-v3';
import { createTransport, type Transport, TransportError } from './transport';

export type { CredentialSource, SagCredentials } from './credentials';
export type { AdminMessage, SagOutcome, SignatureCheck } from './errors';
export { isSagError, SagError } from './errors';
export type * from './operations';
export type { RetryPolicy } from './retry';

export interface SagClientOptions {
  credentials: CredentialSource;
  signatureVersion: 'v3' | 'v2';
  /** Fixed base URL for every region (config SAG_ENDPOINT), e.g. http://127.0.0.1:9000. */
  endpoint?: string;
  /** Limit for one attempt, from connecting to the last byte of the answer. */
  timeoutMs: number;
  /** Limit for opening a connection; defaults to min(timeoutMs, 5 s). */
  connectTimeoutMs?: number;
  /** Describe* calls only; RoamClientUser and DeleteSmartAccessGatewayClientUser are never retried automatically. */
  retry: RetryPolicy;
  /** Response format asked for; JSON by default. */
  format?: 'JSON' | 'XML';
  /** Appended to sag-roam's User-Agent. */
  userAgent?: string;
  /** Clock used for signing (tests). */
  now?: () => Date;
  /** Waits between retries (tests pass a recorder). */
  sleep?: (milliseconds: number) => Promise<void>;
  /** Jitter source in [0, 1) (tests). */
  random?: () => number;
  /** Shares endpoints learned from DescribeRegions between clients; built from `endpoint` otherwise. */
  endpointResolver?: EndpointResolver;
  /** Replaces the HTTP layer (tests). */
  transport?: Transport;
}

export interface SagClient {
  /** Roams one client account. Never retried automatically; a SagError says whether it may have been applied. */
  roamClientUser(input: RoamClientUserInput): Promise<RoamClientUserResult>;
  /**
   * Deletes one client account (the only undo of a roam). Never retried automatically: a lost answer may hide a
   * deletion, so a SagError says whether it may have been applied; list the instance before sending it again.
   */
  deleteSmartAccessGatewayClientUser(input: DeleteClientUserInput): Promise<DeleteClientUserResult>;
  /** Regions offering smartag; teaches the endpoint resolver their RegionEndpoint. */
  describeRegions(input?: DescribeRegionsInput): Promise<SagRegion[]>;
  /** Every instance matching the filters, following all pages. */
  describeSmartAccessGateways(input: DescribeSmartAccessGatewaysInput): Promise<SagInstance[]>;
  describeSmartAccessGatewaysPage(input: DescribeSmartAccessGatewaysPageInput): Promise<SagInstancePage>;
  describeSmartAccessGatewayClientUsers(input: DescribeClientUsersInput): Promise<SagClientUserPage>;
  readonly endpoints: EndpointResolver;
  /** Closes idle connections of the built-in transport. */
  close(): void;
}

const USER_AGENT = `sag-roam/0.1.0 Node.js/${process.version}`;
/** Upper bound when following pages, so a server that always says "more" cannot loop forever. */
const MAX_PAGES = 200;

function defaultSleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function newNonce(): string {
  return randomBytes(16).toString('hex');
}

export function createSagClient(options: SagClientOptions): SagClient {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new RangeError('timeoutMs must be a positive number of milliseconds.');
  }
  if (!Number.isInteger(options.retry.maxAttempts) || options.retry.maxAttempts < 1) {
    throw new RangeError('retry.maxAttempts must be a whole number from 1.');
  }
  const endpoints = options.endpointResolver ?? createEndpointResolver({ override: options.endpoint });
  const ownsTransport = options.transport === undefined;
  const transport = options.transport ?? createTransport();
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const format = options.format ?? 'JSON';
  const userAgent = options.userAgent ? `${USER_AGENT} ${options.userAgent}` : USER_AGENT;

  function prepare(spec: CallSpec, baseUrl: string, credentials: SagCredentials): PreparedRequest {
    const url = new URL(baseUrl);
    const accept = format === 'XML' ? 'application/xml' : 'application/json';
    if (options.signatureVersion === 'v3') {
      // JSON is what V3 answers by default; ask for XML explicitly when wanted.
      const query = format === 'XML' ? { ...spec.parameters, Format: 'XML' } : spec.parameters;
      const signed = signV3(
        {
          method: 'POST',
          host: url.host,
          pathname: '/',
          query,
          action: spec.action,
          version: SMARTAG_API_VERSION,
          body: '',
          headers: { accept, 'user-agent': userAgent },
          date: now(),
          nonce: newNonce(),
        },
        credentials,
      );
      const search = canonicalQuery(query);
      return {
        url: `${url.origin}/${search ? `?${search}` : ''}`,
        method: 'POST',
        headers: signed.headers,
        body: '',
        signedStrings: [signed.stringToSign, signed.canonicalRequest],
      };
    }
    const signed = signV2(
      {
        method: 'POST',
        action: spec.action,
        version: SMARTAG_API_VERSION,
        format,
        parameters: spec.parameters,
        date: now(),
        nonce: newNonce(),
      },
      credentials,
    );
    return {
      url: `${url.origin}/`,
      method: 'POST',
      headers: {
        host: url.host,
        accept,
        'user-agent': userAgent,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: encodeParameters(signed.parameters),
      signedStrings: [signed.stringToSign],
    };
  }

  async function attempt(spec: CallSpec): Promise<{ body: BodyObject; requestId: string | undefined }> {
    let baseUrl: string;
    try {
      baseUrl = endpoints.resolve(spec.regionId);
    } catch {
      throw clientError(CLIENT_ERROR_CODES.invalidInput, spec.action, 'The region ID is not valid.');
    }

    let credentials: SagCredentials;
    try {
      credentials = await options.credentials();
      if (!credentials?.accessKeyId || !credentials.accessKeySecret) throw new Error('empty');
    } catch (error) {
      const code = CLIENT_ERROR_CODES.credentialsUnavailable;
      const message =
        isSagError(error) && error.code === code
          ? error.message
          : 'The credential source did not return an AccessKey.';
      throw clientError(code, spec.action, message);
    }

    let prepared: PreparedRequest;
    try {
      prepared = prepare(spec, baseUrl, credentials);
    } catch (error) {
      throw clientError(
        CLIENT_ERROR_CODES.invalidInput,
        spec.action,
        error instanceof TypeError ? error.message : 'The request could not be signed.',
      );
    }

    let response: Awaited<ReturnType<Transport['send']>>;
    try {
      response = await transport.send({
        url: prepared.url,
        method: prepared.method,
        headers: prepared.headers,
        body: prepared.body,
        timeoutMs: options.timeoutMs,
        connectTimeoutMs: options.connectTimeoutMs,
      });
    } catch (error) {
      if (error instanceof TransportError) throw transportFailure(spec, error, baseUrl);
      throw transportFailure(
        spec,
        new TransportError('unknown_outcome', 'network', 'The request failed.'),
        baseUrl,
      );
    }

    const contentType = response.headers['content-type'];
    if (response.status >= 200 && response.status < 300) {
      let body: BodyObject;
      try {
        body = parseBody(response.body, contentType);
      } catch (error) {
        const code = CLIENT_ERROR_CODES.malformedResponse;
        const detail = error instanceof MalformedBodyError ? error.message : 'The body could not be read.';
        // The server said yes but we cannot read it: it may well have acted.
        throw new SagError({
          code,
          message: `HTTP ${response.status} with an unreadable body: ${detail}`,
          action: spec.action,
          outcome: 'unknown',
          retryable: false,
          admin: adminMessage(code, { action: spec.action, outcome: 'unknown' }),
          httpStatus: response.status,
          requestId: asRequestId(response.headers['x-acs-request-id']),
        });
      }
      if (errorCodeOf(body) !== undefined) {
        throw apiFailure(spec, response.status, response.headers, body, prepared, credentials);
      }
      return { body, requestId: requestIdOf(body) ?? asRequestId(response.headers['x-acs-request-id']) };
    }

    let errorBody: BodyObject | undefined;
    try {
      errorBody = parseBody(response.body, contentType);
    } catch {
      errorBody = undefined;
    }
    throw apiFailure(spec, response.status, response.headers, errorBody, prepared, credentials);
  }

  async function call(spec: CallSpec): Promise<{ body: BodyObject; requestId: string | undefined }> {
    for (let attemptNumber = 1; ; attemptNumber++) {
      try {
        return await attempt(spec);
      } catch (error) {
        const retry =
          spec.idempotent &&
          isSagError(error) &&
          error.retryable &&
          attemptNumber < options.retry.maxAttempts;
        if (!retry) throw error;
        const delay = retryDelayMs(attemptNumber, options.retry, error.retryAfterMs, random);
        if (delay === undefined) throw error;
        await sleep(delay);
      }
    }
  }

  function noRequestId(action: string): SagError {
    const code = CLIENT_ERROR_CODES.malformedResponse;
    return new SagError({
      code,
      message: 'A success answer without a valid RequestId: nothing proves the call was accepted.',
      action,
      outcome: 'unknown',
      retryable: false,
      admin: adminMessage(code, { action, outcome: 'unknown' }),
    });
  }

  async function describeSmartAccessGatewaysPage(input: DescribeSmartAccessGatewaysPageInput) {
    const action = 'DescribeSmartAccessGateways';
    requireRegionId(action, 'regionId', input.regionId);
    optionalPaging(action, input);
    if (input.smartAGId !== undefined) requireInstanceId(action, 'smartAGId', input.smartAGId);
    const { body } = await call({
      action,
      regionId: input.regionId,
      parameters: describeSmartAccessGatewaysParameters(input),
      idempotent: true,
    });
    return toInstancePage(body, input);
  }

  return {
    endpoints,

    async roamClientUser(input) {
      const action = 'RoamClientUser';
      requireRegionId(action, 'regionId', input.regionId);
      requireRegionId(action, 'originRegionId', input.originRegionId);
      requireInstanceId(action, 'originSmartAGId', input.originSmartAGId);
      requireInstanceId(action, 'targetSmartAGId', input.targetSmartAGId);
      requireUserName(action, 'userName', input.userName);
      const { requestId } = await call({
        action,
        regionId: input.regionId,
        parameters: roamClientUserParameters(input),
        idempotent: false,
      });
      // The RequestId is what the record shows as proof of the roam, and nothing else is in the answer. An
      // answer without one proves nothing: whether the roam happened is unknown, to be checked on the target.
      if (requestId === undefined) throw noRequestId(action);
      return { requestId };
    },

    async deleteSmartAccessGatewayClientUser(input) {
      const action = 'DeleteSmartAccessGatewayClientUser';
      requireRegionId(action, 'regionId', input.regionId);
      requireInstanceId(action, 'smartAGId', input.smartAGId);
      requireUserName(action, 'userName', input.userName);
      const { requestId } = await call({
        action,
        regionId: input.regionId,
        parameters: deleteClientUserParameters(input),
        idempotent: false,
      });
      // As for a roam: without a RequestId nothing proves the deletion was accepted.
      if (requestId === undefined) throw noRequestId(action);
      return { requestId };
    },

    async describeRegions(input = {}) {
      const { body } = await call({
        action: 'DescribeRegions',
        regionId: endpoints.discoveryRegionId,
        parameters: describeRegionsParameters(input),
        idempotent: true,
      });
      const regions = toRegions(body);
      endpoints.learn(regions);
      return regions;
    },

    describeSmartAccessGatewaysPage,

    async describeSmartAccessGateways(input) {
      const pageSize = input.pageSize ?? 50;
      const byId = new Map<string, SagInstance>();
      for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
        const page = await describeSmartAccessGatewaysPage({ ...input, pageNumber, pageSize });
        // Instances created or deleted between pages can shift items; keep the first sighting.
        for (const instance of page.instances) {
          if (!byId.has(instance.smartAGId)) byId.set(instance.smartAGId, instance);
        }
        const effectivePageSize = page.pageSize > 0 ? page.pageSize : pageSize;
        if (page.instances.length === 0 || pageNumber * effectivePageSize >= page.totalCount) break;
      }
      return [...byId.values()];
    },

    async describeSmartAccessGatewayClientUsers(input) {
      const action = 'DescribeSmartAccessGatewayClientUsers';
      requireRegionId(action, 'regionId', input.regionId);
      requireInstanceId(action, 'smartAGId', input.smartAGId);
      optionalPaging(action, input, 100);
      if (input.userName !== undefined) requireUserName(action, 'userName', input.userName);
      const { body } = await call({
        action,
        regionId: input.regionId,
        parameters: describeClientUsersParameters(input),
        idempotent: true,
      });
      return toClientUserPage(body, input);
    },

    close() {
      if (ownsTransport) transport.close();
    },
  };
}
