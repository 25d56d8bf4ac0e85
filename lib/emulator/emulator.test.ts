// The five operations as a client sees them through the official SDK, in both signature schemes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { send, signedRequest } from '@/lib/testing/emulator-signed-requests';
import { sdkCall, sdkError } from '@/lib/testing/official-sdk';
import { ACTIONS } from './actions';
import { DELETE_SCENARIOS, SEED_INSTANCES, SEED_USERS } from './seed';
import { type Emulator, startEmulator } from './server';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.state.reset());

// biome-ignore lint/suspicious/noExplicitAny: the tests walk JSON answers whose shape they assert on
type Json = Record<string, any>;

const minimalParams: Record<string, Record<string, string>> = {
  DescribeRegions: {},
  DescribeSmartAccessGateways: { RegionId: 'cn-shanghai' },
  DescribeSmartAccessGatewayClientUsers: { RegionId: 'cn-shanghai', SmartAGId: SEED_INSTANCES.shanghaiHq },
  RoamClientUser: {
    RegionId: 'cn-hangzhou',
    OriginRegionId: 'cn-shanghai',
    OriginSmartAGId: SEED_INSTANCES.shanghaiHq,
    TargetSmartAGId: SEED_INSTANCES.hangzhouRnd,
    UserName: SEED_USERS.ready,
  },
  DeleteSmartAccessGatewayClientUser: {
    RegionId: DELETE_SCENARIOS.ok.regionId,
    SmartAGId: DELETE_SCENARIOS.ok.smartAgId,
    UserName: DELETE_SCENARIOS.ok.userName,
  },
};

describe.each(['v2', 'v3'] as const)('official SDK with signature %s', (algorithm) => {
  it.each(ACTIONS)('is accepted for %s with an upper-case UUID RequestId', async (action) => {
    const answer = await sdkCall(emulator, { algorithm, action, query: minimalParams[action] ?? {} });
    expect(answer.statusCode).toBe(200);
    expect((answer.body as Json).RequestId).toMatch(
      /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/,
    );
    expect(answer.headers['x-acs-request-id']).toBe((answer.body as Json).RequestId);
  });
});

describe('DescribeRegions', () => {
  it('lists regions with smartag endpoints, in the language asked for', async () => {
    const names = async (AcceptLanguage?: string) => {
      const { body } = await sdkCall(emulator, {
        algorithm: 'v3',
        action: 'DescribeRegions',
        query: AcceptLanguage ? { AcceptLanguage } : {},
      });
      return (body as Json).Regions.Region as Json[];
    };
    const english = await names('en-US');
    expect(english.map((region) => region.RegionId)).toEqual(
      expect.arrayContaining(['cn-shanghai', 'cn-hangzhou', 'cn-hongkong', 'ap-southeast-1', 'eu-central-1']),
    );
    expect(english.find((region) => region.RegionId === 'eu-central-1')).toEqual({
      RegionId: 'eu-central-1',
      LocalName: 'Germany (Frankfurt)',
      RegionEndpoint: 'smartag.eu-central-1.aliyuncs.com',
    });
    expect((await names('ja')).find((region) => region.RegionId === 'ap-southeast-1')?.LocalName).toBe(
      'シンガポール',
    );
    expect((await names()).find((region) => region.RegionId === 'cn-shanghai')?.LocalName).toBe(
      '华东2（上海）',
    );
  });
});

describe('DescribeSmartAccessGateways', () => {
  const list = async (query: Record<string, string>) =>
    (await sdkCall(emulator, { algorithm: 'v3', action: 'DescribeSmartAccessGateways', query })).body as Json;

  it('filters a region by InstanceType and answers the documented fields', async () => {
    const software = await list({ RegionId: 'cn-hangzhou', InstanceType: 'software' });
    expect(software.TotalCount).toBe(2);
    const rnd = software.SmartAccessGateways.SmartAccessGateway.find(
      (gateway: Json) => gateway.SmartAGId === SEED_INSTANCES.hangzhouRnd,
    );
    // UserCount is the purchased quota (300), not the 63 accounts in use (docs/sag-api.md, inferred).
    expect(rnd).toMatchObject({
      Name: 'hangzhou-rnd-app',
      Status: 'Active',
      CidrBlock: '10.20.0.0/16',
      UserCount: 300,
      HardwareVersion: 'sag-software',
      MaxBandwidth: '20M',
      CreateTime: Date.parse('2023-05-12T06:30:00Z'),
    });
    const hardware = await list({ RegionId: 'cn-hangzhou', InstanceType: 'hardware' });
    expect(hardware.SmartAccessGateways.SmartAccessGateway.map((gateway: Json) => gateway.SmartAGId)).toEqual(
      [SEED_INSTANCES.hangzhouFactoryCpe],
    );
    expect(hardware.SmartAccessGateways.SmartAccessGateway[0]).toMatchObject({ HardwareVersion: 'sag-1000' });
  });

  it('answers no MaxUserCount and no InstanceType in a list item, as the API documents', async () => {
    for (const regionId of ['cn-hangzhou', 'cn-shanghai', 'eu-central-1']) {
      const gateways = (await list({ RegionId: regionId })).SmartAccessGateways.SmartAccessGateway as Json[];
      expect(gateways.length).toBeGreaterThan(0);
      for (const gateway of gateways) {
        expect(Object.keys(gateway)).not.toContain('MaxUserCount');
        expect(Object.keys(gateway)).not.toContain('InstanceType');
        expect(gateway.HardwareVersion).toMatch(/^sag-/);
      }
    }
  });

  it('lists both kinds without InstanceType; HardwareVersion tells them apart', async () => {
    const all = (await list({ RegionId: 'eu-central-1' })).SmartAccessGateways.SmartAccessGateway as Json[];
    expect(all.map((gateway) => [gateway.SmartAGId, gateway.HardwareVersion])).toEqual([
      [SEED_INSTANCES.frankfurtEu, 'sag-software'],
      [SEED_INSTANCES.frankfurtVcpe, 'sag-vcpe'],
    ]);
    const software = await list({ RegionId: 'eu-central-1', InstanceType: 'software' });
    expect(software.SmartAccessGateways.SmartAccessGateway.map((gateway: Json) => gateway.SmartAGId)).toEqual(
      [SEED_INSTANCES.frankfurtEu],
    );
    // A hardware instance asked for by ID under the software filter is simply not in the list.
    const typed = await list({
      RegionId: 'eu-central-1',
      InstanceType: 'software',
      SmartAGId: SEED_INSTANCES.frankfurtVcpe,
    });
    expect(typed.TotalCount).toBe(0);
  });

  it('filters by SmartAGId, Name and Status', async () => {
    expect(
      (await list({ RegionId: 'cn-shanghai', SmartAGId: SEED_INSTANCES.shanghaiPudong })).TotalCount,
    ).toBe(1);
    expect((await list({ RegionId: 'cn-shanghai', Name: 'pudong' })).TotalCount).toBe(1);
    expect((await list({ RegionId: 'cn-shanghai', Status: 'Offline' })).TotalCount).toBe(1);
  });

  it('pages with PageNumber from 1 and PageSize', async () => {
    const first = await list({ RegionId: 'cn-hangzhou', PageSize: '2', PageNumber: '1' });
    const second = await list({ RegionId: 'cn-hangzhou', PageSize: '2', PageNumber: '2' });
    expect(first).toMatchObject({ TotalCount: 3, PageNumber: 1, PageSize: 2 });
    expect(first.SmartAccessGateways.SmartAccessGateway).toHaveLength(2);
    expect(second.SmartAccessGateways.SmartAccessGateway).toHaveLength(1);
  });

  it.each([
    [{}, 'MissingRegionId'],
    [{ RegionId: 'mars-north-1' }, 'InvalidRegionId'],
    [{ RegionId: 'cn-shanghai', PageSize: '51' }, 'InvalidPageSize'],
    [{ RegionId: 'cn-shanghai', PageSize: '0' }, 'InvalidPageSize'],
    [{ RegionId: 'cn-shanghai', PageNumber: 'two' }, 'InvalidParameter'],
    [{ RegionId: 'cn-shanghai', InstanceType: 'virtual' }, 'InvalidInstanceType'],
  ])('rejects %o with %s (HTTP 400)', async (query, code) => {
    const error = await sdkError(emulator, { algorithm: 'v3', action: 'DescribeSmartAccessGateways', query });
    expect(error).toMatchObject({ code, statusCode: 400 });
  });
});

describe('DescribeSmartAccessGatewayClientUsers', () => {
  const users = async (query: Record<string, string>) =>
    (
      await sdkCall(emulator, {
        algorithm: 'v2',
        action: 'DescribeSmartAccessGatewayClientUsers',
        query: { RegionId: 'cn-shanghai', SmartAGId: SEED_INSTANCES.shanghaiHq, ...query },
      })
    ).body as Json;

  it('pages through a few hundred accounts: 50 per page at most', async () => {
    const first = await users({ PageSize: '50' });
    expect(first.TotalCount).toBe(192);
    expect(first.Users.User).toHaveLength(50);
    const last = await users({ PageSize: '50', PageNumber: '4' });
    expect(last.Users.User).toHaveLength(42);
    expect((await users({ PageSize: '50', PageNumber: '5' })).Users.User).toHaveLength(0);
  });

  it("takes PageSize 1 to 100 (the older document's bound), 10 by default, and refuses the rest", async () => {
    expect((await users({})).Users.User).toHaveLength(10);
    const hundred = await users({ PageSize: '100' });
    expect(hundred).toMatchObject({ TotalCount: 192, PageSize: 100 });
    expect(hundred.Users.User).toHaveLength(100);
    for (const PageSize of ['0', '101']) {
      const error = await sdkError(emulator, {
        algorithm: 'v3',
        action: 'DescribeSmartAccessGatewayClientUsers',
        query: { RegionId: 'cn-shanghai', SmartAGId: SEED_INSTANCES.shanghaiHq, PageSize },
      });
      expect(error).toMatchObject({ code: 'InvalidPageSize', statusCode: 400 });
    }
  });

  it('counts the accounts in use in TotalCount, apart from the quota in UserCount', async () => {
    const ops = await sdkCall(emulator, {
      algorithm: 'v3',
      action: 'DescribeSmartAccessGatewayClientUsers',
      query: { RegionId: 'cn-hongkong', SmartAGId: SEED_INSTANCES.hongkongOps, PageSize: '1' },
    });
    expect((ops.body as Json).TotalCount).toBe(70);
    const gateways = await sdkCall(emulator, {
      algorithm: 'v3',
      action: 'DescribeSmartAccessGateways',
      query: { RegionId: 'cn-hongkong', SmartAGId: SEED_INSTANCES.hongkongOps },
    });
    expect((gateways.body as Json).SmartAccessGateways.SmartAccessGateway[0].UserCount).toBe(100);
  });

  it('answers the user fields and filters by UserName and UserMail', async () => {
    const found = await users({ UserName: SEED_USERS.staticIp });
    expect(found.Users.User).toEqual([
      {
        UserName: 'nas.gateway',
        UserMail: 'nas.gateway@corp.example.com',
        ClientIp: '10.10.8.8',
        Bandwidth: 1000,
        AccelerateBandwidth: 0,
        IsStaticIp: 1,
        State: 0,
      },
    ]);
    expect((await users({ UserMail: 'it-ops@' })).Users.User[0].UserName).toBe(SEED_USERS.legacyInvalidName);
    expect((await users({ UserName: SEED_USERS.disabled })).Users.User[0].State).toBe(1);
  });

  it('requires SmartAGId and answers SAG.InstanceNoFound for an instance of another region', async () => {
    expect(
      await sdkError(emulator, {
        algorithm: 'v3',
        action: 'DescribeSmartAccessGatewayClientUsers',
        query: { RegionId: 'cn-shanghai' },
      }),
    ).toMatchObject({ code: 'MissingSmartAGId' });
    expect(
      await sdkError(emulator, {
        algorithm: 'v3',
        action: 'DescribeSmartAccessGatewayClientUsers',
        query: { RegionId: 'cn-shanghai', SmartAGId: SEED_INSTANCES.hangzhouRnd },
      }),
    ).toMatchObject({ code: 'SAG.InstanceNoFound', statusCode: 400 });
  });
});

describe('formats and routing', () => {
  it('answers XML when Format=XML, with arrays as repeated elements', async () => {
    const { body, headers } = await sdkCall(emulator, {
      algorithm: 'v3',
      action: 'DescribeRegions',
      query: { Format: 'XML', AcceptLanguage: 'en-US' },
      bodyType: 'string',
    });
    expect(headers['content-type']).toBe('text/xml;charset=utf-8');
    expect(body).toMatch(
      /^<\?xml version='1.0' encoding='UTF-8'\?><DescribeRegionsResponse><RequestId>[0-9A-F-]{36}<\/RequestId>/,
    );
    expect(body).toContain(
      '<Regions><Region><RegionId>cn-shanghai</RegionId><LocalName>China (Shanghai)</LocalName><RegionEndpoint>smartag.cn-shanghai.aliyuncs.com</RegionEndpoint></Region><Region>',
    );
  });

  it('answers errors as XML <Error> that the SDK still reads', async () => {
    const error = await sdkError(emulator, {
      algorithm: 'v3',
      action: 'DescribeSmartAccessGateways',
      query: { Format: 'XML' },
    });
    expect(error).toMatchObject({ code: 'MissingRegionId', statusCode: 400 });
    expect(error.data).toMatchObject({
      HostId: 'smartag.aliyuncs.com',
      Message: 'RegionId is mandatory for this action.',
    });
  });

  it('answers XML to a signature-1.0 caller that sends no Format, JSON when it asks', async () => {
    const xml = await send(
      emulator,
      signedRequest(emulator, { scheme: 'v2', action: 'DescribeRegions', format: '' }),
    );
    expect(xml.headers['content-type']).toBe('text/xml;charset=utf-8');
    const json = await send(emulator, signedRequest(emulator, { scheme: 'v2', action: 'DescribeRegions' }));
    expect(JSON.parse(json.text).Regions.Region.length).toBeGreaterThanOrEqual(5);
  });

  it('accepts V3 business parameters in a form body', async () => {
    const { body } = await sdkCall(emulator, {
      algorithm: 'v3',
      action: 'DescribeSmartAccessGateways',
      body: { RegionId: 'cn-hongkong' },
    });
    expect((body as Json).SmartAccessGateways.SmartAccessGateway[0].SmartAGId).toBe(
      SEED_INSTANCES.hongkongSales,
    );
  });

  it('accepts a V2 POST with every parameter in the form body', async () => {
    const answer = await send(
      emulator,
      signedRequest(emulator, {
        scheme: 'v2',
        action: 'DescribeRegions',
        method: 'POST',
        params: { AcceptLanguage: 'ja' },
      }),
    );
    expect(answer.status).toBe(200);
  });

  it('answers InvalidAction.NotFound (404) for an unknown action and InvalidVersion for another version', async () => {
    expect(await sdkError(emulator, { algorithm: 'v3', action: 'DeleteSmartAccessGateway' })).toMatchObject({
      code: 'InvalidAction.NotFound',
      statusCode: 404,
    });
    const wrongVersion = await send(
      emulator,
      signedRequest(emulator, { scheme: 'v3', action: 'DescribeRegions', version: '2017-01-01' }),
    );
    expect(wrongVersion.status).toBe(400);
    expect(JSON.parse(wrongVersion.text)).toMatchObject({
      Code: 'InvalidVersion',
      Message: 'Specified parameter Version is not valid.',
    });
  });

  it('logs every request without its signature or token', async () => {
    await sdkCall(emulator, { algorithm: 'v2', action: 'DescribeRegions' });
    const [entry] = emulator.state.requestLog();
    expect(entry).toMatchObject({ action: 'DescribeRegions', scheme: 'v2', outcome: 'OK', httpStatus: 200 });
    expect(entry?.params.Signature).toBeUndefined();
    expect(entry?.params.AccessKeyId).toBe('LTAI5tSagRoamDemoKey01');
  });
});
