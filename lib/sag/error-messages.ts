import 'server-only';
import { type ApiErrorKey, apiErrorTranslator } from '@/lib/i18n/api-errors';
import { DEFAULT_LOCALE, type Locale } from '@/lib/i18n/locales';
import type { Values } from '@/lib/i18n/translate';
import type { AdminMessage, SagOutcome, SignatureCheck } from './errors';

/**
 * What each error code means for a network admin, and whether a retry can help.
 * Codes come from docs/sag-api.md; `SagClient.*` codes are ours, for failures that never
 * produced an answer from Alibaba Cloud.
 *
 * This file classifies and chooses: which texts (catalogue keys and their values) fit an error in its
 * context. The texts themselves live in the API error catalogues of lib/i18n (api-errors.en.ts and its
 * translations), where a text missing from a translation fails the type check. English is the default
 * everywhere (`SagError.admin`, logs); ask for `zh-CN` where a person reads the message.
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
  /** An account list that did not end within the page cap: what it lacks proves nothing. */
  listingIncomplete: 'SagClient.ListingIncomplete',
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
  /**
   * For a roam: the instances the job's own plan found, in their regions, to be SAG APP instances. An error
   * about "the origin or the target" whose cause such an instance cannot have (not found, a hardware instance)
   * is then about the other one, and says so. Without it, such an error names both.
   */
  foundByPlan?: { origin: boolean; target: boolean };
}

interface CatalogEntry {
  category: ErrorCategory;
  /** Whether the same request may succeed later without anyone changing anything. */
  transient: boolean;
  /** The message for this context, in English unless another locale is asked for. */
  describe: (context: ErrorContext, locale?: Locale) => AdminMessage;
}

/** A catalogue text: its key, with the values of its placeholders when it has any. */
type Text = ApiErrorKey | { key: ApiErrorKey; values: Values };

interface MessageKeys {
  title: Text;
  fix: Text;
}

function localized(choose: (context: ErrorContext) => MessageKeys): CatalogEntry['describe'] {
  return (context, locale = DEFAULT_LOCALE) => {
    const t = apiErrorTranslator(locale);
    const render = (text: Text) => (typeof text === 'string' ? t(text) : t(text.key, text.values));
    const { title, fix } = choose(context);
    return { title: render(title), fix: render(fix) };
  };
}

const fixed = (title: ApiErrorKey, fix: ApiErrorKey) => localized(() => ({ title, fix }));

const DELETE_ACTION = 'DeleteSmartAccessGatewayClientUser';
const ROAM_ACTION = 'RoamClientUser';

/**
 * The fix for a call that changes state and may or may not have been applied: look before sending it again.
 * Undefined for every other call and outcome.
 */
function checkFirstFix(context: ErrorContext): ApiErrorKey | undefined {
  if (context.outcome !== 'unknown') return undefined;
  if (context.action === 'RoamClientUser') return 'unknownOutcome.fix';
  if (context.action === DELETE_ACTION) return 'unknownDelete.fix';
  return undefined;
}

/** A code's own texts, with other ones when the call was a deletion (one instance, not origin and target). */
function fixedOrForDelete(
  title: ApiErrorKey,
  fix: ApiErrorKey,
  deleteTitle: ApiErrorKey,
  deleteFix: ApiErrorKey,
) {
  return localized((context) =>
    context.action === DELETE_ACTION ? { title: deleteTitle, fix: deleteFix } : { title, fix },
  );
}

/**
 * An error about an instance. RoamClientUser names two, and its answer does not say which one it is about: the
 * texts name both, or the one the job's plan did not find usable (ErrorContext.foundByPlan). Every other call
 * (a deletion, an account list, an instance list) names one instance, so its text speaks of that one.
 */
function aboutAnInstance(texts: {
  /** Either of the two (the answer does not say which). */
  either: MessageKeys;
  origin: MessageKeys;
  target: MessageKeys;
  /** The one instance of any other call. */
  one: MessageKeys;
}) {
  return localized(({ action, foundByPlan }) => {
    if (action !== ROAM_ACTION) return texts.one;
    if (foundByPlan?.origin && !foundByPlan.target) return texts.target;
    if (foundByPlan?.target && !foundByPlan.origin) return texts.origin;
    return texts.either;
  });
}

/** Every `x` of the catalogue that has both an `x.title` and an `x.fix` (a code, or a variant of one). */
type TextPair = {
  [Key in ApiErrorKey]: Key extends `${infer Base}.title`
    ? `${Base}.fix` extends ApiErrorKey
      ? Base
      : never
    : never;
}[ApiErrorKey];

function textsOf(base: TextPair): MessageKeys {
  return { title: `${base}.title` as ApiErrorKey, fix: `${base}.fix` as ApiErrorKey };
}

const permission = localized(({ action }) => ({
  title: { key: 'permission.title', values: { action } },
  fix: { key: 'permission.fix', values: { action } },
}));

/** What re-signing the refused request showed decides between a wrong secret and a signing difference. */
const signature = localized(({ signatureCheck }): MessageKeys => {
  if (signatureCheck === 'same') {
    return { title: 'signature.wrongSecret.title', fix: 'signature.wrongSecret.fix' };
  }
  if (signatureCheck === 'different') {
    return { title: 'signature.signedDifferently.title', fix: 'signature.signedDifferently.fix' };
  }
  return { title: 'signature.rejected.title', fix: 'signature.rejected.fix' };
});

const throttling = localized(({ action }) => ({
  title: 'throttling.title',
  fix: action === 'RoamClientUser' ? 'throttling.roam.fix' : 'throttling.other.fix',
}));

function serverFailure(title: ApiErrorKey) {
  return localized((context) => ({ title, fix: checkFirstFix(context) ?? 'serverFailure.fix' }));
}

function sentButNoAnswer(
  titleWhenSent: ApiErrorKey,
  titleWhenNotSent: ApiErrorKey,
  fixWhenNotSent: ApiErrorKey,
) {
  return localized((context) => {
    if (context.outcome === 'not_applied') return { title: titleWhenNotSent, fix: fixWhenNotSent };
    return { title: titleWhenSent, fix: checkFirstFix(context) ?? 'noAnswer.fix' };
  });
}

const EXACT: Record<string, CatalogEntry> = {
  // RoamClientUser (documented)
  'SAG.InstanceNoFound': {
    category: 'roam',
    transient: false,
    describe: aboutAnInstance({
      either: textsOf('SAG.InstanceNoFound'),
      origin: textsOf('SAG.InstanceNoFound.origin'),
      target: textsOf('SAG.InstanceNoFound.target'),
      one: textsOf('SAG.InstanceNoFound.oneInstance'),
    }),
  },
  // Documented as about the target, but a hardware origin answers it too (the emulator does, as the API is
  // inferred to): named as either, unless the plan found one of them to be a SAG APP instance.
  'ClientUser.NotSupportAction': {
    category: 'roam',
    transient: false,
    describe: aboutAnInstance({
      either: textsOf('ClientUser.NotSupportAction'),
      origin: textsOf('ClientUser.NotSupportAction.origin'),
      target: textsOf('ClientUser.NotSupportAction.target'),
      one: textsOf('ClientUser.NotSupportAction.oneInstance'),
    }),
  },
  'SAG.CidrEmpty': {
    category: 'roam',
    transient: false,
    describe: fixed('SAG.CidrEmpty.title', 'SAG.CidrEmpty.fix'),
  },
  'ClientUser.BandwidthInvalid': {
    category: 'roam',
    transient: false,
    describe: fixed('ClientUser.BandwidthInvalid.title', 'ClientUser.BandwidthInvalid.fix'),
  },
  'ClientUser.InvalidClientIp': {
    category: 'roam',
    transient: false,
    describe: fixed('ClientUser.InvalidClientIp.title', 'ClientUser.InvalidClientIp.fix'),
  },
  'ClientUser.UserOverLimit': {
    category: 'roam',
    transient: false,
    describe: fixed('ClientUser.UserOverLimit.title', 'ClientUser.UserOverLimit.fix'),
  },
  // Ours: the plan skipped the username, so no call was made (lib/roam/lifecycle.ts plannedItem).
  'SagRoam.NotOnOrigin': {
    category: 'roam',
    transient: false,
    describe: fixed('SagRoam.NotOnOrigin.title', 'SagRoam.NotOnOrigin.fix'),
  },
  'SagRoam.OverQuota': {
    category: 'roam',
    transient: false,
    describe: fixed('SagRoam.OverQuota.title', 'SagRoam.OverQuota.fix'),
  },
  'ClientUser.UserExist': {
    category: 'roam',
    transient: false,
    describe: fixed('ClientUser.UserExist.title', 'ClientUser.UserExist.fix'),
  },
  'ClientUser.NameInvalid': {
    category: 'roam',
    transient: false,
    describe: fixed('ClientUser.NameInvalid.title', 'ClientUser.NameInvalid.fix'),
  },
  'SAG.CidrOverlap': {
    category: 'roam',
    transient: false,
    describe: fixed('SAG.CidrOverlap.title', 'SAG.CidrOverlap.fix'),
  },
  // Inferred, not documented: what our emulator answers when the username is not on the origin instance (or,
  // for a deletion, on the instance named).
  'ClientUser.NotExist': {
    category: 'roam',
    transient: false,
    describe: fixedOrForDelete(
      'ClientUser.NotExist.title',
      'ClientUser.NotExist.fix',
      'ClientUser.NotExist.delete.title',
      'ClientUser.NotExist.delete.fix',
    ),
  },

  // DeleteSmartAccessGatewayClientUser (documented)
  'ClientUser.UserInUsing': {
    category: 'roam',
    transient: false,
    describe: fixed('ClientUser.UserInUsing.title', 'ClientUser.UserInUsing.fix'),
  },
  // The client checks both before sending: the API's answer means a bug of ours.
  'SAG.InstanceIdEmpty': {
    category: 'bad-request',
    transient: false,
    describe: fixed('SAG.InstanceIdEmpty.title', 'reportBug.fix'),
  },
  'ClientUser.NameEmpty': {
    category: 'bad-request',
    transient: false,
    describe: fixed('ClientUser.NameEmpty.title', 'reportBug.fix'),
  },

  // Inferred, not documented: our emulator's answer to a roam between two instances of one region, which
  // the product guide forbids.
  'SAG.SameRegion': {
    category: 'roam',
    transient: false,
    describe: fixed('SAG.SameRegion.title', 'SAG.SameRegion.fix'),
  },

  // Gateway: signature, AccessKey, clock
  SignatureDoesNotMatch: { category: 'signature', transient: false, describe: signature },
  IncompleteSignature: { category: 'signature', transient: false, describe: signature },
  'InvalidAccessKeyId.NotFound': {
    category: 'access-key',
    transient: false,
    describe: fixed('InvalidAccessKeyId.NotFound.title', 'InvalidAccessKeyId.NotFound.fix'),
  },
  'InvalidAccessKeyId.Inactive': {
    category: 'access-key',
    transient: false,
    describe: fixed('InvalidAccessKeyId.Inactive.title', 'InvalidAccessKeyId.Inactive.fix'),
  },
  'InvalidTimeStamp.Expired': {
    category: 'clock',
    transient: false,
    describe: fixed('InvalidTimeStamp.Expired.title', 'InvalidTimeStamp.Expired.fix'),
  },
  'InvalidTimeStamp.Format': {
    category: 'clock',
    transient: false,
    describe: fixed('InvalidTimeStamp.Format.title', 'InvalidTimeStamp.Format.fix'),
  },
  SignatureNonceUsed: {
    category: 'signature',
    transient: false,
    describe: fixed('SignatureNonceUsed.title', 'SignatureNonceUsed.fix'),
  },

  // Permissions
  'Forbidden.RAM': { category: 'permission', transient: false, describe: permission },
  Forbidden: { category: 'permission', transient: false, describe: permission },
  NoPermission: { category: 'permission', transient: false, describe: permission },

  // Bad request
  MissingParameter: {
    category: 'bad-request',
    transient: false,
    describe: fixed('missingParameter.title', 'reportBug.fix'),
  },
  InvalidParameter: {
    category: 'bad-request',
    transient: false,
    describe: fixed('InvalidParameter.title', 'InvalidParameter.fix'),
  },

  // The endpoint does not offer this API
  'InvalidAction.NotFound': {
    category: 'unknown-action',
    transient: false,
    describe: fixed('unknownOperation.title', 'InvalidAction.NotFound.fix'),
  },
  InvalidVersion: {
    category: 'unknown-action',
    transient: false,
    describe: fixed('InvalidVersion.title', 'InvalidVersion.fix'),
  },
  'InvalidApi.NotFound': {
    category: 'unknown-action',
    transient: false,
    describe: fixed('unknownOperation.title', 'InvalidApi.NotFound.fix'),
  },
  'InvalidProduct.NotFound': {
    category: 'unknown-action',
    transient: false,
    describe: fixed('InvalidProduct.NotFound.title', 'InvalidProduct.NotFound.fix'),
  },

  // Rate limits
  Throttling: { category: 'throttling', transient: true, describe: throttling },
  'Throttling.User': { category: 'throttling', transient: true, describe: throttling },
  'Throttling.Api': { category: 'throttling', transient: true, describe: throttling },

  // Server side
  ServiceUnavailable: {
    category: 'server',
    transient: true,
    describe: serverFailure('ServiceUnavailable.title'),
  },
  InternalError: { category: 'server', transient: true, describe: serverFailure('internalError.title') },
  UnknownError: { category: 'server', transient: true, describe: serverFailure('internalError.title') },

  // Ours
  [CLIENT_ERROR_CODES.timeout]: {
    category: 'network',
    transient: true,
    describe: sentButNoAnswer('SagClient.Timeout.title', 'SagClient.Timeout.notSent.title', 'network.fix'),
  },
  [CLIENT_ERROR_CODES.connectionFailed]: {
    category: 'network',
    transient: true,
    describe: fixed('SagClient.ConnectionFailed.title', 'network.fix'),
  },
  [CLIENT_ERROR_CODES.connectionLost]: {
    category: 'network',
    transient: true,
    describe: sentButNoAnswer(
      'SagClient.ConnectionLost.title',
      'SagClient.ConnectionLost.notSent.title',
      'network.fix',
    ),
  },
  [CLIENT_ERROR_CODES.malformedResponse]: {
    category: 'network',
    transient: false,
    describe: sentButNoAnswer(
      'unreadableAnswer.title',
      'unreadableAnswer.title',
      'SagClient.MalformedResponse.notSent.fix',
    ),
  },
  [CLIENT_ERROR_CODES.unexpectedHttpStatus]: {
    category: 'network',
    transient: false,
    describe: localized((context) => ({
      // A status code is an identifier: passed as text, so no locale groups its digits.
      title: context.httpStatus
        ? {
            key: 'SagClient.UnexpectedHttpStatus.withStatus.title',
            values: { status: String(context.httpStatus) },
          }
        : 'SagClient.UnexpectedHttpStatus.title',
      fix: checkFirstFix(context) ?? 'SagClient.UnexpectedHttpStatus.fix',
    })),
  },
  [CLIENT_ERROR_CODES.credentialsUnavailable]: {
    category: 'client',
    transient: false,
    describe: fixed('SagClient.CredentialsUnavailable.title', 'SagClient.CredentialsUnavailable.fix'),
  },
  [CLIENT_ERROR_CODES.invalidInput]: {
    category: 'client',
    transient: false,
    describe: fixed('SagClient.InvalidInput.title', 'SagClient.InvalidInput.fix'),
  },
  [CLIENT_ERROR_CODES.listingIncomplete]: {
    category: 'server',
    transient: false,
    describe: fixed('SagClient.ListingIncomplete.title', 'SagClient.ListingIncomplete.fix'),
  },
};

/** Families the gateway documents only by pattern, tried in order when no exact code matches. */
const SECURITY_TOKEN: CatalogEntry = {
  category: 'access-key',
  transient: false,
  describe: fixed('securityToken.title', 'securityToken.fix'),
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
  { test: (code) => /^Missing[A-Z]/.test(code), entry: EXACT.MissingParameter as CatalogEntry },
  {
    test: (code) => /^Invalid[A-Z]/.test(code),
    entry: EXACT.InvalidParameter as CatalogEntry,
  },
];

const GENERIC: CatalogEntry = {
  category: 'unknown',
  transient: false,
  describe: localized((context) => ({
    title: 'generic.title',
    fix: checkFirstFix(context) ?? 'generic.fix',
  })),
};

const GENERIC_SERVER: CatalogEntry = {
  category: 'server',
  transient: true,
  describe: serverFailure('genericServer.title'),
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

/** What the admin should read for this error, in English unless `locale` says otherwise. */
export function adminMessage(
  code: string,
  context: ErrorContext,
  locale: Locale = DEFAULT_LOCALE,
): AdminMessage {
  return lookupErrorCode(code, context.httpStatus).describe(context, locale);
}

/** Every code with its own entry (for tests and documentation). */
export const DOCUMENTED_ERROR_CODES: readonly string[] = Object.keys(EXACT);
