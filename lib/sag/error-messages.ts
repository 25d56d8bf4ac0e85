import 'server-only';
import type { AdminMessage, SagOutcome, SignatureCheck } from './errors';

/**
 * What each error code means for a network admin, and whether a retry can help.
 * Codes come from /work/shared/sag-api.md; `SagClient.*` codes are ours, for failures that never
 * produced an answer from Alibaba Cloud.
 */

export const CLIENT_ERROR_CODES = {
  /** No complete answer within the time limit. */
  timeout: 'SagClient.Timeout',
  /** Could not reach the endpoint: refused, DNS failure, TLS failure. The request was not sent. */
  connectionFailed: 'SagClient.ConnectionFailed',
  /** The connection broke after the request was sent. */
  connectionLost: 'SagClient.ConnectionLost',
  /** A success status with a body that is not readable JSON or XML. */
  malformedResponse: 'SagClient.MalformedResponse',
  /** An error status without an Alibaba Cloud error body (a proxy or load balancer answered). */
  unexpectedHttpStatus: 'SagClient.UnexpectedHttpStatus',
  /** The credential chain could not produce an AccessKey. */
  credentialsUnavailable: 'SagClient.CredentialsUnavailable',
  /** An argument was refused before anything was sent (bad region ID, empty instance ID...). */
  invalidInput: 'SagClient.InvalidInput',
} as const;

export type ErrorCategory =
  | 'roam'
  | 'signature'
  | 'access-key'
  | 'clock'
  | 'permission'
  | 'bad-request'
  | 'unknown-action'
  | 'throttling'
  | 'server'
  | 'network'
  | 'client'
  | 'unknown';

export interface ErrorContext {
  action: string;
  outcome: SagOutcome;
  signatureCheck?: SignatureCheck;
  httpStatus?: number;
}

interface CatalogEntry {
  category: ErrorCategory;
  /** Whether the same request may succeed later without anyone changing anything. */
  transient: boolean;
  describe: (context: ErrorContext) => AdminMessage;
}

const fixed = (title: string, fix: string) => (): AdminMessage => ({ title, fix });

const UNKNOWN_OUTCOME_FIX =
  'The roam may or may not have been applied. Look for the account on the target instance (its client account list) before sending it again; a blind retry can answer "already exists".';

function permission(context: ErrorContext): AdminMessage {
  return {
    title: `The AccessKey used by sag-roam is not allowed to call ${context.action}.`,
    fix: `Grant the RAM user or role the smartag:${context.action} permission (sag-roam needs smartag:RoamClientUser, smartag:DescribeRegions, smartag:DescribeSmartAccessGateways and smartag:DescribeSmartAccessGatewayClientUsers), then retry.`,
  };
}

function signature(context: ErrorContext): AdminMessage {
  if (context.signatureCheck === 'same') {
    return {
      title: 'The AccessKey secret is wrong.',
      fix: 'The request was signed exactly as Alibaba Cloud expected, but with a secret that does not belong to this AccessKey ID. Check the AccessKey secret configured for sag-roam (no stray spaces or line breaks), or create a new AccessKey pair in the RAM console.',
    };
  }
  if (context.signatureCheck === 'different') {
    return {
      title: 'The request was signed differently from what Alibaba Cloud expected.',
      fix: 'The secret may well be right: something changed the request between signing and arrival (a proxy rewriting it, a wrong endpoint) or the signer has a bug. Try the other signature version (SAG_SIGNATURE_VERSION=v2 or v3) and report the request ID.',
    };
  }
  return {
    title: 'Alibaba Cloud rejected the request signature.',
    fix: 'Check the AccessKey secret configured for sag-roam. If it is right, try the other signature version (SAG_SIGNATURE_VERSION) and report the request ID.',
  };
}

function throttling(context: ErrorContext): AdminMessage {
  return {
    title: 'Alibaba Cloud is rate-limiting this account.',
    fix:
      context.action === 'RoamClientUser'
        ? 'Nothing was changed. Wait a moment and retry; if it keeps happening, lower ROAM_RATE_PER_SECOND. Limits are counted per Alibaba Cloud account (Quota Center).'
        : 'Wait a moment and retry. Limits are counted per Alibaba Cloud account, so other tools using the same account count too (Quota Center).',
  };
}

function serverFailure(title: string) {
  return (context: ErrorContext): AdminMessage => ({
    title,
    fix:
      context.action === 'RoamClientUser' && context.outcome === 'unknown'
        ? UNKNOWN_OUTCOME_FIX
        : 'This is usually temporary. Retry in a minute; if it persists, check the Alibaba Cloud status page and report the request ID.',
  });
}

function sentButNoAnswer(titleWhenSent: string, titleWhenNotSent: string, fixWhenNotSent: string) {
  return (context: ErrorContext): AdminMessage => {
    if (context.outcome === 'not_applied') return { title: titleWhenNotSent, fix: fixWhenNotSent };
    return {
      title: titleWhenSent,
      fix:
        context.action === 'RoamClientUser'
          ? UNKNOWN_OUTCOME_FIX
          : 'Nothing is changed by this request; retry. If it keeps happening, check the network path to Alibaba Cloud (proxy, firewall).',
    };
  };
}

const NETWORK_FIX =
  'Nothing was sent. Check that this server can reach the endpoint (DNS, firewall, proxy, SAG_ENDPOINT), then retry.';

const EXACT: Record<string, CatalogEntry> = {
  // RoamClientUser (documented)
  'SAG.InstanceNoFound': {
    category: 'roam',
    transient: false,
    describe: fixed(
      'The origin or target SAG APP instance was not found.',
      'Check both instance IDs, and that the origin instance is in the origin region and the target instance in the target region; then retry.',
    ),
  },
  'ClientUser.NotSupportAction': {
    category: 'roam',
    transient: false,
    describe: fixed(
      'The target instance does not accept client accounts.',
      'Pick a SAG APP (software client) instance as the target; hardware (CPE) instances have no client accounts.',
    ),
  },
  'SAG.CidrEmpty': {
    category: 'roam',
    transient: false,
    describe: fixed(
      'The target instance has no client CIDR block configured.',
      'Configure the private CIDR block for client accounts on the target instance in the Smart Access Gateway console, then retry.',
    ),
  },
  'ClientUser.BandwidthInvalid': {
    category: 'roam',
    transient: false,
    describe: fixed(
      "The account's bandwidth is not valid on the target instance.",
      "Lower the account's bandwidth on the origin instance to a value the target instance allows (or raise the target's bandwidth), then retry.",
    ),
  },
  'ClientUser.InvalidClientIp': {
    category: 'roam',
    transient: false,
    describe: fixed(
      "The account's static client IP does not fit the target instance.",
      "Give the account an IP address inside the target instance's client CIDR block, or switch it to a dynamic IP on the origin instance, then retry.",
    ),
  },
  'ClientUser.UserOverLimit': {
    category: 'roam',
    transient: false,
    describe: fixed(
      "The target instance's client account quota is full.",
      'Delete unused client accounts on the target instance or raise its account quota (up to 2,000), then retry.',
    ),
  },
  'ClientUser.UserExist': {
    category: 'roam',
    transient: false,
    describe: fixed(
      'An account with this username already exists on the target instance.',
      'Nothing to do if it is the same person; otherwise delete or rename the account on the target, then retry.',
    ),
  },
  'ClientUser.NameInvalid': {
    category: 'roam',
    transient: false,
    describe: fixed(
      'The username is not valid.',
      'A username has 7 to 33 characters (letters, digits, _ @ . -) and starts with a letter or digit. Correct it and retry.',
    ),
  },
  'SAG.CidrOverlap': {
    category: 'roam',
    transient: false,
    describe: fixed(
      'The private CIDR blocks of the origin and target instances overlap.',
      'Roaming needs CIDR blocks that do not overlap: change the CIDR block of one instance, or pick another target instance.',
    ),
  },
  // Inferred, not documented: what our emulator answers when the username is not on the origin instance.
  'ClientUser.NotExist': {
    category: 'roam',
    transient: false,
    describe: fixed(
      'This username does not exist on the origin instance.',
      'Check the spelling and the origin instance (its client account list shows the exact usernames), then retry.',
    ),
  },

  // Inferred, not documented: our emulator's answer to a roam between two instances of one region, which
  // the product guide forbids.
  'SAG.SameRegion': {
    category: 'roam',
    transient: false,
    describe: fixed(
      'The origin and target instances are in the same region.',
      'Roaming works only between regions: pick a target instance in another region.',
    ),
  },

  // Gateway: signature, AccessKey, clock
  SignatureDoesNotMatch: { category: 'signature', transient: false, describe: signature },
  IncompleteSignature: { category: 'signature', transient: false, describe: signature },
  'InvalidAccessKeyId.NotFound': {
    category: 'access-key',
    transient: false,
    describe: fixed(
      'Alibaba Cloud does not know the AccessKey ID used by sag-roam.',
      'Check the AccessKey ID configured for sag-roam (ALIBABA_CLOUD_ACCESS_KEY_ID or the credentials profile); it may have been deleted or belong to another site (China / international).',
    ),
  },
  'InvalidAccessKeyId.Inactive': {
    category: 'access-key',
    transient: false,
    describe: fixed(
      'The AccessKey used by sag-roam is disabled.',
      'Enable the AccessKey in the RAM console, or configure an active AccessKey pair, then retry.',
    ),
  },
  'InvalidTimeStamp.Expired': {
    category: 'clock',
    transient: false,
    describe: fixed(
      "This server's clock differs from Alibaba Cloud's by more than 15 minutes.",
      'Synchronise the clock of the server that runs sag-roam (NTP), then retry.',
    ),
  },
  'InvalidTimeStamp.Format': {
    category: 'clock',
    transient: false,
    describe: fixed(
      'Alibaba Cloud could not read the request timestamp.',
      'A proxy may be altering requests, or the signer has a bug. Report the request ID.',
    ),
  },
  SignatureNonceUsed: {
    category: 'signature',
    transient: false,
    describe: fixed(
      'Alibaba Cloud has already seen this request (its one-time number was reused).',
      'This happens when something replays requests, such as a proxy. Send the request again; if it keeps happening, report the request ID.',
    ),
  },

  // Permissions
  'Forbidden.RAM': { category: 'permission', transient: false, describe: permission },
  Forbidden: { category: 'permission', transient: false, describe: permission },
  NoPermission: { category: 'permission', transient: false, describe: permission },

  // Bad request
  MissingParameter: {
    category: 'bad-request',
    transient: false,
    describe: fixed(
      'A required parameter was missing from the request.',
      'This is a bug in sag-roam, not something to fix in Alibaba Cloud. Report the error code and request ID.',
    ),
  },
  InvalidParameter: {
    category: 'bad-request',
    transient: false,
    describe: fixed(
      'Alibaba Cloud refused a parameter value.',
      'Check the region, the instance IDs and the username; the message from Alibaba Cloud names the parameter.',
    ),
  },

  // The endpoint does not offer this API
  'InvalidAction.NotFound': {
    category: 'unknown-action',
    transient: false,
    describe: fixed(
      'The endpoint does not offer this Smart Access Gateway operation.',
      'Check SAG_ENDPOINT and the region: the smartag API (version 2018-03-13) may not be available at this endpoint.',
    ),
  },
  InvalidVersion: {
    category: 'unknown-action',
    transient: false,
    describe: fixed(
      'The endpoint does not offer Smart Access Gateway API version 2018-03-13.',
      'Check SAG_ENDPOINT and the region: it may point to another product.',
    ),
  },
  'InvalidApi.NotFound': {
    category: 'unknown-action',
    transient: false,
    describe: fixed(
      'The endpoint does not offer this Smart Access Gateway operation.',
      'Check SAG_ENDPOINT and the region: the smartag API may not be available at this endpoint.',
    ),
  },
  'InvalidProduct.NotFound': {
    category: 'unknown-action',
    transient: false,
    describe: fixed(
      'The endpoint does not offer Smart Access Gateway.',
      'Check SAG_ENDPOINT and the region: the smartag API may not be available in this region.',
    ),
  },

  // Rate limits
  Throttling: { category: 'throttling', transient: true, describe: throttling },
  'Throttling.User': { category: 'throttling', transient: true, describe: throttling },
  'Throttling.Api': { category: 'throttling', transient: true, describe: throttling },

  // Server side
  ServiceUnavailable: {
    category: 'server',
    transient: true,
    describe: serverFailure('Smart Access Gateway is temporarily unavailable.'),
  },
  InternalError: {
    category: 'server',
    transient: true,
    describe: serverFailure('Alibaba Cloud had an internal error.'),
  },
  UnknownError: {
    category: 'server',
    transient: true,
    describe: serverFailure('Alibaba Cloud had an internal error.'),
  },

  // Ours
  [CLIENT_ERROR_CODES.timeout]: {
    category: 'network',
    transient: true,
    describe: sentButNoAnswer(
      'Alibaba Cloud did not answer in time.',
      'Could not connect to Alibaba Cloud in time.',
      NETWORK_FIX,
    ),
  },
  [CLIENT_ERROR_CODES.connectionFailed]: {
    category: 'network',
    transient: true,
    describe: fixed('Could not connect to Alibaba Cloud.', NETWORK_FIX),
  },
  [CLIENT_ERROR_CODES.connectionLost]: {
    category: 'network',
    transient: true,
    describe: sentButNoAnswer(
      'The connection to Alibaba Cloud broke before the answer arrived.',
      'The connection to Alibaba Cloud broke before the request was sent.',
      NETWORK_FIX,
    ),
  },
  [CLIENT_ERROR_CODES.malformedResponse]: {
    category: 'network',
    transient: false,
    describe: sentButNoAnswer(
      'Alibaba Cloud answered with something sag-roam could not read.',
      'Alibaba Cloud answered with something sag-roam could not read.',
      'Check SAG_ENDPOINT: it may point to something other than the Smart Access Gateway API (a proxy or a web page).',
    ),
  },
  [CLIENT_ERROR_CODES.unexpectedHttpStatus]: {
    category: 'network',
    transient: false,
    describe: (context) => {
      const status = context.httpStatus ? ` (HTTP ${context.httpStatus})` : '';
      if (context.action === 'RoamClientUser' && context.outcome === 'unknown') {
        return {
          title: `A proxy or load balancer answered instead of Alibaba Cloud${status}.`,
          fix: UNKNOWN_OUTCOME_FIX,
        };
      }
      return {
        title: `A proxy or load balancer answered instead of Alibaba Cloud${status}.`,
        fix: 'Check SAG_ENDPOINT and any proxy between this server and Alibaba Cloud, then retry.',
      };
    },
  },
  [CLIENT_ERROR_CODES.credentialsUnavailable]: {
    category: 'client',
    transient: false,
    describe: fixed(
      'sag-roam could not get an Alibaba Cloud AccessKey.',
      'Nothing was sent. Check the credentials configuration: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, the aliyun CLI profile (~/.aliyun/config.json), ~/.alibabacloud/credentials, or the RAM role settings.',
    ),
  },
  [CLIENT_ERROR_CODES.invalidInput]: {
    category: 'client',
    transient: false,
    describe: fixed(
      'The request was not sent because one of its values is not valid.',
      'Check the region, the instance IDs and the username, then retry.',
    ),
  },
};

/** Families the gateway documents only by pattern, tried in order when no exact code matches. */
const SECURITY_TOKEN: CatalogEntry = {
  category: 'access-key',
  transient: false,
  describe: fixed(
    'The STS security token used by sag-roam is missing, expired or does not belong to its AccessKey.',
    'Refresh the temporary credentials (ALIBABA_CLOUD_SECURITY_TOKEN with its AccessKey pair, or the role sag-roam assumes), then retry.',
  ),
};

const PATTERNS: { test: (code: string) => boolean; entry: CatalogEntry }[] = [
  { test: (code) => /^(InvalidSecurityToken\b|MissingSecurityToken$)/.test(code), entry: SECURITY_TOKEN },
  { test: (code) => code.startsWith('Throttling'), entry: EXACT.Throttling as CatalogEntry },
  { test: (code) => code.startsWith('Forbidden'), entry: EXACT.Forbidden as CatalogEntry },
  {
    test: (code) => /^InvalidAccessKeyId\b/.test(code),
    entry: EXACT['InvalidAccessKeyId.NotFound'] as CatalogEntry,
  },
  {
    test: (code) => /^Invalid(Action|Api|Product)\b|^UnsupportedOperation\b/.test(code),
    entry: EXACT['InvalidAction.NotFound'] as CatalogEntry,
  },
  {
    test: (code) => /^Missing[A-Z]/.test(code),
    entry: {
      category: 'bad-request',
      transient: false,
      describe: fixed(
        'A required parameter was missing from the request.',
        'This is a bug in sag-roam, not something to fix in Alibaba Cloud. Report the error code and request ID.',
      ),
    },
  },
  {
    test: (code) => /^Invalid[A-Z]/.test(code),
    entry: EXACT.InvalidParameter as CatalogEntry,
  },
];

const GENERIC: CatalogEntry = {
  category: 'unknown',
  transient: false,
  describe: (context) => ({
    title: 'Alibaba Cloud refused the request.',
    fix:
      context.action === 'RoamClientUser' && context.outcome === 'unknown'
        ? UNKNOWN_OUTCOME_FIX
        : 'Look up the error code and request ID below in the Alibaba Cloud documentation or give them to support.',
  }),
};

const GENERIC_SERVER: CatalogEntry = {
  category: 'server',
  transient: true,
  describe: serverFailure('Alibaba Cloud had a temporary problem.'),
};

/** The catalog entry for a code: exact match, then pattern, then generic (by HTTP status when given). */
export function lookupErrorCode(code: string, httpStatus?: number): CatalogEntry & { known: boolean } {
  const exact = Object.hasOwn(EXACT, code) ? EXACT[code] : undefined;
  if (exact) return { ...exact, known: true };
  const pattern = PATTERNS.find((candidate) => candidate.test(code));
  if (pattern) return { ...pattern.entry, known: true };
  if (httpStatus !== undefined && httpStatus >= 500) return { ...GENERIC_SERVER, known: false };
  return { ...GENERIC, known: false };
}

export function adminMessage(code: string, context: ErrorContext): AdminMessage {
  return lookupErrorCode(code, context.httpStatus).describe(context);
}

/** Every code with its own entry (for tests and documentation). */
export const DOCUMENTED_ERROR_CODES: readonly string[] = Object.keys(EXACT);
