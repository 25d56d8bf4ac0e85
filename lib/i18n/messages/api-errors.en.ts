/**
 * English texts of Alibaba Cloud API errors, as the admin reads them (a title and a fix). Kept apart from
 * the interface messages because only the server renders them: they are never handed to the browser.
 * The Chinese file must have exactly these keys (the type checker enforces it); lib/sag/error-messages.ts
 * chooses the key and the placeholder values for each error and context.
 *
 * Keys: an error code's own texts are keyed by the code (`ClientUser.UserExist.title`); texts shared by
 * several codes or chosen by context have a name of their own (`unknownOutcome.fix`). Code names,
 * environment variables, permission names and numbers stay as they are in every language.
 */
export const apiErrorsEn = {
  // Shared by several codes
  'unknownOutcome.fix':
    'The roam may or may not have been applied. Look for the account on the target instance (its client account list) before sending it again; a blind retry can answer "already exists".',
  'unknownDelete.fix':
    'The deletion may or may not have been applied. Look for the account on the instance (its client account list) before sending it again; a blind retry can answer that the account does not exist.',
  'reportBug.fix':
    'This is a bug in sag-roam, not something to fix in Alibaba Cloud. Report the error code and request ID.',
  'missingParameter.title': 'A required parameter was missing from the request.',
  'unknownOperation.title': 'The endpoint does not offer this Smart Access Gateway operation.',
  'internalError.title': 'Alibaba Cloud had an internal error.',
  'serverFailure.fix':
    'This is usually temporary. Retry in a minute; if it persists, check the Alibaba Cloud status page and report the request ID.',
  'noAnswer.fix':
    'Nothing is changed by this request; retry. If it keeps happening, check the network path to Alibaba Cloud (proxy, firewall).',
  'network.fix':
    'Nothing was sent. Check that this server can reach the endpoint (DNS, firewall, proxy, SAG_ENDPOINT), then retry.',
  'unreadableAnswer.title': 'Alibaba Cloud answered with something sag-roam could not read.',

  // Permissions (Forbidden.RAM, Forbidden, NoPermission and the Forbidden family)
  'permission.title': 'The AccessKey used by sag-roam is not allowed to call {action}.',
  'permission.fix':
    'Grant the RAM user or role the smartag:{action} permission (sag-roam needs smartag:RoamClientUser, smartag:DescribeRegions, smartag:DescribeSmartAccessGateways and smartag:DescribeSmartAccessGatewayClientUsers), then retry.',

  // Signature (SignatureDoesNotMatch, IncompleteSignature), by what re-signing the request showed
  'signature.wrongSecret.title': 'The AccessKey secret is wrong.',
  'signature.wrongSecret.fix':
    'The request was signed exactly as Alibaba Cloud expected, but with a secret that does not belong to this AccessKey ID. Check the AccessKey secret configured for sag-roam (no stray spaces or line breaks), or create a new AccessKey pair in the RAM console.',
  'signature.signedDifferently.title': 'The request was signed differently from what Alibaba Cloud expected.',
  'signature.signedDifferently.fix':
    'The secret may well be right: something changed the request between signing and arrival (a proxy rewriting it, a wrong endpoint) or the signer has a bug. Try the other signature version (SAG_SIGNATURE_VERSION=v2 or v3) and report the request ID.',
  'signature.rejected.title': 'Alibaba Cloud rejected the request signature.',
  'signature.rejected.fix':
    'Check the AccessKey secret configured for sag-roam. If it is right, try the other signature version (SAG_SIGNATURE_VERSION) and report the request ID.',

  // Rate limits (the Throttling family)
  'throttling.title': 'Alibaba Cloud is rate-limiting this account.',
  'throttling.roam.fix':
    'Nothing was changed. Wait a moment and retry; if it keeps happening, lower ROAM_RATE_PER_SECOND. Limits are counted per Alibaba Cloud account (Quota Center).',
  'throttling.other.fix':
    'Wait a moment and retry. Limits are counted per Alibaba Cloud account, so other tools using the same account count too (Quota Center).',

  // RoamClientUser
  'SAG.InstanceNoFound.title': 'The origin or target SAG APP instance was not found.',
  'SAG.InstanceNoFound.fix':
    'Check both instance IDs, and that the origin instance is in the origin region and the target instance in the target region; then retry.',
  'SAG.InstanceNoFound.origin.title': 'The origin SAG APP instance was not found.',
  'SAG.InstanceNoFound.origin.fix':
    'Check the origin instance ID and that the instance is in the origin region, then retry.',
  'SAG.InstanceNoFound.target.title': 'The target SAG APP instance was not found.',
  'SAG.InstanceNoFound.target.fix':
    'Check the target instance ID and that the instance is in the target region, then retry.',
  // The answer does not say which of the two is a hardware instance (a hardware origin answers it too).
  'ClientUser.NotSupportAction.title': 'The origin or target instance does not accept client accounts.',
  'ClientUser.NotSupportAction.fix':
    'Roaming needs a SAG APP (software client) instance on both sides; hardware (CPE) instances have no client accounts. Check which of the two is a hardware instance (the plan before sending names it), and pick SAG APP instances.',
  'ClientUser.NotSupportAction.origin.title': 'The origin instance does not accept client accounts.',
  'ClientUser.NotSupportAction.origin.fix':
    'Pick a SAG APP (software client) instance as the origin; hardware (CPE) instances have no client accounts.',
  'ClientUser.NotSupportAction.target.title': 'The target instance does not accept client accounts.',
  'ClientUser.NotSupportAction.target.fix':
    'Pick a SAG APP (software client) instance as the target; hardware (CPE) instances have no client accounts.',
  'SAG.CidrEmpty.title': 'The target instance has no client CIDR block configured.',
  'SAG.CidrEmpty.fix':
    'Configure the private CIDR block for client accounts on the target instance in the Smart Access Gateway console, then retry.',
  'ClientUser.BandwidthInvalid.title': "The account's bandwidth is not valid on the target instance.",
  'ClientUser.BandwidthInvalid.fix':
    "Lower the account's bandwidth on the origin instance to a value the target instance allows (or raise the target's bandwidth), then retry.",
  'ClientUser.InvalidClientIp.title': "The account's static client IP does not fit the target instance.",
  'ClientUser.InvalidClientIp.fix':
    "Give the account an IP address inside the target instance's client CIDR block, or switch it to a dynamic IP on the origin instance, then retry.",
  'ClientUser.UserOverLimit.title': "The target instance's client account quota is full.",
  'ClientUser.UserOverLimit.fix':
    'Delete unused client accounts on the target instance or raise its account quota (up to 2,000), then retry.',
  'SagRoam.NotOnOrigin.title': 'Not sent: the origin instance has no client account with this username.',
  'SagRoam.NotOnOrigin.fix':
    'Check the spelling (names are compared exactly) and the origin instance; roaming copies an account that exists on the origin.',
  'SagRoam.OverQuota.title': "Not sent: the target instance's account quota had no room left for it.",
  'SagRoam.OverQuota.fix':
    'Free accounts on the target (delete unused ones) or raise its quota in the Smart Access Gateway console, then use Retry failed.',
  'ClientUser.UserExist.title': 'An account with this username already exists on the target instance.',
  'ClientUser.UserExist.fix':
    'Nothing to do if it is the same person; otherwise delete or rename the account on the target, then retry.',
  'ClientUser.NameInvalid.title': 'The username is not valid.',
  'ClientUser.NameInvalid.fix':
    'A username has 7 to 33 characters (letters, digits, _ @ . -) and starts with a letter or digit. Correct it and retry.',
  'SAG.CidrOverlap.title': 'The private CIDR blocks of the origin and target instances overlap.',
  'SAG.CidrOverlap.fix':
    'Roaming needs CIDR blocks that do not overlap: change the CIDR block of one instance, or pick another target instance.',
  'ClientUser.NotExist.title': 'This username does not exist on the origin instance.',
  'ClientUser.NotExist.fix':
    'Check the spelling and the origin instance (its client account list shows the exact usernames), then retry.',
  'SAG.SameRegion.title': 'The origin and target instances are in the same region.',
  'SAG.SameRegion.fix': 'Roaming works only between regions: pick a target instance in another region.',

  // A call about one instance (a deletion, an account or instance list): the codes above, said of that one
  'SAG.InstanceNoFound.oneInstance.title': 'The SAG APP instance was not found.',
  'SAG.InstanceNoFound.oneInstance.fix':
    'Check the instance ID and that the instance is in the region given, then retry.',
  'ClientUser.NotSupportAction.oneInstance.title': 'This instance does not accept client accounts.',
  'ClientUser.NotSupportAction.oneInstance.fix':
    'It is a hardware (CPE) instance, which has no client accounts: check the instance ID, and pick a SAG APP (software client) instance.',

  // DeleteSmartAccessGatewayClientUser (the codes above, said of one instance, and its own)
  'ClientUser.NotExist.delete.title': 'This username does not exist on the instance.',
  'ClientUser.NotExist.delete.fix':
    "It may have been deleted already. Check the instance's client account list: if the account is not there, nothing is left to do.",
  'ClientUser.UserInUsing.title': 'This account was used this month and cannot be deleted yet.',
  'ClientUser.UserInUsing.fix':
    'Alibaba Cloud keeps a client account that connected this month until the month ends. Delete it next month; to stop its use now, disable it on the instance in the Smart Access Gateway console.',
  'SAG.InstanceIdEmpty.title': 'The request named no SAG instance.',
  'ClientUser.NameEmpty.title': 'The request named no username.',

  // Gateway: AccessKey, security token, clock, replay
  'InvalidAccessKeyId.NotFound.title': 'Alibaba Cloud does not know the AccessKey ID used by sag-roam.',
  'InvalidAccessKeyId.NotFound.fix':
    'Check the AccessKey ID configured for sag-roam (ALIBABA_CLOUD_ACCESS_KEY_ID or the credentials profile); it may have been deleted or belong to another site (China / international).',
  'InvalidAccessKeyId.Inactive.title': 'The AccessKey used by sag-roam is disabled.',
  'InvalidAccessKeyId.Inactive.fix':
    'Enable the AccessKey in the RAM console, or configure an active AccessKey pair, then retry.',
  'securityToken.title':
    'The STS security token used by sag-roam is missing, expired or does not belong to its AccessKey.',
  'securityToken.fix':
    'Refresh the temporary credentials (ALIBABA_CLOUD_SECURITY_TOKEN with its AccessKey pair, or the role sag-roam assumes), then retry.',
  'InvalidTimeStamp.Expired.title':
    "This server's clock differs from Alibaba Cloud's by more than 15 minutes.",
  'InvalidTimeStamp.Expired.fix': 'Synchronise the clock of the server that runs sag-roam (NTP), then retry.',
  'InvalidTimeStamp.Format.title': 'Alibaba Cloud could not read the request timestamp.',
  'InvalidTimeStamp.Format.fix':
    'A proxy may be altering requests, or the signer has a bug. Report the request ID.',
  'SignatureNonceUsed.title': 'Alibaba Cloud has already seen this request (its one-time number was reused).',
  'SignatureNonceUsed.fix':
    'This happens when something replays requests, such as a proxy. Send the request again; if it keeps happening, report the request ID.',

  // Bad request
  'InvalidParameter.title': 'Alibaba Cloud refused a parameter value.',
  'InvalidParameter.fix':
    'Check the region, the instance IDs and the username; the message from Alibaba Cloud names the parameter.',

  // The endpoint does not offer this API
  'InvalidAction.NotFound.fix':
    'Check SAG_ENDPOINT and the region: the smartag API (version 2018-03-13) may not be available at this endpoint.',
  'InvalidVersion.title': 'The endpoint does not offer Smart Access Gateway API version 2018-03-13.',
  'InvalidVersion.fix': 'Check SAG_ENDPOINT and the region: it may point to another product.',
  'InvalidApi.NotFound.fix':
    'Check SAG_ENDPOINT and the region: the smartag API may not be available at this endpoint.',
  'InvalidProduct.NotFound.title': 'The endpoint does not offer Smart Access Gateway.',
  'InvalidProduct.NotFound.fix':
    'Check SAG_ENDPOINT and the region: the smartag API may not be available in this region.',

  // Server side
  'ServiceUnavailable.title': 'Smart Access Gateway is temporarily unavailable.',

  // Ours (SagClient.*): failures that never produced an answer from Alibaba Cloud
  'SagClient.Timeout.title': 'Alibaba Cloud did not answer in time.',
  'SagClient.Timeout.notSent.title': 'Could not connect to Alibaba Cloud in time.',
  'SagClient.ConnectionFailed.title': 'Could not connect to Alibaba Cloud.',
  'SagClient.ConnectionLost.title': 'The connection to Alibaba Cloud broke before the answer arrived.',
  'SagClient.ConnectionLost.notSent.title':
    'The connection to Alibaba Cloud broke before the request was sent.',
  'SagClient.MalformedResponse.notSent.fix':
    'Check SAG_ENDPOINT: it may point to something other than the Smart Access Gateway API (a proxy or a web page).',
  'SagClient.UnexpectedHttpStatus.title': 'A proxy or load balancer answered instead of Alibaba Cloud.',
  'SagClient.UnexpectedHttpStatus.withStatus.title':
    'A proxy or load balancer answered instead of Alibaba Cloud (HTTP {status}).',
  'SagClient.UnexpectedHttpStatus.fix':
    'Check SAG_ENDPOINT and any proxy between this server and Alibaba Cloud, then retry.',
  'SagClient.CredentialsUnavailable.title': 'sag-roam could not get an Alibaba Cloud AccessKey.',
  'SagClient.CredentialsUnavailable.fix':
    'Nothing was sent. Check the credentials configuration: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, the aliyun CLI profile (~/.aliyun/config.json), ~/.alibabacloud/credentials, or the RAM role settings.',
  'SagClient.InvalidInput.title': 'The request was not sent because one of its values is not valid.',
  'SagClient.InvalidInput.fix': 'Check the region, the instance IDs and the username, then retry.',
  'SagClient.ListingIncomplete.title':
    "The instance's client account list did not end within the pages sag-roam reads.",
  'SagClient.ListingIncomplete.fix':
    'An instance holds at most 2,000 accounts, and sag-roam stops after 100 pages of up to 100 rather than follow an endless list. Nothing was changed. Check that SAG_ENDPOINT points to Alibaba Cloud, look for the accounts in the console, and report the request ID.',

  // Codes without an entry of their own
  'generic.title': 'Alibaba Cloud refused the request.',
  'generic.fix':
    'Look up the error code and request ID below in the Alibaba Cloud documentation or give them to support.',
  'genericServer.title': 'Alibaba Cloud had a temporary problem.',
};

export type ApiErrorMessages = typeof apiErrorsEn;
