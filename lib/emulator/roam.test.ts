// RoamClientUser: every documented answer is reachable from the bundled seed, and a roam changes state.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sdkCall, sdkError } from '@/lib/testing/official-sdk';
import { DEFAULT_SEED, ROAM_SCENARIOS, type RoamScenario, SEED_INSTANCES, SEED_USERS } from './seed';
import { type Emulator, startEmulator } from './server';
import { USERNAME_PATTERN } from './state';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.state.reset());

function roamQuery(scenario: Pick<RoamScenario, keyof RoamScenario>) {
  return {
    RegionId: scenario.regionId,
    OriginRegionId: scenario.originRegionId,
    OriginSmartAGId: scenario.originSmartAgId,
    TargetSmartAGId: scenario.targetSmartAgId,
    UserName: scenario.userName,
  };
}

const failing = Object.entries(ROAM_SCENARIOS).filter(([, scenario]) => scenario.expect !== 'OK');

describe('RoamClientUser scenarios of the bundled seed', () => {
  it.each(failing)(
    '%s answers its documented code with HTTP 400 and changes nothing',
    async (_name, scenario) => {
      const before = emulator.state.accounts(scenario.targetSmartAgId);
      const error = await sdkError(emulator, {
        algorithm: 'v3',
        action: 'RoamClientUser',
        query: roamQuery(scenario),
      });
      expect(error).toMatchObject({ code: scenario.expect, statusCode: 400 });
      expect(emulator.state.accounts(scenario.targetSmartAgId)).toEqual(before);
      expect(emulator.state.roamCount(scenario.targetSmartAgId, scenario.userName)).toEqual({
        requests: 1,
        applied: 0,
      });
    },
  );

  it('uses the documented messages', async () => {
    const error = await sdkError(emulator, {
      algorithm: 'v2',
      action: 'RoamClientUser',
      query: roamQuery(ROAM_SCENARIOS.userExist),
    });
    expect(error.data?.Message).toBe('The specified user already exists.');
  });
});

describe('a successful roam', () => {
  const scenario = ROAM_SCENARIOS.ok;

  it('copies the account to the target, raises its account count, and leaves the origin as it was', async () => {
    const originBefore = emulator.state.accounts(scenario.originSmartAgId);
    const countBefore = emulator.state.instance(scenario.targetSmartAgId)?.accountCount ?? 0;
    const answer = await sdkCall(emulator, {
      algorithm: 'v2',
      action: 'RoamClientUser',
      query: roamQuery(scenario),
    });
    expect(Object.keys(answer.body as object)).toEqual(['RequestId']);

    const copied = emulator.state
      .accounts(scenario.targetSmartAgId)
      .find((a) => a.userName === scenario.userName);
    const original = originBefore.find((a) => a.userName === scenario.userName);
    expect(copied).toEqual({ ...original, roamedFrom: scenario.originSmartAgId });
    expect(emulator.state.instance(scenario.targetSmartAgId)?.accountCount).toBe(countBefore + 1);
    expect(emulator.state.accounts(scenario.originSmartAgId)).toEqual(originBefore);
    expect(emulator.state.roamCount(scenario.targetSmartAgId, scenario.userName)).toEqual({
      requests: 1,
      applied: 1,
    });
  });

  it('is visible to DescribeSmartAccessGatewayClientUsers on the target, and a resend answers UserExist', async () => {
    await sdkCall(emulator, { algorithm: 'v3', action: 'RoamClientUser', query: roamQuery(scenario) });
    const listed = await sdkCall(emulator, {
      algorithm: 'v3',
      action: 'DescribeSmartAccessGatewayClientUsers',
      query: {
        RegionId: scenario.regionId,
        SmartAGId: scenario.targetSmartAgId,
        UserName: scenario.userName,
      },
    });
    expect(
      (listed.body as { Users: { User: { UserName: string }[] } }).Users.User.map((u) => u.UserName),
    ).toEqual([scenario.userName]);
    const resend = await sdkError(emulator, {
      algorithm: 'v3',
      action: 'RoamClientUser',
      query: roamQuery(scenario),
    });
    expect(resend.code).toBe('ClientUser.UserExist');
    expect(emulator.state.roamCount(scenario.targetSmartAgId, scenario.userName)).toEqual({
      requests: 2,
      applied: 1,
    });
  });

  it('fills a quota: the roam after the last free seat answers UserOverLimit', async () => {
    // hongkongSales: 40 of 200 used; roam 160 plain Shanghai accounts, then one more.
    const users = emulator.state
      .accounts(SEED_INSTANCES.shanghaiHq)
      .filter((a) => a.bandwidthKbps <= 5000 && !a.isStaticIp && USERNAME_PATTERN.test(a.userName))
      .map((a) => a.userName);
    const query = (UserName: string) => ({
      RegionId: 'cn-hongkong',
      OriginRegionId: 'cn-shanghai',
      OriginSmartAGId: SEED_INSTANCES.shanghaiHq,
      TargetSmartAGId: SEED_INSTANCES.hongkongSales,
      UserName,
    });
    for (const userName of users.slice(0, 160)) {
      await sdkCall(emulator, { algorithm: 'v3', action: 'RoamClientUser', query: query(userName) });
    }
    expect(emulator.state.instance(SEED_INSTANCES.hongkongSales)?.accountCount).toBe(200);
    const error = await sdkError(emulator, {
      algorithm: 'v3',
      action: 'RoamClientUser',
      query: query(users[160] ?? ''),
    });
    expect(error.code).toBe('ClientUser.UserOverLimit');
  });

  it('requires every parameter', async () => {
    const { UserName: _omitted, ...withoutUser } = roamQuery(scenario);
    expect(
      await sdkError(emulator, { algorithm: 'v3', action: 'RoamClientUser', query: withoutUser }),
    ).toMatchObject({
      code: 'MissingUserName',
      statusCode: 400,
    });
  });

  it('answers NameInvalid for a name outside the rules, even one not on the origin', async () => {
    for (const userName of ['short', '-starts-with-dash', 'has space1', 'x'.repeat(34)]) {
      const error = await sdkError(emulator, {
        algorithm: 'v3',
        action: 'RoamClientUser',
        query: { ...roamQuery(scenario), UserName: userName },
      });
      expect(error.code).toBe('ClientUser.NameInvalid');
    }
  });
});

describe('the bundled seed', () => {
  it('holds a few hundred accounts with realistic names, in realistic instances', () => {
    const accounts = emulator.state
      .instances()
      .flatMap((instance) => emulator.state.accounts(instance.smartAgId));
    expect(accounts.length).toBeGreaterThanOrEqual(300);
    const names = accounts.map((a) => a.userName).filter((name) => name !== SEED_USERS.legacyInvalidName);
    expect(names.every((name) => USERNAME_PATTERN.test(name))).toBe(true);
    expect(names.some((name) => name.includes('@'))).toBe(true);
    expect(names.some((name) => !name.includes('@'))).toBe(true);
    for (const instance of DEFAULT_SEED.instances) expect(instance.smartAgId).toMatch(/^sag-[a-z0-9]{20}$/);
    for (const scenario of Object.values(ROAM_SCENARIOS)) {
      expect(scenario.targetSmartAgId).toMatch(/^sag-[a-z0-9]{20}$/);
    }
  });

  it('refuses a seed that breaks its own rules', async () => {
    const [first] = DEFAULT_SEED.instances;
    if (!first) throw new Error('the bundled seed has instances');
    await expect(
      startEmulator({ seed: { ...DEFAULT_SEED, instances: [{ ...first, smartAgId: 'sag-TOO-SHORT' }] } }),
    ).rejects.toThrow(/sag- \+ 20 lowercase/);
    const cpe = DEFAULT_SEED.instances.find((instance) => instance.instanceType === 'hardware');
    if (!cpe) throw new Error('the bundled seed has a hardware instance');
    const { hardwareVersion: _version, ...withoutVersion } = cpe;
    await expect(startEmulator({ seed: { ...DEFAULT_SEED, instances: [withoutVersion] } })).rejects.toThrow(
      /needs its hardwareVersion/,
    );
    await expect(
      startEmulator({ seed: { ...DEFAULT_SEED, instances: [{ ...first, hardwareVersion: 'sag-1000' }] } }),
    ).rejects.toThrow(/must not name a hardware version/);
  });

  // What a plan must be able to show, each on instances of its own (README.md, "Seed").
  it('offers every finding of a plan', () => {
    const S = SEED_INSTANCES;
    const view = (id: string) => {
      const instance = emulator.state.instance(id);
      if (!instance) throw new Error(`${id} is not in the seed`);
      return instance;
    };
    const names = (id: string) => new Set(emulator.state.accounts(id).map((a) => a.userName));
    expect(view(S.frankfurtEu).cidrBlock).toBe('10.10.128.0/20'); // inside shanghaiHq's 10.10.0.0/16
    expect(view(S.shanghaiHq).cidrBlock).toBe('10.10.0.0/16');
    expect(view(S.hangzhouLab).cidrBlock).toBe('');
    expect(
      [S.hangzhouFactoryCpe, S.shanghaiBranchCpe, S.frankfurtVcpe].map((id) => view(id).hardwareVersion),
    ).toEqual(['sag-1000', 'sag-100wm', 'sag-vcpe']);
    expect(view(S.japanStandby)).toMatchObject({ instanceType: 'software', status: 'Init', accountCount: 0 });
    expect(view(S.hongkongOps).quota - view(S.hongkongOps).accountCount).toBe(30);
    expect(view(S.singaporeApac).quota - view(S.singaporeApac).accountCount).toBe(0);
    const origin = names(S.shanghaiHq);
    expect([...names(S.hangzhouRnd)].filter((name) => origin.has(name))).toHaveLength(3);
    expect([...names(S.hongkongOps)].filter((name) => origin.has(name))).toEqual([
      SEED_USERS.clashHongkong,
      SEED_USERS.clashHongkongPlain,
    ]);
    expect(
      emulator.state.accounts(S.hangzhouRnd).find((a) => a.userName === SEED_USERS.inUseOnTarget),
    ).toMatchObject({
      usedThisMonth: true,
    });
    // One area (Mainland China) and two others, as the pairs the plan warns about and the plain ones.
    expect([S.shanghaiHq, S.hangzhouRnd, S.tokyo, S.hongkongOps].map((id) => view(id).regionId)).toEqual([
      'cn-shanghai',
      'cn-hangzhou',
      'ap-northeast-1',
      'cn-hongkong',
    ]);
  });
});
