import 'server-only';
import { isValidRegionId } from './endpoints';
import { adminMessage, CLIENT_ERROR_CODES } from './error-messages';
import { SagError } from './errors';

// The arguments of every call, checked before anything is signed or sent: a value the API would refuse, or one
// that could change the request's meaning, is a SagClient.InvalidInput that certainly changed nothing.

const SMART_AG_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** A failure of ours that sent nothing (or nothing more): certainly not applied, not worth retrying. */
export function clientError(
  code: (typeof CLIENT_ERROR_CODES)[keyof typeof CLIENT_ERROR_CODES],
  action: string,
  message: string,
  requestId?: string,
): SagError {
  return new SagError({
    code,
    message,
    action,
    outcome: 'not_applied',
    retryable: false,
    admin: adminMessage(code, { action, outcome: 'not_applied' }),
    requestId,
  });
}

function validationError(action: string, message: string): SagError {
  return clientError(CLIENT_ERROR_CODES.invalidInput, action, message);
}

export function requireRegionId(action: string, name: string, value: unknown): void {
  if (typeof value !== 'string' || !isValidRegionId(value)) {
    throw validationError(action, `${name} is not a region ID such as cn-shanghai.`);
  }
}

export function requireInstanceId(action: string, name: string, value: unknown): void {
  if (typeof value !== 'string' || !SMART_AG_ID.test(value)) {
    throw validationError(action, `${name} is not an instance ID such as sag-m9uhqekwnqcnyy1234.`);
  }
}

function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const unit = value.charCodeAt(index);
    if (unit < 0x20 || unit === 0x7f) return true;
  }
  return false;
}

export function requireUserName(action: string, name: string, value: unknown): void {
  // The username rules themselves are the API's (ClientUser.NameInvalid) and the form schema's business.
  if (typeof value !== 'string' || value.length === 0 || value.length > 256 || hasControlCharacter(value)) {
    throw validationError(action, `${name} must be a non-empty name without control characters.`);
  }
}

/**
 * Page bounds as documented: DescribeSmartAccessGateways takes 1 to 50; DescribeSmartAccessGatewayClientUsers
 * up to 100 (its older document; the current ones give no bound).
 */
export function optionalPaging(
  action: string,
  input: { pageNumber?: number; pageSize?: number },
  maxPageSize = 50,
): void {
  const { pageNumber, pageSize } = input;
  if (pageNumber !== undefined && (!Number.isInteger(pageNumber) || pageNumber < 1)) {
    throw validationError(action, 'pageNumber must be a whole number from 1.');
  }
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize)) {
    throw validationError(action, `pageSize must be a whole number from 1 to ${maxPageSize}.`);
  }
}
