import 'server-only';
import type { SagCredentials } from './credentials';
import { adminMessage, CLIENT_ERROR_CODES, lookupErrorCode } from './error-messages';
import { redactSecrets, SagError, type SagOutcome, type SignatureCheck } from './errors';
import type { RpcParameters } from './operations';
import {
  asRequestId,
  asString,
  type BodyObject,
  field,
  MAX_ERROR_CODE_LENGTH,
  MAX_ERROR_MESSAGE_LENGTH,
  truncateText,
} from './parse';
import { parseRetryAfterMs } from './retry';
import type { TransportError } from './transport';

// What a failed call means, as a SagError: a request that never left or lost its answer (transportFailure),
// and an answer that is an error, or a success status carrying one (apiFailure). Used by client.ts only.

/** HostId is a host name; Recommend a diagnosis URL. Both are shown, never needed whole. */
const MAX_HOST_ID_LENGTH = 256;
const MAX_RECOMMEND_LENGTH = 2_048;
const SIGNATURE_ECHO_MARKER = 'server string to sign is:';

export interface CallSpec {
  action: string;
  regionId: string;
  parameters: RpcParameters;
  /** Describe* are; RoamClientUser and DeleteSmartAccessGatewayClientUser are not. */
  idempotent: boolean;
}

export interface PreparedRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  /** What we signed, to compare with the server's echo on SignatureDoesNotMatch. */
  signedStrings: string[];
}

export function transportFailure(spec: CallSpec, error: TransportError, baseUrl: string): SagError {
  const outcome: SagOutcome = error.kind === 'not_sent' ? 'not_applied' : 'unknown';
  let code: string;
  if (error.reason === 'timeout' || error.reason === 'connect_timeout') code = CLIENT_ERROR_CODES.timeout;
  else if (error.reason === 'response_too_large') code = CLIENT_ERROR_CODES.malformedResponse;
  else
    code =
      outcome === 'not_applied' ? CLIENT_ERROR_CODES.connectionFailed : CLIENT_ERROR_CODES.connectionLost;
  return new SagError({
    code,
    message: `${error.message} Endpoint: ${baseUrl}.`,
    action: spec.action,
    outcome,
    // Safe to send again when nothing can have happened, or when sending twice changes nothing.
    retryable: spec.idempotent || outcome === 'not_applied',
    admin: adminMessage(code, { action: spec.action, outcome }),
  });
}

function signatureCheckFor(serverMessage: string, signedStrings: string[]): SignatureCheck {
  const at = serverMessage.toLowerCase().indexOf(SIGNATURE_ECHO_MARKER);
  if (at < 0) return 'unavailable';
  const echoed = serverMessage.slice(at + SIGNATURE_ECHO_MARKER.length).trim();
  if (echoed === '') return 'unavailable';
  const candidates = [echoed, echoed.replace(/\\n/g, '\n')];
  return signedStrings.some((ours) => candidates.includes(ours.trim())) ? 'same' : 'different';
}

/** The `Code` of an answer, capped: a code is an identifier, and a long one is still an error. */
export function errorCodeOf(body: BodyObject | undefined): string | undefined {
  const code = body ? asString(field(body, 'Code', 'code')) : undefined;
  return code ? truncateText(code, MAX_ERROR_CODE_LENGTH) : undefined;
}

export function apiFailure(
  spec: CallSpec,
  status: number,
  headers: Record<string, string>,
  body: BodyObject | undefined,
  prepared: PreparedRequest,
  credentials: SagCredentials,
): SagError {
  const secrets = [credentials.accessKeySecret, credentials.securityToken];
  const headerRequestId = asRequestId(headers['x-acs-request-id']);
  const code = errorCodeOf(body);
  if (!code) {
    // Not an Alibaba Cloud error body: a proxy or load balancer answered. A 5xx there (502, 504) may
    // come after the API acted.
    const outcome: SagOutcome = status >= 500 ? 'unknown' : 'not_applied';
    const transient = status >= 500 || status === 429;
    const errorCode = CLIENT_ERROR_CODES.unexpectedHttpStatus;
    return new SagError({
      code: errorCode,
      message: `HTTP ${status} without an Alibaba Cloud error body.`,
      action: spec.action,
      outcome,
      retryable: transient && (spec.idempotent || outcome === 'not_applied'),
      admin: adminMessage(errorCode, { action: spec.action, outcome, httpStatus: status }),
      httpStatus: status,
      requestId: headerRequestId,
      retryAfterMs: parseRetryAfterMs(headers['x-acs-retry-after']),
    });
  }
  const entry = lookupErrorCode(code, status);
  const succeeded = status >= 200 && status < 300;
  // An error answer means the API did not apply the call, unless the API itself failed (5xx,
  // InternalError...), which can happen after part of the work was done.
  // A success status with an error code contradicts itself, and which half is wrong cannot be told: the
  // code is kept (the admin reads what the server said), but the outcome is unknown. Taking the code at its
  // word would record "failed" for a roam the status says was done; the worker instead checks the target,
  // which settles it either way for one read.
  const outcome: SagOutcome =
    succeeded || status >= 500 || entry.category === 'server' ? 'unknown' : 'not_applied';
  let message = asString(field(body as BodyObject, 'Message', 'message')) ?? '';
  let signatureCheck: SignatureCheck | undefined;
  if (code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature') {
    signatureCheck = signatureCheckFor(message, prepared.signedStrings);
    // The echoed string-to-sign can hold the AccessKey ID and, under V2 with STS, the security token.
    const at = message.toLowerCase().indexOf(SIGNATURE_ECHO_MARKER);
    if (at >= 0) message = message.slice(0, at).trim();
    if (message === '') message = 'The request signature does not match.';
  }
  const recommend = asString(field(body as BodyObject, 'Recommend', 'recommend'));
  const hostId = asString(field(body as BodyObject, 'HostId', 'hostId'));
  // Secrets are taken out of the whole text first: a cut could leave part of one behind.
  message = redactSecrets(message, secrets);
  if (succeeded) message = `HTTP ${status} (a success status) with error code ${code}: ${message}`;
  return new SagError({
    code,
    message: truncateText(message, MAX_ERROR_MESSAGE_LENGTH),
    action: spec.action,
    outcome,
    retryable: entry.transient && (spec.idempotent || outcome === 'not_applied'),
    admin: adminMessage(code, { action: spec.action, outcome, signatureCheck, httpStatus: status }),
    requestId: asRequestId(field(body as BodyObject, 'RequestId', 'requestId')) ?? headerRequestId,
    hostId:
      hostId === undefined ? undefined : truncateText(redactSecrets(hostId, secrets), MAX_HOST_ID_LENGTH),
    httpStatus: status,
    recommend:
      recommend === undefined
        ? undefined
        : truncateText(redactSecrets(recommend, secrets), MAX_RECOMMEND_LENGTH),
    retryAfterMs: parseRetryAfterMs(headers['x-acs-retry-after']),
    signatureCheck,
  });
}
