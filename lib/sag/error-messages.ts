import 'server-only';
import type { AdminMessage, SagOutcome, SignatureCheck } from './errors';

/**
 * What each error code means for a network admin, and whether a retry can help.
 * Codes come from /work/shared/sag-api.md; `SagClient.*` codes are ours, for failures that never
 * produced an answer from Alibaba Cloud.
 *
 * Every text exists in English and Simplified Chinese. English is the default everywhere (`SagError.admin`,
 * logs); ask for `zh-CN` where a person reads the message. Code names, environment variables, permission
 * names and numbers stay as they are in both languages.
 */

export type MessageLocale = 'en' | 'zh-CN';

/** Every locale the catalog speaks, English (the default) first. */
export const MESSAGE_LOCALES: readonly MessageLocale[] = ['en', 'zh-CN'];

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
  /** The message for this context, in English unless another locale is asked for. */
  describe: (context: ErrorContext, locale?: MessageLocale) => AdminMessage;
}

/** One catalog text in every locale. */
type LocalizedText = Readonly<Record<MessageLocale, string>>;

interface LocalizedMessage {
  title: LocalizedText;
  fix: LocalizedText;
}

const text = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });

/** The text in `locale`, falling back to English for a locale the catalog does not know. */
const inLocale = (localizedText: LocalizedText, locale: MessageLocale): string =>
  localizedText[locale] ?? localizedText.en;

function localized(message: (context: ErrorContext) => LocalizedMessage): CatalogEntry['describe'] {
  return (context, locale = 'en') => {
    const { title, fix } = message(context);
    return { title: inLocale(title, locale), fix: inLocale(fix, locale) };
  };
}

const fixed = (title: LocalizedText, fix: LocalizedText) => localized(() => ({ title, fix }));

const isUnknownRoam = (context: ErrorContext) =>
  context.action === 'RoamClientUser' && context.outcome === 'unknown';

const UNKNOWN_OUTCOME_FIX = text(
  'The roam may or may not have been applied. Look for the account on the target instance (its client account list) before sending it again; a blind retry can answer "already exists".',
  '无法确定本次漫游是否已生效。重新提交前，请先在目标实例的客户端账号列表中查找该账号；直接重试可能返回“账号已存在”。',
);

const REPORT_BUG_FIX = text(
  'This is a bug in sag-roam, not something to fix in Alibaba Cloud. Report the error code and request ID.',
  '这是 sag-roam 自身的缺陷，无需在阿里云侧做任何修改。请附上错误码和请求 ID 反馈问题。',
);

const MISSING_PARAMETER_TITLE = text(
  'A required parameter was missing from the request.',
  '请求缺少必填参数。',
);

const UNKNOWN_OPERATION_TITLE = text(
  'The endpoint does not offer this Smart Access Gateway operation.',
  '该服务接入点不支持此智能接入网关 API 操作。',
);

const INTERNAL_ERROR_TITLE = text('Alibaba Cloud had an internal error.', '阿里云发生内部错误。');

const permission = localized((context) => ({
  title: text(
    `The AccessKey used by sag-roam is not allowed to call ${context.action}.`,
    `sag-roam 使用的 AccessKey 无权调用 ${context.action}。`,
  ),
  fix: text(
    `Grant the RAM user or role the smartag:${context.action} permission (sag-roam needs smartag:RoamClientUser, smartag:DescribeRegions, smartag:DescribeSmartAccessGateways and smartag:DescribeSmartAccessGatewayClientUsers), then retry.`,
    `请为该 RAM 用户或 RAM 角色授予 smartag:${context.action} 权限（sag-roam 需要 smartag:RoamClientUser、smartag:DescribeRegions、smartag:DescribeSmartAccessGateways 和 smartag:DescribeSmartAccessGatewayClientUsers 权限），然后重试。`,
  ),
}));

const signature = localized((context) => {
  if (context.signatureCheck === 'same') {
    return {
      title: text('The AccessKey secret is wrong.', 'AccessKey Secret 不正确。'),
      fix: text(
        'The request was signed exactly as Alibaba Cloud expected, but with a secret that does not belong to this AccessKey ID. Check the AccessKey secret configured for sag-roam (no stray spaces or line breaks), or create a new AccessKey pair in the RAM console.',
        '请求的签名方式与阿里云的预期完全一致，但所用的 Secret 与该 AccessKey ID 不匹配。请检查为 sag-roam 配置的 AccessKey Secret（注意不要有多余的空格或换行），或在 RAM 控制台创建新的 AccessKey。',
      ),
    };
  }
  if (context.signatureCheck === 'different') {
    return {
      title: text(
        'The request was signed differently from what Alibaba Cloud expected.',
        '请求的签名方式与阿里云的预期不一致。',
      ),
      fix: text(
        'The secret may well be right: something changed the request between signing and arrival (a proxy rewriting it, a wrong endpoint) or the signer has a bug. Try the other signature version (SAG_SIGNATURE_VERSION=v2 or v3) and report the request ID.',
        'AccessKey Secret 很可能是正确的：请求在签名之后、到达阿里云之前被改动过（例如被代理改写，或服务接入点有误），或者签名程序存在缺陷。请换用另一个签名版本（SAG_SIGNATURE_VERSION=v2 或 v3），并附上请求 ID 反馈问题。',
      ),
    };
  }
  return {
    title: text('Alibaba Cloud rejected the request signature.', '阿里云校验请求签名失败。'),
    fix: text(
      'Check the AccessKey secret configured for sag-roam. If it is right, try the other signature version (SAG_SIGNATURE_VERSION) and report the request ID.',
      '请检查为 sag-roam 配置的 AccessKey Secret。如果确认无误，请换用另一个签名版本（SAG_SIGNATURE_VERSION），并附上请求 ID 反馈问题。',
    ),
  };
});

const throttling = localized((context) => ({
  title: text('Alibaba Cloud is rate-limiting this account.', '阿里云正在对当前账号限流。'),
  fix:
    context.action === 'RoamClientUser'
      ? text(
          'Nothing was changed. Wait a moment and retry; if it keeps happening, lower ROAM_RATE_PER_SECOND. Limits are counted per Alibaba Cloud account (Quota Center).',
          '本次请求未做任何变更。请稍后重试；如果频繁出现，请调低 ROAM_RATE_PER_SECOND。限流按阿里云账号统计（可在配额中心查看）。',
        )
      : text(
          'Wait a moment and retry. Limits are counted per Alibaba Cloud account, so other tools using the same account count too (Quota Center).',
          '请稍后重试。限流按阿里云账号统计，使用同一账号的其他工具发出的请求也会计入（可在配额中心查看）。',
        ),
}));

function serverFailure(title: LocalizedText) {
  return localized((context) => ({
    title,
    fix: isUnknownRoam(context)
      ? UNKNOWN_OUTCOME_FIX
      : text(
          'This is usually temporary. Retry in a minute; if it persists, check the Alibaba Cloud status page and report the request ID.',
          '这通常是暂时性问题。请稍等一分钟后重试；如果问题持续存在，请查看阿里云服务健康状态页面，并附上请求 ID 反馈问题。',
        ),
  }));
}

function sentButNoAnswer(
  titleWhenSent: LocalizedText,
  titleWhenNotSent: LocalizedText,
  fixWhenNotSent: LocalizedText,
) {
  return localized((context) => {
    if (context.outcome === 'not_applied') return { title: titleWhenNotSent, fix: fixWhenNotSent };
    return {
      title: titleWhenSent,
      fix:
        context.action === 'RoamClientUser'
          ? UNKNOWN_OUTCOME_FIX
          : text(
              'Nothing is changed by this request; retry. If it keeps happening, check the network path to Alibaba Cloud (proxy, firewall).',
              '该请求不会做任何变更，可直接重试。如果问题反复出现，请检查到阿里云的网络链路（代理、防火墙）。',
            ),
    };
  });
}

const NETWORK_FIX = text(
  'Nothing was sent. Check that this server can reach the endpoint (DNS, firewall, proxy, SAG_ENDPOINT), then retry.',
  '请求未发出。请检查本服务器能否访问服务接入点（DNS、防火墙、代理、SAG_ENDPOINT），然后重试。',
);

const UNREADABLE_ANSWER_TITLE = text(
  'Alibaba Cloud answered with something sag-roam could not read.',
  'sag-roam 无法解析阿里云返回的响应。',
);

const EXACT: Record<string, CatalogEntry> = {
  // RoamClientUser (documented)
  'SAG.InstanceNoFound': {
    category: 'roam',
    transient: false,
    describe: fixed(
      text(
        'The origin or target SAG APP instance was not found.',
        '源 SAG APP 实例或目标 SAG APP 实例不存在。',
      ),
      text(
        'Check both instance IDs, and that the origin instance is in the origin region and the target instance in the target region; then retry.',
        '请检查两个实例 ID，并确认源实例位于源地域、目标实例位于目标地域，然后重试。',
      ),
    ),
  },
  'ClientUser.NotSupportAction': {
    category: 'roam',
    transient: false,
    describe: fixed(
      text('The target instance does not accept client accounts.', '目标实例不支持客户端账号。'),
      text(
        'Pick a SAG APP (software client) instance as the target; hardware (CPE) instances have no client accounts.',
        '请选择 SAG APP（软件客户端）实例作为目标实例；硬件（CPE）实例没有客户端账号。',
      ),
    ),
  },
  'SAG.CidrEmpty': {
    category: 'roam',
    transient: false,
    describe: fixed(
      text('The target instance has no client CIDR block configured.', '目标实例未配置客户端私网网段。'),
      text(
        'Configure the private CIDR block for client accounts on the target instance in the Smart Access Gateway console, then retry.',
        '请在智能接入网关管理控制台为目标实例配置客户端账号的私网网段，然后重试。',
      ),
    ),
  },
  'ClientUser.BandwidthInvalid': {
    category: 'roam',
    transient: false,
    describe: fixed(
      text(
        "The account's bandwidth is not valid on the target instance.",
        '该账号的带宽不符合目标实例的要求。',
      ),
      text(
        "Lower the account's bandwidth on the origin instance to a value the target instance allows (or raise the target's bandwidth), then retry.",
        '请在源实例上将该账号的带宽调低到目标实例允许的值（或提高目标实例的带宽），然后重试。',
      ),
    ),
  },
  'ClientUser.InvalidClientIp': {
    category: 'roam',
    transient: false,
    describe: fixed(
      text(
        "The account's static client IP does not fit the target instance.",
        '该账号的静态客户端 IP 不适用于目标实例。',
      ),
      text(
        "Give the account an IP address inside the target instance's client CIDR block, or switch it to a dynamic IP on the origin instance, then retry.",
        '请为该账号分配目标实例客户端私网网段内的 IP 地址，或在源实例上将其改为动态 IP，然后重试。',
      ),
    ),
  },
  'ClientUser.UserOverLimit': {
    category: 'roam',
    transient: false,
    describe: fixed(
      text("The target instance's client account quota is full.", '目标实例的客户端账号配额已用完。'),
      text(
        'Delete unused client accounts on the target instance or raise its account quota (up to 2,000), then retry.',
        '请删除目标实例上不再使用的客户端账号，或提升其账号配额（最多 2,000 个），然后重试。',
      ),
    ),
  },
  'ClientUser.UserExist': {
    category: 'roam',
    transient: false,
    describe: fixed(
      text(
        'An account with this username already exists on the target instance.',
        '目标实例上已存在同名的客户端账号。',
      ),
      text(
        'Nothing to do if it is the same person; otherwise delete or rename the account on the target, then retry.',
        '如果是同一个人，则无需处理；否则请删除或重命名目标实例上的该账号，然后重试。',
      ),
    ),
  },
  'ClientUser.NameInvalid': {
    category: 'roam',
    transient: false,
    describe: fixed(
      text('The username is not valid.', '用户名格式不正确。'),
      text(
        'A username has 7 to 33 characters (letters, digits, _ @ . -) and starts with a letter or digit. Correct it and retry.',
        '用户名长度为 7 到 33 个字符，可包含字母、数字及 _ @ . -，且必须以字母或数字开头。请修改后重试。',
      ),
    ),
  },
  'SAG.CidrOverlap': {
    category: 'roam',
    transient: false,
    describe: fixed(
      text(
        'The private CIDR blocks of the origin and target instances overlap.',
        '源实例与目标实例的私网网段存在重叠。',
      ),
      text(
        'Roaming needs CIDR blocks that do not overlap: change the CIDR block of one instance, or pick another target instance.',
        '漫游要求两个实例的私网网段互不重叠：请修改其中一个实例的网段，或选择其他目标实例。',
      ),
    ),
  },
  // Inferred, not documented: what our emulator answers when the username is not on the origin instance.
  'ClientUser.NotExist': {
    category: 'roam',
    transient: false,
    describe: fixed(
      text('This username does not exist on the origin instance.', '源实例上不存在该用户名。'),
      text(
        'Check the spelling and the origin instance (its client account list shows the exact usernames), then retry.',
        '请检查用户名拼写以及所选的源实例（源实例的客户端账号列表中列出了准确的用户名），然后重试。',
      ),
    ),
  },

  // Inferred, not documented: our emulator's answer to a roam between two instances of one region, which
  // the product guide forbids.
  'SAG.SameRegion': {
    category: 'roam',
    transient: false,
    describe: fixed(
      text('The origin and target instances are in the same region.', '源实例与目标实例位于同一地域。'),
      text(
        'Roaming works only between regions: pick a target instance in another region.',
        '漫游只能在不同地域之间进行：请选择其他地域的目标实例。',
      ),
    ),
  },

  // Gateway: signature, AccessKey, clock
  SignatureDoesNotMatch: { category: 'signature', transient: false, describe: signature },
  IncompleteSignature: { category: 'signature', transient: false, describe: signature },
  'InvalidAccessKeyId.NotFound': {
    category: 'access-key',
    transient: false,
    describe: fixed(
      text(
        'Alibaba Cloud does not know the AccessKey ID used by sag-roam.',
        'sag-roam 使用的 AccessKey ID 不存在。',
      ),
      text(
        'Check the AccessKey ID configured for sag-roam (ALIBABA_CLOUD_ACCESS_KEY_ID or the credentials profile); it may have been deleted or belong to another site (China / international).',
        '请检查为 sag-roam 配置的 AccessKey ID（ALIBABA_CLOUD_ACCESS_KEY_ID 或凭据配置文件）；该 AccessKey 可能已被删除，或属于另一个站点（中国站/国际站）。',
      ),
    ),
  },
  'InvalidAccessKeyId.Inactive': {
    category: 'access-key',
    transient: false,
    describe: fixed(
      text('The AccessKey used by sag-roam is disabled.', 'sag-roam 使用的 AccessKey 已被禁用。'),
      text(
        'Enable the AccessKey in the RAM console, or configure an active AccessKey pair, then retry.',
        '请在 RAM 控制台启用该 AccessKey，或配置一个处于启用状态的 AccessKey，然后重试。',
      ),
    ),
  },
  'InvalidTimeStamp.Expired': {
    category: 'clock',
    transient: false,
    describe: fixed(
      text(
        "This server's clock differs from Alibaba Cloud's by more than 15 minutes.",
        '本服务器的时钟与阿里云的时间相差超过 15 分钟。',
      ),
      text(
        'Synchronise the clock of the server that runs sag-roam (NTP), then retry.',
        '请同步运行 sag-roam 的服务器的时钟（NTP），然后重试。',
      ),
    ),
  },
  'InvalidTimeStamp.Format': {
    category: 'clock',
    transient: false,
    describe: fixed(
      text('Alibaba Cloud could not read the request timestamp.', '阿里云无法解析请求中的时间戳。'),
      text(
        'A proxy may be altering requests, or the signer has a bug. Report the request ID.',
        '可能有代理改动了请求，或签名程序存在缺陷。请附上请求 ID 反馈问题。',
      ),
    ),
  },
  SignatureNonceUsed: {
    category: 'signature',
    transient: false,
    describe: fixed(
      text(
        'Alibaba Cloud has already seen this request (its one-time number was reused).',
        '阿里云已收到过该请求（其一次性随机数 SignatureNonce 被重复使用）。',
      ),
      text(
        'This happens when something replays requests, such as a proxy. Send the request again; if it keeps happening, report the request ID.',
        '代理等中间环节重放请求时会出现此错误。请重新发送请求；如果反复出现，请附上请求 ID 反馈问题。',
      ),
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
    describe: fixed(MISSING_PARAMETER_TITLE, REPORT_BUG_FIX),
  },
  InvalidParameter: {
    category: 'bad-request',
    transient: false,
    describe: fixed(
      text('Alibaba Cloud refused a parameter value.', '阿里云拒绝了某个参数值。'),
      text(
        'Check the region, the instance IDs and the username; the message from Alibaba Cloud names the parameter.',
        '请检查地域、实例 ID 和用户名；阿里云返回的错误信息中会指明具体参数。',
      ),
    ),
  },

  // The endpoint does not offer this API
  'InvalidAction.NotFound': {
    category: 'unknown-action',
    transient: false,
    describe: fixed(
      UNKNOWN_OPERATION_TITLE,
      text(
        'Check SAG_ENDPOINT and the region: the smartag API (version 2018-03-13) may not be available at this endpoint.',
        '请检查 SAG_ENDPOINT 和地域：该服务接入点可能不提供 smartag API（版本 2018-03-13）。',
      ),
    ),
  },
  InvalidVersion: {
    category: 'unknown-action',
    transient: false,
    describe: fixed(
      text(
        'The endpoint does not offer Smart Access Gateway API version 2018-03-13.',
        '该服务接入点不提供 2018-03-13 版本的智能接入网关 API。',
      ),
      text(
        'Check SAG_ENDPOINT and the region: it may point to another product.',
        '请检查 SAG_ENDPOINT 和地域：它可能指向了其他云产品。',
      ),
    ),
  },
  'InvalidApi.NotFound': {
    category: 'unknown-action',
    transient: false,
    describe: fixed(
      UNKNOWN_OPERATION_TITLE,
      text(
        'Check SAG_ENDPOINT and the region: the smartag API may not be available at this endpoint.',
        '请检查 SAG_ENDPOINT 和地域：该服务接入点可能不提供 smartag API。',
      ),
    ),
  },
  'InvalidProduct.NotFound': {
    category: 'unknown-action',
    transient: false,
    describe: fixed(
      text('The endpoint does not offer Smart Access Gateway.', '该服务接入点不提供智能接入网关服务。'),
      text(
        'Check SAG_ENDPOINT and the region: the smartag API may not be available in this region.',
        '请检查 SAG_ENDPOINT 和地域：该地域可能未开放 smartag API。',
      ),
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
    describe: serverFailure(
      text('Smart Access Gateway is temporarily unavailable.', '智能接入网关服务暂时不可用。'),
    ),
  },
  InternalError: {
    category: 'server',
    transient: true,
    describe: serverFailure(INTERNAL_ERROR_TITLE),
  },
  UnknownError: {
    category: 'server',
    transient: true,
    describe: serverFailure(INTERNAL_ERROR_TITLE),
  },

  // Ours
  [CLIENT_ERROR_CODES.timeout]: {
    category: 'network',
    transient: true,
    describe: sentButNoAnswer(
      text('Alibaba Cloud did not answer in time.', '阿里云未在限定时间内响应。'),
      text('Could not connect to Alibaba Cloud in time.', '未能在限定时间内连接到阿里云。'),
      NETWORK_FIX,
    ),
  },
  [CLIENT_ERROR_CODES.connectionFailed]: {
    category: 'network',
    transient: true,
    describe: fixed(text('Could not connect to Alibaba Cloud.', '无法连接到阿里云。'), NETWORK_FIX),
  },
  [CLIENT_ERROR_CODES.connectionLost]: {
    category: 'network',
    transient: true,
    describe: sentButNoAnswer(
      text(
        'The connection to Alibaba Cloud broke before the answer arrived.',
        '收到响应前，与阿里云的连接已断开。',
      ),
      text(
        'The connection to Alibaba Cloud broke before the request was sent.',
        '请求发出前，与阿里云的连接已断开。',
      ),
      NETWORK_FIX,
    ),
  },
  [CLIENT_ERROR_CODES.malformedResponse]: {
    category: 'network',
    transient: false,
    describe: sentButNoAnswer(
      UNREADABLE_ANSWER_TITLE,
      UNREADABLE_ANSWER_TITLE,
      text(
        'Check SAG_ENDPOINT: it may point to something other than the Smart Access Gateway API (a proxy or a web page).',
        '请检查 SAG_ENDPOINT：它指向的可能不是智能接入网关 API（而是代理或网页）。',
      ),
    ),
  },
  [CLIENT_ERROR_CODES.unexpectedHttpStatus]: {
    category: 'network',
    transient: false,
    describe: localized((context) => {
      const status = context.httpStatus
        ? text(` (HTTP ${context.httpStatus})`, `（HTTP ${context.httpStatus}）`)
        : text('', '');
      return {
        title: text(
          `A proxy or load balancer answered instead of Alibaba Cloud${status.en}.`,
          `返回响应的是代理或负载均衡，而不是阿里云${status['zh-CN']}。`,
        ),
        fix: isUnknownRoam(context)
          ? UNKNOWN_OUTCOME_FIX
          : text(
              'Check SAG_ENDPOINT and any proxy between this server and Alibaba Cloud, then retry.',
              '请检查 SAG_ENDPOINT 以及本服务器与阿里云之间的代理，然后重试。',
            ),
      };
    }),
  },
  [CLIENT_ERROR_CODES.credentialsUnavailable]: {
    category: 'client',
    transient: false,
    describe: fixed(
      text('sag-roam could not get an Alibaba Cloud AccessKey.', 'sag-roam 无法获取阿里云 AccessKey。'),
      text(
        'Nothing was sent. Check the credentials configuration: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, the aliyun CLI profile (~/.aliyun/config.json), ~/.alibabacloud/credentials, or the RAM role settings.',
        '请求未发出。请检查凭据配置：ALIBABA_CLOUD_ACCESS_KEY_ID 和 ALIBABA_CLOUD_ACCESS_KEY_SECRET、aliyun CLI 配置文件（~/.aliyun/config.json）、~/.alibabacloud/credentials，或 RAM 角色设置。',
      ),
    ),
  },
  [CLIENT_ERROR_CODES.invalidInput]: {
    category: 'client',
    transient: false,
    describe: fixed(
      text(
        'The request was not sent because one of its values is not valid.',
        '请求中有参数值无效，因此未发出。',
      ),
      text(
        'Check the region, the instance IDs and the username, then retry.',
        '请检查地域、实例 ID 和用户名，然后重试。',
      ),
    ),
  },
};

/** Families the gateway documents only by pattern, tried in order when no exact code matches. */
const SECURITY_TOKEN: CatalogEntry = {
  category: 'access-key',
  transient: false,
  describe: fixed(
    text(
      'The STS security token used by sag-roam is missing, expired or does not belong to its AccessKey.',
      'sag-roam 使用的 STS 安全令牌（SecurityToken）缺失、已过期，或与其 AccessKey 不匹配。',
    ),
    text(
      'Refresh the temporary credentials (ALIBABA_CLOUD_SECURITY_TOKEN with its AccessKey pair, or the role sag-roam assumes), then retry.',
      '请刷新临时凭据（ALIBABA_CLOUD_SECURITY_TOKEN 及与之配套的 AccessKey，或 sag-roam 扮演的 RAM 角色），然后重试。',
    ),
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
      describe: fixed(MISSING_PARAMETER_TITLE, REPORT_BUG_FIX),
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
  describe: localized((context) => ({
    title: text('Alibaba Cloud refused the request.', '阿里云拒绝了该请求。'),
    fix: isUnknownRoam(context)
      ? UNKNOWN_OUTCOME_FIX
      : text(
          'Look up the error code and request ID below in the Alibaba Cloud documentation or give them to support.',
          '请在阿里云文档中查询下方的错误码和请求 ID，或将其提供给技术支持。',
        ),
  })),
};

const GENERIC_SERVER: CatalogEntry = {
  category: 'server',
  transient: true,
  describe: serverFailure(text('Alibaba Cloud had a temporary problem.', '阿里云出现暂时性故障。')),
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
  locale: MessageLocale = 'en',
): AdminMessage {
  return lookupErrorCode(code, context.httpStatus).describe(context, locale);
}

/** Every code with its own entry (for tests and documentation). */
export const DOCUMENTED_ERROR_CODES: readonly string[] = Object.keys(EXACT);
