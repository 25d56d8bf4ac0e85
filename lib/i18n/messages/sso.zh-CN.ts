import type { ssoEn } from './sso.en';

/** 单点登录（身份提供方按钮、登录失败和其账号）的消息；合并进 zh-CN.ts。 */
export const ssoZhCN: Record<keyof typeof ssoEn, string> = {
  'sso.signInWith': '使用 {name} 登录',
  'sso.orLocal': '或使用本地账号',
  'sso.localOnly': '本地账号仅供应急管理员使用。',
  'sso.localForm': '使用本地管理员账号登录',
  'sso.failedTitle': '未登录',
  'sso.reference': '请向管理员提供参考编号：{reference}',
  'sso.failed.unavailable': '无法连接 {name}，暂时无法通过它登录。请稍后重试。',
  'sso.failed.wrong-issuer':
    '{name} 的应答来自另一个身份提供方，与 sag-roam 配置的不一致。请管理员检查 OIDC_ISSUER。',
  'sso.failed.cancelled': '已在 {name} 取消登录，未做任何更改。',
  'sso.failed.provider-error': '{name} 拒绝了此次登录。',
  'sso.failed.expired': '此次登录已被使用或耗时过长。请重新开始。',
  'sso.failed.state-mismatch': '此次登录是在另一个浏览器或窗口中发起的，无法在这里完成。请重新开始。',
  'sso.failed.invalid-response':
    '{name} 的应答未通过校验（签名、受众、签发方、有效期或 nonce），因此未被信任。请重新开始；如果再次发生，请告知管理员。',
  'sso.failed.no-email': '{name} 没有提供您账号的邮箱，而 sag-roam 需要它来显示操作人。',
  'sso.failed.no-group':
    '您在 {name} 的账号不属于任何可使用 sag-roam 的组。请管理员把您加入其中一个组；此处未创建任何账号。',
  'sso.failed.disabled': '您的 sag-roam 账号已被停用。请管理员启用它。',
  'sso.failed.unexpected':
    '登录因 sag-roam 自身的原因失败，并非 {name} 的问题。请重试；如果再次发生，请把参考编号告诉管理员。',
  'users.event.email_changed': '邮箱已更改',
  'users.singleSignOn': '单点登录',
  'users.managedByProvider': '角色来自其在 {name} 的组',
  'auth.managedByProvider': '此账号通过 {name} 登录：其角色来自那里的组，在此没有密码。您只能停用或启用它。',
};
