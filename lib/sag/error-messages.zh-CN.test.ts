import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '@/lib/i18n/locales';
import {
  adminMessage,
  CLIENT_ERROR_CODES,
  DOCUMENTED_ERROR_CODES,
  type ErrorContext,
  lookupErrorCode,
} from './error-messages';
import type { AdminMessage } from './errors';

/** Codes that only a pattern family matches, one or more per family, plus unknown codes (generic). */
const patternExamples = [
  'InvalidSecurityToken.Expired',
  'InvalidSecurityToken.MismatchWithAccessKey',
  'MissingSecurityToken',
  'Throttling.Something',
  'Forbidden.Something',
  'InvalidAccessKeyId.Something',
  'InvalidAction.Something',
  'InvalidApi.Something',
  'InvalidProduct.Something',
  'UnsupportedOperation.Something',
  'MissingUserName',
  'InvalidRegionId.Malformed',
];
const unknownCodes = ['Totally.Unknown', 'toString'];
const clientCodes = Object.values(CLIENT_ERROR_CODES);
const allCodes = [
  ...new Set([...DOCUMENTED_ERROR_CODES, ...patternExamples, ...clientCodes, ...unknownCodes]),
];

const actions = [
  'RoamClientUser',
  'DeleteSmartAccessGatewayClientUser',
  'DescribeRegions',
  'DescribeSmartAccessGatewayClientUsers',
];
const contexts: ErrorContext[] = actions.flatMap((action) =>
  (['not_applied', 'unknown'] as const).flatMap((outcome) =>
    ([undefined, 'same', 'different', 'unavailable'] as const).flatMap((signatureCheck) =>
      [undefined, 400, 502].map((httpStatus) => ({ action, outcome, signatureCheck, httpStatus })),
    ),
  ),
);

const CJK = /[\u4e00-\u9fff]/;
/** Names and values that must survive translation verbatim. */
const PROTECTED = [
  /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:=v[23])?/g, // environment variables (SAG_SIGNATURE_VERSION=v2)
  /\bsmartag:[A-Za-z]+/g, // RAM permissions
  /~\/[\w./]+/g, // credential file paths
  /\bv[23]\b/g, // signature versions
  /\d[\d,-]*\d|\d/g, // numbers, dates, versions
  /\bHTTP \d{3}\b/g,
];
const protectedTokens = (english: string) => PROTECTED.flatMap((pattern) => english.match(pattern) ?? []);

function pair(code: string, context: ErrorContext): { en: AdminMessage; zh: AdminMessage } {
  return { en: adminMessage(code, context), zh: adminMessage(code, context, 'zh-CN') };
}

function expectGoodChinese(english: string, chinese: string, where: string) {
  expect(chinese.trim().length, where).toBeGreaterThan(3);
  expect(chinese, where).toMatch(CJK);
  expect(chinese, where).not.toBe(english);
  expect(chinese, `${where} ends like a Chinese sentence`).toMatch(/。$/);
  expect(chinese, `${where} has no untranslated English phrase`).not.toMatch(
    /[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}/,
  );
  for (const token of protectedTokens(english)) expect(chinese, `${where} keeps ${token}`).toContain(token);
}

describe('zh-CN error catalog', () => {
  it('lists the locales, English first', () => {
    expect(LOCALES).toEqual(['en', 'zh-CN']);
  });

  it.each(allCodes)('translates %s in every context', (code) => {
    for (const context of contexts) {
      const { en, zh } = pair(code, context);
      const where = `${code} ${JSON.stringify(context)}`;
      expectGoodChinese(en.title, zh.title, `${where} title`);
      expectGoodChinese(en.fix, zh.fix, `${where} fix`);
    }
  });

  it.each(allCodes)('keeps English as the default for %s', (code) => {
    for (const context of contexts) {
      const english = adminMessage(code, context);
      expect(adminMessage(code, context, 'en')).toEqual(english);
      expect(lookupErrorCode(code, context.httpStatus).describe(context)).toEqual(english);
      expect(lookupErrorCode(code, context.httpStatus).describe(context, 'en')).toEqual(english);
      expect(lookupErrorCode(code, context.httpStatus).describe(context, 'zh-CN')).toEqual(
        adminMessage(code, context, 'zh-CN'),
      );
    }
  });

  it('translates each English text one way, and different English texts differently', () => {
    const chineseFor = new Map<string, string>();
    const englishFor = new Map<string, string>();
    for (const code of allCodes) {
      for (const context of contexts) {
        const { en, zh } = pair(code, context);
        for (const [english, chinese] of [
          [en.title, zh.title],
          [en.fix, zh.fix],
        ] as const) {
          expect(chineseFor.get(english) ?? chinese, english).toBe(chinese);
          expect(englishFor.get(chinese) ?? english, chinese).toBe(english);
          chineseFor.set(english, chinese);
          englishFor.set(chinese, english);
        }
      }
    }
    expect(chineseFor.size).toBeGreaterThanOrEqual(80);
  });

  it('falls back to English for a locale it does not know', () => {
    const context = { action: 'RoamClientUser', outcome: 'not_applied' } as const;
    expect(adminMessage('ClientUser.UserExist', context, 'fr' as Locale)).toEqual(
      adminMessage('ClientUser.UserExist', context),
    );
  });
});

describe('zh-CN context variants', () => {
  const roam = { action: 'RoamClientUser', outcome: 'not_applied' } as const;
  const describeRegions = { action: 'DescribeRegions', outcome: 'not_applied' } as const;

  it('explains UserExist in the admin’s words', () => {
    expect(adminMessage('ClientUser.UserExist', roam, 'zh-CN')).toEqual({
      title: '目标实例上已存在同名的客户端账号。',
      fix: '如果是同一个人，则无需处理；否则请删除或重命名目标实例上的该账号，然后重试。',
    });
  });

  it('tells a wrong secret from a signing difference', () => {
    const same = adminMessage(
      'SignatureDoesNotMatch',
      { ...describeRegions, signatureCheck: 'same' },
      'zh-CN',
    );
    const different = adminMessage(
      'IncompleteSignature',
      { ...describeRegions, signatureCheck: 'different' },
      'zh-CN',
    );
    const unavailable = adminMessage(
      'SignatureDoesNotMatch',
      { ...describeRegions, signatureCheck: 'unavailable' },
      'zh-CN',
    );
    expect(same.title).toBe('AccessKey Secret 不正确。');
    expect(different.title).toBe('请求的签名方式与阿里云的预期不一致。');
    expect(different.fix).toContain('SAG_SIGNATURE_VERSION=v2 或 v3');
    expect(unavailable.title).toBe('阿里云校验请求签名失败。');
    expect(adminMessage('SignatureDoesNotMatch', describeRegions, 'zh-CN')).toEqual(unavailable);
    expect(new Set([same.title, different.title, unavailable.title]).size).toBe(3);
  });

  it('names the missing permission for the action that failed', () => {
    for (const code of ['Forbidden.RAM', 'Forbidden', 'NoPermission', 'Forbidden.Something']) {
      const message = adminMessage(code, describeRegions, 'zh-CN');
      expect(message.title, code).toBe('sag-roam 使用的 AccessKey 无权调用 DescribeRegions。');
      expect(message.fix, code).toContain('授予 smartag:DescribeRegions 权限');
      expect(message.fix, code).toContain('smartag:RoamClientUser');
    }
  });

  it('throttling: roam points to ROAM_RATE_PER_SECOND, describe calls do not', () => {
    const roamFix = adminMessage('Throttling.User', roam, 'zh-CN').fix;
    const describeFix = adminMessage('Throttling.User', describeRegions, 'zh-CN').fix;
    expect(roamFix).toContain('ROAM_RATE_PER_SECOND');
    expect(describeFix).not.toContain('ROAM_RATE_PER_SECOND');
    for (const fix of [roamFix, describeFix]) expect(fix).toContain('配额中心');
  });

  it('tells the admin to check the target when a roam outcome is unknown', () => {
    for (const code of [
      CLIENT_ERROR_CODES.timeout,
      CLIENT_ERROR_CODES.connectionLost,
      CLIENT_ERROR_CODES.malformedResponse,
      CLIENT_ERROR_CODES.unexpectedHttpStatus,
      'InternalError',
      'ServiceUnavailable',
      'Some.Unknown',
    ]) {
      const message = adminMessage(code, { action: 'RoamClientUser', outcome: 'unknown' }, 'zh-CN');
      expect(message.fix, code).toContain('无法确定本次漫游是否已生效');
      expect(message.fix, code).toContain('目标实例的客户端账号列表');
      const describeCall = adminMessage(code, { action: 'DescribeRegions', outcome: 'unknown' }, 'zh-CN');
      expect(describeCall.fix, code).not.toContain('漫游');
    }
    expect(adminMessage(CLIENT_ERROR_CODES.timeout, roam, 'zh-CN')).toEqual({
      title: '未能在限定时间内连接到阿里云。',
      fix: '请求未发出。请检查本服务器能否访问服务接入点（DNS、防火墙、代理、SAG_ENDPOINT），然后重试。',
    });
  });

  it('shows the HTTP status a proxy answered with, when known', () => {
    const code = CLIENT_ERROR_CODES.unexpectedHttpStatus;
    expect(adminMessage(code, { ...roam, httpStatus: 502 }, 'zh-CN').title).toBe(
      '返回响应的是代理或负载均衡，而不是阿里云（HTTP 502）。',
    );
    expect(adminMessage(code, roam, 'zh-CN').title).toBe('返回响应的是代理或负载均衡，而不是阿里云。');
  });

  it('keeps an unknown code generic, and an unknown 5xx temporary', () => {
    expect(adminMessage('Brand.New', { ...roam, httpStatus: 400 }, 'zh-CN').title).toBe(
      '阿里云拒绝了该请求。',
    );
    expect(adminMessage('Brand.New', { ...roam, httpStatus: 502 }, 'zh-CN').title).toBe(
      '阿里云出现暂时性故障。',
    );
  });

  it.each([
    'InvalidSecurityToken.Expired',
    'InvalidSecurityToken.MismatchWithAccessKey',
    'MissingSecurityToken',
  ])('%s tells the admin to refresh the temporary credentials', (code) => {
    const message = adminMessage(code, roam, 'zh-CN');
    expect(message.title).toContain('STS 安全令牌');
    expect(message.fix).toContain('请刷新临时凭据');
    expect(message.fix).toContain('ALIBABA_CLOUD_SECURITY_TOKEN');
  });

  it('keeps the credential sources verbatim', () => {
    const { fix } = adminMessage(CLIENT_ERROR_CODES.credentialsUnavailable, roam, 'zh-CN');
    for (const source of [
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      '~/.aliyun/config.json',
      '~/.alibabacloud/credentials',
    ])
      expect(fix).toContain(source);
  });
});
