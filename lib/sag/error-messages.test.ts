import { describe, expect, it } from 'vitest';
import { adminMessage, CLIENT_ERROR_CODES, DOCUMENTED_ERROR_CODES, lookupErrorCode } from './error-messages';

const roamCodes = [
  'SAG.InstanceNoFound',
  'ClientUser.NotSupportAction',
  'SAG.CidrEmpty',
  'ClientUser.BandwidthInvalid',
  'ClientUser.InvalidClientIp',
  'ClientUser.UserOverLimit',
  'ClientUser.UserExist',
  'ClientUser.NameInvalid',
  'SAG.CidrOverlap',
  'ClientUser.NotExist',
  'SAG.SameRegion',
];

/** DeleteSmartAccessGatewayClientUser's own documented codes (it shares SAG.InstanceNoFound and NameInvalid). */
const deleteCodes = ['ClientUser.UserInUsing', 'SAG.InstanceIdEmpty', 'ClientUser.NameEmpty'];

const gatewayCodes = [
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidAccessKeyId.NotFound',
  'InvalidAccessKeyId.Inactive',
  'InvalidTimeStamp.Expired',
  'InvalidTimeStamp.Format',
  'SignatureNonceUsed',
  'Forbidden.RAM',
  'Forbidden',
  'NoPermission',
  'MissingParameter',
  'InvalidParameter',
  'MissingUserName',
  'InvalidRegionId.Malformed',
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'ServiceUnavailable',
  'InternalError',
  'InvalidAction.NotFound',
  'InvalidVersion',
  'InvalidApi.NotFound',
];

const clientCodes = Object.values(CLIENT_ERROR_CODES);

const generic = adminMessage('Totally.Unknown', { action: 'RoamClientUser', outcome: 'not_applied' });

describe('error catalog', () => {
  it.each([...roamCodes, ...deleteCodes, ...gatewayCodes, ...clientCodes])(
    'has an admin message of its own for %s',
    (code) => {
      const entry = lookupErrorCode(code, 400);
      expect(entry.known).toBe(true);
      for (const outcome of ['not_applied', 'unknown'] as const) {
        const message = adminMessage(code, { action: 'RoamClientUser', outcome });
        expect(message.title.length).toBeGreaterThan(10);
        expect(message.fix.length).toBeGreaterThan(10);
        expect(message.title).not.toBe(generic.title);
      }
    },
  );

  it('lists every explicitly documented code', () => {
    for (const code of [...roamCodes, ...deleteCodes, ...clientCodes])
      expect(DOCUMENTED_ERROR_CODES).toContain(code);
  });

  it('explains UserExist in the admin’s words', () => {
    expect(
      adminMessage('ClientUser.UserExist', { action: 'RoamClientUser', outcome: 'not_applied' }),
    ).toEqual({
      title: 'An account with this username already exists on the target instance.',
      fix: 'Nothing to do if it is the same person; otherwise delete or rename the account on the target, then retry.',
    });
  });

  it('marks throttling and server failures transient, and nothing the admin must fix', () => {
    for (const code of [
      'Throttling',
      'Throttling.User',
      'Throttling.Api',
      'Throttling.Something',
      'ServiceUnavailable',
      'InternalError',
    ]) {
      expect(lookupErrorCode(code).transient, code).toBe(true);
    }
    for (const code of [
      ...roamCodes,
      'SignatureDoesNotMatch',
      'Forbidden.RAM',
      'InvalidTimeStamp.Expired',
      'SignatureNonceUsed',
    ]) {
      expect(lookupErrorCode(code).transient, code).toBe(false);
    }
  });

  it('tells a wrong secret from a signing difference', () => {
    const context = { action: 'DescribeRegions', outcome: 'not_applied' } as const;
    expect(adminMessage('SignatureDoesNotMatch', { ...context, signatureCheck: 'same' }).title).toBe(
      'The AccessKey secret is wrong.',
    );
    expect(adminMessage('IncompleteSignature', { ...context, signatureCheck: 'different' }).title).toBe(
      'The request was signed differently from what Alibaba Cloud expected.',
    );
    expect(adminMessage('SignatureDoesNotMatch', context).title).toBe(
      'Alibaba Cloud rejected the request signature.',
    );
  });

  it('names the missing permission', () => {
    expect(adminMessage('Forbidden.RAM', { action: 'RoamClientUser', outcome: 'not_applied' }).fix).toContain(
      'smartag:RoamClientUser',
    );
  });

  it('tells the admin to check the target when a roam outcome is unknown', () => {
    for (const code of [
      CLIENT_ERROR_CODES.timeout,
      CLIENT_ERROR_CODES.connectionLost,
      'InternalError',
      'Some.Unknown',
    ]) {
      const message = adminMessage(code, { action: 'RoamClientUser', outcome: 'unknown' });
      expect(message.fix, code).toContain('may or may not have been applied');
    }
    expect(
      adminMessage(CLIENT_ERROR_CODES.timeout, { action: 'RoamClientUser', outcome: 'not_applied' }).fix,
    ).toContain('Nothing was sent');
  });

  it('tells the admin to check the instance before deleting again when a deletion outcome is unknown', () => {
    const action = 'DeleteSmartAccessGatewayClientUser';
    for (const code of [
      CLIENT_ERROR_CODES.timeout,
      CLIENT_ERROR_CODES.connectionLost,
      CLIENT_ERROR_CODES.malformedResponse,
      CLIENT_ERROR_CODES.unexpectedHttpStatus,
      'InternalError',
      'ServiceUnavailable',
      'Some.Unknown',
    ]) {
      const message = adminMessage(code, { action, outcome: 'unknown' });
      expect(message.fix, code).toContain('deletion may or may not have been applied');
      expect(message.fix, code).not.toContain('roam');
    }
    // A Describe call changes nothing, so it is simply retried.
    expect(
      adminMessage(CLIENT_ERROR_CODES.timeout, { action: 'DescribeRegions', outcome: 'unknown' }).fix,
    ).toContain('Nothing is changed by this request');
  });

  it('explains a deletion refused for an account used this month, and speaks of one instance', () => {
    const context = { action: 'DeleteSmartAccessGatewayClientUser', outcome: 'not_applied' } as const;
    expect(adminMessage('ClientUser.UserInUsing', context)).toEqual({
      title: 'This account was used this month and cannot be deleted yet.',
      fix: 'Alibaba Cloud keeps a client account that connected this month until the month ends. Delete it next month; to stop its use now, disable it on the instance in the Smart Access Gateway console.',
    });
    expect(adminMessage('SAG.InstanceNoFound', context).title).toBe('The SAG APP instance was not found.');
    expect(adminMessage('ClientUser.NotExist', context).title).toBe(
      'This username does not exist on the instance.',
    );
    // The roam keeps its own words.
    expect(adminMessage('ClientUser.NotExist', { ...context, action: 'RoamClientUser' }).title).toBe(
      'This username does not exist on the origin instance.',
    );
    expect(adminMessage('SAG.InstanceIdEmpty', context).fix).toContain('bug in sag-roam');
  });

  it('keeps unknown codes generic and treats an unknown 5xx as transient', () => {
    expect(lookupErrorCode('Brand.New', 400)).toMatchObject({ known: false, transient: false });
    expect(lookupErrorCode('Brand.New', 502)).toMatchObject({ known: false, transient: true });
    expect(lookupErrorCode('toString').known).toBe(false);
  });
});

describe('security token errors', () => {
  it.each([
    'InvalidSecurityToken.Expired',
    'InvalidSecurityToken.MismatchWithAccessKey',
    'MissingSecurityToken',
  ])('%s tells the admin to refresh the temporary credentials', (code) => {
    const message = adminMessage(code, { action: 'RoamClientUser', outcome: 'not_applied' });
    expect(message.title).toContain('STS security token');
    expect(message.fix).toContain('Refresh the temporary credentials');
  });
});

describe('an error about an instance names the one it is about, or both when the answer does not say', () => {
  const roam = { action: 'RoamClientUser', outcome: 'not_applied' } as const;
  /** Codes that can only be about the target of a roam (its CIDR, quota, accounts), or only its origin. */
  const aboutTargetOnly = [
    'SAG.CidrEmpty',
    'ClientUser.BandwidthInvalid',
    'ClientUser.InvalidClientIp',
    'ClientUser.UserOverLimit',
    'ClientUser.UserExist',
    'SagRoam.OverQuota',
  ];
  const aboutOriginOnly = ['ClientUser.NotExist', 'SagRoam.NotOnOrigin'];
  const names = (text: string) => ({
    origin: /\borigin\b/i.test(text),
    target: /\btarget\b/i.test(text),
  });

  it.each(DOCUMENTED_ERROR_CODES)(
    '%s names one side of a roam alone only when it can only be about that side',
    (code) => {
      const { title } = adminMessage(code, roam);
      const named = names(title);
      if (named.target && !named.origin) expect(aboutTargetOnly, title).toContain(code);
      if (named.origin && !named.target) expect(aboutOriginOnly, title).toContain(code);
    },
  );

  it('says "origin or target" for a roam to or from a hardware instance, in both languages', () => {
    // The walk-through's case: a hardware origin was reported as a target that takes no client accounts.
    expect(adminMessage('ClientUser.NotSupportAction', roam)).toEqual({
      title: 'The origin or target instance does not accept client accounts.',
      fix: 'Roaming needs a SAG APP (software client) instance on both sides; hardware (CPE) instances have no client accounts. Check which of the two is a hardware instance (the plan before sending names it), and pick SAG APP instances.',
    });
    expect(adminMessage('ClientUser.NotSupportAction', roam, 'zh-CN').title).toBe(
      '源实例或目标实例不支持客户端账号。',
    );
    expect(adminMessage('SAG.InstanceNoFound', roam).title).toBe(
      'The origin or target SAG APP instance was not found.',
    );
  });

  it("names the other instance when the job's plan found one of them to be a SAG APP instance", () => {
    const originFound = { ...roam, foundByPlan: { origin: true, target: false } };
    const targetFound = { ...roam, foundByPlan: { origin: false, target: true } };
    expect(adminMessage('ClientUser.NotSupportAction', originFound)).toEqual({
      title: 'The target instance does not accept client accounts.',
      fix: 'Pick a SAG APP (software client) instance as the target; hardware (CPE) instances have no client accounts.',
    });
    expect(adminMessage('ClientUser.NotSupportAction', targetFound).title).toBe(
      'The origin instance does not accept client accounts.',
    );
    expect(adminMessage('SAG.InstanceNoFound', originFound)).toEqual({
      title: 'The target SAG APP instance was not found.',
      fix: 'Check the target instance ID and that the instance is in the target region, then retry.',
    });
    expect(adminMessage('SAG.InstanceNoFound', targetFound, 'zh-CN').title).toBe('源 SAG APP 实例不存在。');
    // Both found, or neither: the plan does not tell, so both are named.
    for (const foundByPlan of [
      { origin: true, target: true },
      { origin: false, target: false },
    ]) {
      expect(adminMessage('ClientUser.NotSupportAction', { ...roam, foundByPlan }).title).toBe(
        'The origin or target instance does not accept client accounts.',
      );
    }
  });

  it.each([
    'DeleteSmartAccessGatewayClientUser',
    'DescribeSmartAccessGatewayClientUsers',
    'DescribeSmartAccessGateways',
  ])('speaks of the one instance a call of %s names', (action) => {
    const context = { action, outcome: 'not_applied' } as const;
    for (const code of ['SAG.InstanceNoFound', 'ClientUser.NotSupportAction']) {
      const { title, fix } = adminMessage(code, context);
      expect(names(title), title).toEqual({ origin: false, target: false });
      expect(names(fix), fix).toEqual({ origin: false, target: false });
    }
    expect(adminMessage('SAG.InstanceNoFound', context).title).toBe('The SAG APP instance was not found.');
    expect(adminMessage('ClientUser.NotSupportAction', context, 'zh-CN').title).toBe(
      '该实例不支持客户端账号。',
    );
  });
});
