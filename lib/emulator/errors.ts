// Error answers of the emulated gateway and of the smartag service, with the HTTP status and message text
// the real ones use (messages checked against public error tables and SDK issue threads where possible).

export interface ApiError {
  status: number;
  code: string;
  message: string;
  /** Extra headers, e.g. `x-acs-retry-after` on throttling. */
  headers?: Record<string, string>;
}

export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(`${error.code}: ${error.message}`);
    this.name = 'ApiFailure';
  }
}

function fail(status: number, code: string, message: string, headers?: Record<string, string>): ApiFailure {
  return new ApiFailure(headers ? { status, code, message, headers } : { status, code, message });
}

const STRING_TO_SIGN_PREFIX = ' server string to sign is:';

/** Gateway errors (POP): authentication, routing, flow control, transient faults. */
export const gatewayErrors = {
  missingParameter: (name: string) =>
    fail(
      400,
      'MissingParameter',
      `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    ),
  invalidParameter: (name: string) =>
    fail(400, 'InvalidParameter', `The specified parameter "${name}" is not valid.`),
  invalidVersion: () => fail(400, 'InvalidVersion', 'Specified parameter Version is not valid.'),
  actionNotFound: () =>
    fail(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
  incompleteSignature: (serverStringToSign?: string) =>
    fail(
      400,
      'IncompleteSignature',
      `The request signature does not conform to Aliyun standards.${
        serverStringToSign === undefined ? '' : `${STRING_TO_SIGN_PREFIX}${serverStringToSign}`
      }`,
    ),
  invalidSignatureMethod: () =>
    fail(400, 'InvalidSignatureMethod', 'Specified signature method is not supported.'),
  /** V2 wording of the real gateway; the V3 wording says "does not match our calculation". */
  signatureDoesNotMatch: (scheme: 'v2' | 'v3', serverStringToSign: string) =>
    fail(
      400,
      'SignatureDoesNotMatch',
      `${
        scheme === 'v2'
          ? 'Specified signature is not matched with our calculation.'
          : 'Specified signature does not match our calculation.'
      }${STRING_TO_SIGN_PREFIX}${serverStringToSign}`,
    ),
  accessKeyNotFound: () => fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
  accessKeyInactive: () => fail(400, 'InvalidAccessKeyId.Inactive', 'Specified access key is disabled.'),
  timestampExpired: () =>
    fail(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'),
  timestampFormat: () =>
    fail(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.'),
  nonceUsed: () => fail(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
  missingSecurityToken: () =>
    fail(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.'),
  securityTokenMismatch: () =>
    fail(
      400,
      'InvalidSecurityToken.MismatchWithAccessKey',
      'Specified SecurityToken mismatch with the AccessKey.',
    ),
  securityTokenExpired: () =>
    fail(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.'),
  forbiddenRam: () =>
    fail(
      403,
      'Forbidden.RAM',
      "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
    ),
  throttled: (status: 400 | 429, code: string, retryAfterMs: number) =>
    fail(status, code, 'Request was denied due to user flow control.', {
      'x-acs-retry-after': String(Math.max(0, Math.ceil(retryAfterMs))),
    }),
  internalError: () =>
    fail(
      500,
      'InternalError',
      'The request processing has failed due to some unknown error, exception or failure.',
    ),
  serviceUnavailable: () =>
    fail(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'),
} as const;

/** Business-parameter checks answered by the API itself (`Missing<Name>`, `Invalid<Name>`). */
export const parameterErrors = {
  missing: (name: string) => fail(400, `Missing${name}`, `${name} is mandatory for this action.`),
  invalid: (name: string) => fail(400, `Invalid${name}`, `Specified parameter ${name} is not valid.`),
} as const;

/** smartag service errors; texts of the documented ones are those of the RoamClientUser API page unless noted. */
export const smartagErrors = {
  instanceNotFound: () => fail(400, 'SAG.InstanceNoFound', 'The specified SAG instance does not exist.'),
  notSupportAction: () =>
    fail(400, 'ClientUser.NotSupportAction', 'You cannot create a user in the current SAG instance.'),
  cidrEmpty: () => fail(400, 'SAG.CidrEmpty', 'You must specify the CIDR blocks of SAG.'),
  bandwidthInvalid: () => fail(400, 'ClientUser.BandwidthInvalid', 'The specified Bandwidth is invalid.'),
  invalidClientIp: () => fail(400, 'ClientUser.InvalidClientIp', 'The specified ClientIp is invalid.'),
  userOverLimit: () => fail(400, 'ClientUser.UserOverLimit', 'The maximum number of users is exceeded.'),
  userExist: () => fail(400, 'ClientUser.UserExist', 'The specified user already exists.'),
  nameInvalid: () => fail(400, 'ClientUser.NameInvalid', 'The specified UserName is invalid.'),
  cidrOverlap: () => fail(400, 'SAG.CidrOverlap', 'The specified CIDR overlaps with an existing CIDR.'),
  /**
   * Inferred: no source documents the answer for a username missing on the origin instance (RoamClientUser) or
   * on the instance named (DeleteSmartAccessGatewayClientUser).
   */
  userNotExist: () => fail(400, 'ClientUser.NotExist', 'The specified user does not exist.'),
  /** DeleteSmartAccessGatewayClientUser (documented, with this text): the account was used this month. */
  userInUsing: () =>
    fail(
      400,
      'ClientUser.UserInUsing',
      'The specified SAG user account is already in use this month. You cannot delete it.',
    ),
  /** DeleteSmartAccessGatewayClientUser without SmartAGId (documented code; the text is the emulator's). */
  instanceIdEmpty: () => fail(400, 'SAG.InstanceIdEmpty', 'You must specify the SAG instance ID.'),
  /** DeleteSmartAccessGatewayClientUser without UserName (documented code; the text is the emulator's). */
  nameEmpty: () => fail(400, 'ClientUser.NameEmpty', 'You must specify the UserName.'),
  /** Inferred: the console refuses same-area roaming; the API's code for it is not documented. */
  sameRegion: () =>
    fail(
      400,
      'SAG.SameRegion',
      'The origin and target SAG instances are in the same region; roaming needs two different regions.',
    ),
} as const;
