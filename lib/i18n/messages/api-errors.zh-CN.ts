import type { ApiErrorMessages } from './api-errors.en';

/** 阿里云 API 错误的简体中文说明。键与 api-errors.en.ts 完全一致（类型检查保证）。 */
export const apiErrorsZhCN: ApiErrorMessages = {
  'unknownOutcome.fix':
    '无法确定本次漫游是否已生效。重新提交前，请先在目标实例的客户端账号列表中查找该账号；直接重试可能返回“账号已存在”。',
  'unknownDelete.fix':
    '无法确定本次删除是否已生效。重新提交前，请先在该实例的客户端账号列表中查找该账号；直接重试可能返回“账号不存在”。',
  'reportBug.fix': '这是 sag-roam 自身的缺陷，无需在阿里云侧做任何修改。请附上错误码和请求 ID 反馈问题。',
  'missingParameter.title': '请求缺少必填参数。',
  'unknownOperation.title': '该服务接入点不支持此智能接入网关 API 操作。',
  'internalError.title': '阿里云发生内部错误。',
  'serverFailure.fix':
    '这通常是暂时性问题。请稍等一分钟后重试；如果问题持续存在，请查看阿里云服务健康状态页面，并附上请求 ID 反馈问题。',
  'noAnswer.fix':
    '该请求不会做任何变更，可直接重试。如果问题反复出现，请检查到阿里云的网络链路（代理、防火墙）。',
  'network.fix':
    '请求未发出。请检查本服务器能否访问服务接入点（DNS、防火墙、代理、SAG_ENDPOINT），然后重试。',
  'unreadableAnswer.title': 'sag-roam 无法解析阿里云返回的响应。',

  'permission.title': 'sag-roam 使用的 AccessKey 无权调用 {action}。',
  'permission.fix':
    '请为该 RAM 用户或 RAM 角色授予 smartag:{action} 权限（sag-roam 需要 smartag:RoamClientUser、smartag:DescribeRegions、smartag:DescribeSmartAccessGateways 和 smartag:DescribeSmartAccessGatewayClientUsers 权限），然后重试。',

  'signature.wrongSecret.title': 'AccessKey Secret 不正确。',
  'signature.wrongSecret.fix':
    '请求的签名方式与阿里云的预期完全一致，但所用的 Secret 与该 AccessKey ID 不匹配。请检查为 sag-roam 配置的 AccessKey Secret（注意不要有多余的空格或换行），或在 RAM 控制台创建新的 AccessKey。',
  'signature.signedDifferently.title': '请求的签名方式与阿里云的预期不一致。',
  'signature.signedDifferently.fix':
    'AccessKey Secret 很可能是正确的：请求在签名之后、到达阿里云之前被改动过（例如被代理改写，或服务接入点有误），或者签名程序存在缺陷。请换用另一个签名版本（SAG_SIGNATURE_VERSION=v2 或 v3），并附上请求 ID 反馈问题。',
  'signature.rejected.title': '阿里云校验请求签名失败。',
  'signature.rejected.fix':
    '请检查为 sag-roam 配置的 AccessKey Secret。如果确认无误，请换用另一个签名版本（SAG_SIGNATURE_VERSION），并附上请求 ID 反馈问题。',

  'throttling.title': '阿里云正在对当前账号限流。',
  'throttling.roam.fix':
    '本次请求未做任何变更。请稍后重试；如果频繁出现，请调低 ROAM_RATE_PER_SECOND。限流按阿里云账号统计（可在配额中心查看）。',
  'throttling.other.fix':
    '请稍后重试。限流按阿里云账号统计，使用同一账号的其他工具发出的请求也会计入（可在配额中心查看）。',

  'SAG.InstanceNoFound.title': '源 SAG APP 实例或目标 SAG APP 实例不存在。',
  'SAG.InstanceNoFound.fix': '请检查两个实例 ID，并确认源实例位于源地域、目标实例位于目标地域，然后重试。',
  'SAG.InstanceNoFound.origin.title': '源 SAG APP 实例不存在。',
  'SAG.InstanceNoFound.origin.fix': '请检查源实例 ID，并确认该实例位于源地域，然后重试。',
  'SAG.InstanceNoFound.target.title': '目标 SAG APP 实例不存在。',
  'SAG.InstanceNoFound.target.fix': '请检查目标实例 ID，并确认该实例位于目标地域，然后重试。',
  'ClientUser.NotSupportAction.title': '源实例或目标实例不支持客户端账号。',
  'ClientUser.NotSupportAction.fix':
    '漫游要求源实例和目标实例都是 SAG APP（软件客户端）实例；硬件（CPE）实例没有客户端账号。请确认两者中哪一个是硬件实例（发送前的计划会指出），并改选 SAG APP 实例。',
  'ClientUser.NotSupportAction.origin.title': '源实例不支持客户端账号。',
  'ClientUser.NotSupportAction.origin.fix':
    '请选择 SAG APP（软件客户端）实例作为源实例；硬件（CPE）实例没有客户端账号。',
  'ClientUser.NotSupportAction.target.title': '目标实例不支持客户端账号。',
  'ClientUser.NotSupportAction.target.fix':
    '请选择 SAG APP（软件客户端）实例作为目标实例；硬件（CPE）实例没有客户端账号。',
  'SAG.CidrEmpty.title': '目标实例未配置客户端私网网段。',
  'SAG.CidrEmpty.fix': '请在智能接入网关管理控制台为目标实例配置客户端账号的私网网段，然后重试。',
  'ClientUser.BandwidthInvalid.title': '该账号的带宽不符合目标实例的要求。',
  'ClientUser.BandwidthInvalid.fix':
    '请在源实例上将该账号的带宽调低到目标实例允许的值（或提高目标实例的带宽），然后重试。',
  'ClientUser.InvalidClientIp.title': '该账号的静态客户端 IP 不适用于目标实例。',
  'ClientUser.InvalidClientIp.fix':
    '请为该账号分配目标实例客户端私网网段内的 IP 地址，或在源实例上将其改为动态 IP，然后重试。',
  'ClientUser.UserOverLimit.title': '目标实例的客户端账号配额已用完。',
  'ClientUser.UserOverLimit.fix':
    '请删除目标实例上不再使用的客户端账号，或提升其账号配额（最多 2,000 个），然后重试。',
  'SagRoam.NotOnOrigin.title': '未发送：源实例上没有该用户名的客户端账号。',
  'SagRoam.NotOnOrigin.fix': '请检查拼写（按完全一致比较）和源实例；漫游只能复制源实例上已有的账号。',
  'SagRoam.OverQuota.title': '未发送：目标实例的账号配额已没有空余。',
  'SagRoam.OverQuota.fix':
    '请释放目标实例上的账号（删除不用的账号）或在智能接入网关控制台提高其配额，然后使用“重试失败项”。',
  'ClientUser.UserExist.title': '目标实例上已存在同名的客户端账号。',
  'ClientUser.UserExist.fix': '如果是同一个人，则无需处理；否则请删除或重命名目标实例上的该账号，然后重试。',
  'ClientUser.NameInvalid.title': '用户名格式不正确。',
  'ClientUser.NameInvalid.fix':
    '用户名长度为 7 到 33 个字符，可包含字母、数字及 _ @ . -，且必须以字母或数字开头。请修改后重试。',
  'SAG.CidrOverlap.title': '源实例与目标实例的私网网段存在重叠。',
  'SAG.CidrOverlap.fix': '漫游要求两个实例的私网网段互不重叠：请修改其中一个实例的网段，或选择其他目标实例。',
  'ClientUser.NotExist.title': '源实例上不存在该用户名。',
  'ClientUser.NotExist.fix':
    '请检查用户名拼写以及所选的源实例（源实例的客户端账号列表中列出了准确的用户名），然后重试。',
  'SAG.SameRegion.title': '源实例与目标实例位于同一地域。',
  'SAG.SameRegion.fix': '漫游只能在不同地域之间进行：请选择其他地域的目标实例。',

  'SAG.InstanceNoFound.oneInstance.title': '未找到该 SAG APP 实例。',
  'SAG.InstanceNoFound.oneInstance.fix': '请检查实例 ID，并确认该实例位于所填地域，然后重试。',
  'ClientUser.NotSupportAction.oneInstance.title': '该实例不支持客户端账号。',
  'ClientUser.NotSupportAction.oneInstance.fix':
    '这是硬件（CPE）实例，没有客户端账号：请检查实例 ID，并改选 SAG APP（软件客户端）实例。',
  'ClientUser.NotExist.delete.title': '该实例上不存在此用户名。',
  'ClientUser.NotExist.delete.fix':
    '该账号可能已被删除。请查看该实例的客户端账号列表：如果其中没有该账号，则无需其他操作。',
  'ClientUser.UserInUsing.title': '该账号本月已被使用，暂时无法删除。',
  'ClientUser.UserInUsing.fix':
    '本月已连接过的客户端账号会保留到月底。请在下个月删除；如需立即停止使用，请在智能接入网关控制台中禁用该实例上的此账号。',
  'SAG.InstanceIdEmpty.title': '请求中未指定 SAG 实例。',
  'ClientUser.NameEmpty.title': '请求中未指定用户名。',

  'InvalidAccessKeyId.NotFound.title': 'sag-roam 使用的 AccessKey ID 不存在。',
  'InvalidAccessKeyId.NotFound.fix':
    '请检查为 sag-roam 配置的 AccessKey ID（ALIBABA_CLOUD_ACCESS_KEY_ID 或凭据配置文件）；该 AccessKey 可能已被删除，或属于另一个站点（中国站/国际站）。',
  'InvalidAccessKeyId.Inactive.title': 'sag-roam 使用的 AccessKey 已被禁用。',
  'InvalidAccessKeyId.Inactive.fix':
    '请在 RAM 控制台启用该 AccessKey，或配置一个处于启用状态的 AccessKey，然后重试。',
  'securityToken.title':
    'sag-roam 使用的 STS 安全令牌（SecurityToken）缺失、已过期，或与其 AccessKey 不匹配。',
  'securityToken.fix':
    '请刷新临时凭据（ALIBABA_CLOUD_SECURITY_TOKEN 及与之配套的 AccessKey，或 sag-roam 扮演的 RAM 角色），然后重试。',
  'InvalidTimeStamp.Expired.title': '本服务器的时钟与阿里云的时间相差超过 15 分钟。',
  'InvalidTimeStamp.Expired.fix': '请同步运行 sag-roam 的服务器的时钟（NTP），然后重试。',
  'InvalidTimeStamp.Format.title': '阿里云无法解析请求中的时间戳。',
  'InvalidTimeStamp.Format.fix': '可能有代理改动了请求，或签名程序存在缺陷。请附上请求 ID 反馈问题。',
  'SignatureNonceUsed.title': '阿里云已收到过该请求（其一次性随机数 SignatureNonce 被重复使用）。',
  'SignatureNonceUsed.fix':
    '代理等中间环节重放请求时会出现此错误。请重新发送请求；如果反复出现，请附上请求 ID 反馈问题。',

  'InvalidParameter.title': '阿里云拒绝了某个参数值。',
  'InvalidParameter.fix': '请检查地域、实例 ID 和用户名；阿里云返回的错误信息中会指明具体参数。',

  'InvalidAction.NotFound.fix':
    '请检查 SAG_ENDPOINT 和地域：该服务接入点可能不提供 smartag API（版本 2018-03-13）。',
  'InvalidVersion.title': '该服务接入点不提供 2018-03-13 版本的智能接入网关 API。',
  'InvalidVersion.fix': '请检查 SAG_ENDPOINT 和地域：它可能指向了其他云产品。',
  'InvalidApi.NotFound.fix': '请检查 SAG_ENDPOINT 和地域：该服务接入点可能不提供 smartag API。',
  'InvalidProduct.NotFound.title': '该服务接入点不提供智能接入网关服务。',
  'InvalidProduct.NotFound.fix': '请检查 SAG_ENDPOINT 和地域：该地域可能未开放 smartag API。',

  'ServiceUnavailable.title': '智能接入网关服务暂时不可用。',

  'SagClient.Timeout.title': '阿里云未在限定时间内响应。',
  'SagClient.Timeout.notSent.title': '未能在限定时间内连接到阿里云。',
  'SagClient.ConnectionFailed.title': '无法连接到阿里云。',
  'SagClient.ConnectionLost.title': '收到响应前，与阿里云的连接已断开。',
  'SagClient.ConnectionLost.notSent.title': '请求发出前，与阿里云的连接已断开。',
  'SagClient.MalformedResponse.notSent.fix':
    '请检查 SAG_ENDPOINT：它指向的可能不是智能接入网关 API（而是代理或网页）。',
  'SagClient.UnexpectedHttpStatus.title': '返回响应的是代理或负载均衡，而不是阿里云。',
  'SagClient.UnexpectedHttpStatus.withStatus.title':
    '返回响应的是代理或负载均衡，而不是阿里云（HTTP {status}）。',
  'SagClient.UnexpectedHttpStatus.fix': '请检查 SAG_ENDPOINT 以及本服务器与阿里云之间的代理，然后重试。',
  'SagClient.CredentialsUnavailable.title': 'sag-roam 无法获取阿里云 AccessKey。',
  'SagClient.CredentialsUnavailable.fix':
    '请求未发出。请检查凭据配置：ALIBABA_CLOUD_ACCESS_KEY_ID 和 ALIBABA_CLOUD_ACCESS_KEY_SECRET、aliyun CLI 配置文件（~/.aliyun/config.json）、~/.alibabacloud/credentials，或 RAM 角色设置。',
  'SagClient.InvalidInput.title': '请求中有参数值无效，因此未发出。',
  'SagClient.InvalidInput.fix': '请检查地域、实例 ID 和用户名，然后重试。',
  'SagClient.ListingIncomplete.title': '该实例的客户端账号列表在 sag-roam 读取的页数内没有结束。',
  'SagClient.ListingIncomplete.fix':
    '一个实例最多有 2,000 个账号；为避免跟随无穷无尽的列表，sag-roam 最多读取 100 页（每页最多 100 个）。未做任何变更。请确认 SAG_ENDPOINT 指向阿里云，在控制台中查找这些账号，并附上请求 ID 反馈问题。',

  'generic.title': '阿里云拒绝了该请求。',
  'generic.fix': '请在阿里云文档中查询下方的错误码和请求 ID，或将其提供给技术支持。',
  'genericServer.title': '阿里云出现暂时性故障。',
};
