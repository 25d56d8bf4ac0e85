// DeleteSmartAccessGatewayClientUser, the only undo of a roam: every documented answer is reachable from the
// bundled seed, a deletion frees a place of the quota, and it is logged and faulted like the other operations.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { send, signedRequest } from '@/lib/testing/emulator-signed-requests';
import { sdkCall, sdkError } from '@/lib/testing/official-sdk';
import { DELETE_SCENARIOS, type DeleteScenario, ROAM_SCENARIOS, SEED_INSTANCES, SEED_USERS } from './seed';
import { type Emulator, startEmulator } from './server';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.setKnobs({ faults: {}, faultActions: null, faultPhase: 'before' });
  emulator.state.reset();
});

const ACTION = 'DeleteSmartAccessGatewayClientUser';

function deleteQuery(scenario: Pick<DeleteScenario, 'regionId' | 'smartAgId' | 'userName'>) {
  return { RegionId: scenario.regionId, SmartAGId: scenario.smartAgId, UserName: scenario.userName };
}

const names = (smartAgId: string) => emulator.state.accounts(smartAgId).map((account) => account.userName);

const failing = Object.entries(DELETE_SCENARIOS).filter(([, scenario]) => scenario.expect !== 'OK');

describe('DeleteSmartAccessGatewayClientUser scenarios of the bundled seed', () => {
  it.each(failing)('%s answers its code with HTTP 400 and deletes nothing', async (_name, scenario) => {
    const before = emulator.state.accounts(scenario.smartAgId);
    for (const algorithm of ['v2', 'v3'] as const) {
      const error = await sdkError(emulator, { algorithm, action: ACTION, query: deleteQuery(scenario) });
      expect(error).toMatchObject({ code: scenario.expect, statusCode: 400 });
    }
    expect(emulator.state.accounts(scenario.smartAgId)).toEqual(before);
    expect(emulator.state.requestLog().map((entry) => [entry.outcome, entry.applied])).toEqual([
      [scenario.expect, false],
      [scenario.expect, false],
    ]);
  });

  it('says why an account used this month cannot be deleted, in the documented words', async () => {
    const error = await sdkError(emulator, {
      algorithm: 'v3',
      action: ACTION,
      query: deleteQuery(DELETE_SCENARIOS.inUse),
    });
    expect(error.data?.Message).toBe(
      'The specified SAG user account is already in use this month. You cannot delete it.',
    );
  });

  it.each([
    [{ SmartAGId: SEED_INSTANCES.hangzhouRnd, UserName: SEED_USERS.clashPlain }, 'MissingRegionId'],
    [
      { RegionId: 'mars-north-1', SmartAGId: SEED_INSTANCES.hangzhouRnd, UserName: SEED_USERS.clashPlain },
      'InvalidRegionId',
    ],
    [{ RegionId: 'cn-hangzhou', UserName: SEED_USERS.clashPlain }, 'SAG.InstanceIdEmpty'],
    [{ RegionId: 'cn-hangzhou', SmartAGId: '', UserName: SEED_USERS.clashPlain }, 'SAG.InstanceIdEmpty'],
    [{ RegionId: 'cn-hangzhou', SmartAGId: SEED_INSTANCES.hangzhouRnd }, 'ClientUser.NameEmpty'],
  ])('refuses %o with %s', async (query, code) => {
    const error = await sdkError(emulator, { algorithm: 'v3', action: ACTION, query });
    expect(error).toMatchObject({ code, statusCode: 400 });
    expect(names(SEED_INSTANCES.hangzhouRnd)).toContain(SEED_USERS.clashPlain);
  });
});

describe('a successful deletion', () => {
  it('removes the account, answers only a RequestId, and is logged as applied', async () => {
    const scenario = DELETE_SCENARIOS.ok;
    const before = names(scenario.smartAgId);
    const answer = await sdkCall(emulator, { algorithm: 'v2', action: ACTION, query: deleteQuery(scenario) });
    expect(Object.keys(answer.body as object)).toEqual(['RequestId']);
    expect(names(scenario.smartAgId)).toEqual(before.filter((name) => name !== scenario.userName));
    expect(emulator.state.instance(scenario.smartAgId)?.accountCount).toBe(before.length - 1);
    expect(emulator.state.requestLog()).toMatchObject([
      { action: ACTION, outcome: 'OK', applied: true, params: deleteQuery(scenario) },
    ]);

    // Not idempotent in effect: sending it again finds no account.
    const again = await sdkError(emulator, { algorithm: 'v3', action: ACTION, query: deleteQuery(scenario) });
    expect(again.code).toBe('ClientUser.NotExist');
  });

  it('frees a place of a full quota: the roam refused before goes through after', async () => {
    const overLimit = ROAM_SCENARIOS.overLimit;
    const roamQuery = {
      RegionId: overLimit.regionId,
      OriginRegionId: overLimit.originRegionId,
      OriginSmartAGId: overLimit.originSmartAgId,
      TargetSmartAGId: overLimit.targetSmartAgId,
      UserName: overLimit.userName,
    };
    expect(
      (await sdkError(emulator, { algorithm: 'v3', action: 'RoamClientUser', query: roamQuery })).code,
    ).toBe('ClientUser.UserOverLimit');
    const [first] = names(SEED_INSTANCES.singaporeApac);
    await sdkCall(emulator, {
      algorithm: 'v3',
      action: ACTION,
      query: { RegionId: 'ap-southeast-1', SmartAGId: SEED_INSTANCES.singaporeApac, UserName: first ?? '' },
    });
    await sdkCall(emulator, { algorithm: 'v3', action: 'RoamClientUser', query: roamQuery });
    expect(names(SEED_INSTANCES.singaporeApac)).toContain(overLimit.userName);
    // The quota itself (UserCount) does not move; only the accounts in use do.
    const gateways = await sdkCall(emulator, {
      algorithm: 'v3',
      action: 'DescribeSmartAccessGateways',
      query: { RegionId: 'ap-southeast-1', SmartAGId: SEED_INSTANCES.singaporeApac },
    });
    expect(
      (gateways.body as { SmartAccessGateways: { SmartAccessGateway: { UserCount: number }[] } })
        .SmartAccessGateways.SmartAccessGateway[0]?.UserCount,
    ).toBe(50);
  });

  it('undoes a roam, unless the client has used the copy this month', async () => {
    const roam = ROAM_SCENARIOS.ok;
    const roamQuery = {
      RegionId: roam.regionId,
      OriginRegionId: roam.originRegionId,
      OriginSmartAGId: roam.originSmartAgId,
      TargetSmartAGId: roam.targetSmartAgId,
      UserName: roam.userName,
    };
    const copy = { regionId: roam.regionId, smartAgId: roam.targetSmartAgId, userName: roam.userName };
    await sdkCall(emulator, { algorithm: 'v3', action: 'RoamClientUser', query: roamQuery });
    expect(emulator.state.markUsedThisMonth(copy.smartAgId, copy.userName)).toBe(true);
    expect(
      (await sdkError(emulator, { algorithm: 'v3', action: ACTION, query: deleteQuery(copy) })).code,
    ).toBe('ClientUser.UserInUsing');

    emulator.state.reset();
    await sdkCall(emulator, { algorithm: 'v3', action: 'RoamClientUser', query: roamQuery });
    await sdkCall(emulator, { algorithm: 'v3', action: ACTION, query: deleteQuery(copy) });
    expect(names(copy.smartAgId)).not.toContain(copy.userName);
    expect(names(roam.originSmartAgId)).toContain(copy.userName);
    expect(emulator.state.markUsedThisMonth(copy.smartAgId, copy.userName)).toBe(false);
  });

  it('a copy of an account whose user connects at once is in use on the target, so it cannot be deleted', async () => {
    const roam = ROAM_SCENARIOS.ok;
    const userName = SEED_USERS.connectsAtOnce;
    await sdkCall(emulator, {
      algorithm: 'v3',
      action: 'RoamClientUser',
      query: {
        RegionId: roam.regionId,
        OriginRegionId: roam.originRegionId,
        OriginSmartAGId: roam.originSmartAgId,
        TargetSmartAGId: roam.targetSmartAgId,
        UserName: userName,
      },
    });
    const copy = { regionId: roam.regionId, smartAgId: roam.targetSmartAgId, userName };
    expect(
      (await sdkError(emulator, { algorithm: 'v3', action: ACTION, query: deleteQuery(copy) })).code,
    ).toBe('ClientUser.UserInUsing');
    expect(names(copy.smartAgId)).toContain(userName);
  });

  it('a copy roamed from an account used on the origin is new on the target, so it can be deleted', async () => {
    expect(emulator.state.markUsedThisMonth(SEED_INSTANCES.shanghaiHq, SEED_USERS.ready)).toBe(true);
    const roam = ROAM_SCENARIOS.ok;
    await sdkCall(emulator, {
      algorithm: 'v3',
      action: 'RoamClientUser',
      query: {
        RegionId: roam.regionId,
        OriginRegionId: roam.originRegionId,
        OriginSmartAGId: roam.originSmartAgId,
        TargetSmartAGId: roam.targetSmartAgId,
        UserName: roam.userName,
      },
    });
    const copy = emulator.state.accounts(roam.targetSmartAgId).find((a) => a.userName === roam.userName);
    expect(copy?.usedThisMonth).toBeUndefined();
    await sdkCall(emulator, {
      algorithm: 'v3',
      action: ACTION,
      query: { RegionId: roam.regionId, SmartAGId: roam.targetSmartAgId, UserName: roam.userName },
    });
    expect(names(roam.targetSmartAgId)).not.toContain(roam.userName);
  });
});

describe('signature, RAM and faults, as for the other operations', () => {
  it('refuses a tampered signature and a RAM identity without smartag:DeleteSmartAccessGatewayClientUser', async () => {
    const tampered = signedRequest(emulator, {
      scheme: 'v3',
      action: ACTION,
      params: deleteQuery(DELETE_SCENARIOS.ok),
    });
    tampered.headers['x-acs-signature-nonce'] = 'changed-after-signing';
    const answer = await send(emulator, tampered);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).Code).toBe('SignatureDoesNotMatch');

    const denied = await startEmulator({
      accessKeys: [
        {
          accessKeyId: 'LTAI5tNoDeleteKey000001',
          accessKeySecret: 'NoDelete/Secret+01',
          deniedActions: [ACTION],
        },
      ],
    });
    try {
      const error = await sdkError(denied, {
        algorithm: 'v2',
        accessKeyId: 'LTAI5tNoDeleteKey000001',
        accessKeySecret: 'NoDelete/Secret+01',
        action: ACTION,
        query: deleteQuery(DELETE_SCENARIOS.ok),
      });
      expect(error).toMatchObject({ code: 'Forbidden.RAM', statusCode: 403 });
      expect(denied.state.accounts(DELETE_SCENARIOS.ok.smartAgId).map((a) => a.userName)).toContain(
        DELETE_SCENARIOS.ok.userName,
      );
    } finally {
      await denied.close();
    }
    expect(names(DELETE_SCENARIOS.ok.smartAgId)).toContain(DELETE_SCENARIOS.ok.userName);
  });

  it('a fault after the deletion loses the answer, yet the account is gone', async () => {
    emulator.setKnobs({ faults: { status503: 1 }, faultPhase: 'after', faultActions: [ACTION] });
    const error = await sdkError(emulator, {
      algorithm: 'v3',
      action: ACTION,
      query: deleteQuery(DELETE_SCENARIOS.ok),
    });
    expect(error).toMatchObject({ code: 'ServiceUnavailable', statusCode: 503 });
    expect(names(DELETE_SCENARIOS.ok.smartAgId)).not.toContain(DELETE_SCENARIOS.ok.userName);
    expect(emulator.state.requestLog()).toMatchObject([
      { action: ACTION, fault: 'status503', faultPhase: 'after', applied: true },
    ]);
  });

  it('a fault before the deletion changes nothing', async () => {
    emulator.setKnobs({ faults: { status500: 1 }, faultPhase: 'before', faultActions: [ACTION] });
    const error = await sdkError(emulator, {
      algorithm: 'v3',
      action: ACTION,
      query: deleteQuery(DELETE_SCENARIOS.ok),
    });
    expect(error).toMatchObject({ code: 'InternalError', statusCode: 500 });
    expect(names(DELETE_SCENARIOS.ok.smartAgId)).toContain(DELETE_SCENARIOS.ok.userName);
    expect(emulator.state.requestLog()).toMatchObject([{ fault: 'status500', applied: false }]);
  });
});
