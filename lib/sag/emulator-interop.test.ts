// lib/sag against lib/emulator, over real HTTP on 127.0.0.1, with the official Alibaba SDK as a third party:
// the two sides share no code (each has its own signer/verifier), so every pass here means two independent
// implementations of sag-api.md agree, and every rejection is the one the real gateway documents.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_ACCESS_KEY,
  type Emulator,
  type EmulatorAccessKey,
  type EmulatorKnobs,
  type FaultKind,
  ROAM_SCENARIOS,
  type RoamScenario,
  SEED_INSTANCES,
  SEED_USERS,
  startEmulator,
} from '@/lib/emulator';
import { createSagClient, type RoamClientUserInput, type SagClient, type SagClientOptions } from './client';
import { staticCredentials } from './credentials';
import {
  type AccessKeyPair,
  type Format,
  items,
  officialSdkCall,
  replaceParameter,
  type Scheme,
  type SpyOptions,
  type SpyTransport,
  secretForms,
  sendRaw,
  serialisations,
  signedRawRequest,
  spyTransport,
  withQueryParameter,
} from './emulator-interop.test-helpers';
import { SagError } from './errors';

const S = SEED_INSTANCES;
const U = SEED_USERS;
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const MINUTE_MS = 60_000;

/** A RAM identity allowed everything but RoamClientUser. */
const NO_ROAM_KEY = {
  accessKeyId: 'LTAI5tSagRoamNoRoamKey01',
  accessKeySecret: 'NoRoam/Secret+For=InteropTests01',
  deniedActions: ['RoamClientUser'],
} as const satisfies EmulatorAccessKey;
/** Right ID, wrong secret; characters that change when percent-encoded, to catch leaks in any form. */
const WRONG_SECRET = 'Wr0ng/Secret+With=Chars&Space here';
/** An ID the emulator does not know. */
const UNKNOWN_KEY: AccessKeyPair = {
  accessKeyId: 'LTAI5tNoSuchKeyAnywhere1',
  accessKeySecret: 'Unkn0wn/Key+Secret=Value01',
};
const ALL_SECRETS = [
  DEMO_ACCESS_KEY.accessKeySecret,
  NO_ROAM_KEY.accessKeySecret,
  WRONG_SECRET,
  UNKNOWN_KEY.accessKeySecret,
];

const SCHEMES: readonly Scheme[] = ['v3', 'v2'];
const MATRIX = [
  { scheme: 'v3', format: 'JSON' },
  { scheme: 'v3', format: 'XML' },
  { scheme: 'v2', format: 'JSON' },
  { scheme: 'v2', format: 'XML' },
] as const satisfies readonly { scheme: Scheme; format: Format }[];
/** One JSON and one XML run for the error tables, each format under a different scheme. */
const ERROR_MATRIX = [
  { scheme: 'v3', format: 'JSON' },
  { scheme: 'v2', format: 'XML' },
] as const satisfies readonly { scheme: Scheme; format: Format }[];
const DESCRIBE_ACTIONS = [
  'DescribeRegions',
  'DescribeSmartAccessGateways',
  'DescribeSmartAccessGatewayClientUsers',
] as const;
/** Backoff of the retry policy used below with random() = 0.5: half fixed + half of the rest. */
const BACKOFF_MS = [75, 150, 300, 600];

// ---------------------------------------------------------------------------------------------
// One emulator for the whole file; its clock can be moved forward by the clients' `sleep`
// ---------------------------------------------------------------------------------------------

let emulator: Emulator;
let defaultKnobs: EmulatorKnobs;
let clockOffsetMs = 0;
const transports: SpyTransport[] = [];

beforeAll(async () => {
  // Set by vitest.config.mts: neither the SDK nor the credential chain may probe the ECS metadata address.
  expect(process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED).toBe('true');
  emulator = await startEmulator({
    host: '127.0.0.1',
    port: 0,
    accessKeys: [DEMO_ACCESS_KEY, NO_ROAM_KEY],
    now: () => Date.now() + clockOffsetMs,
  });
  defaultKnobs = emulator.knobs();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  clockOffsetMs = 0;
  emulator.setKnobs(defaultKnobs);
  emulator.state.reset();
});

afterEach(() => {
  for (const transport of transports.splice(0)) transport.close();
});

interface ClientUnderTest {
  client: SagClient;
  spy: SpyTransport;
  /** What the client asked `sleep` for; sleeping only moves the emulator's clock. */
  delays: number[];
}

function makeClient(
  options: {
    scheme: Scheme;
    format?: Format;
    accessKey?: AccessKeyPair;
    now?: () => Date;
    timeoutMs?: number;
    retry?: SagClientOptions['retry'];
    spy?: SpyOptions;
  } = { scheme: 'v3' },
): ClientUnderTest {
  const spy = spyTransport(options.spy);
  transports.push(spy);
  const delays: number[] = [];
  const accessKey = options.accessKey ?? DEMO_ACCESS_KEY;
  const client = createSagClient({
    credentials: staticCredentials({
      accessKeyId: accessKey.accessKeyId,
      accessKeySecret: accessKey.accessKeySecret,
    }),
    signatureVersion: options.scheme,
    format: options.format ?? 'JSON',
    endpoint: emulator.url,
    timeoutMs: options.timeoutMs ?? 3_000,
    retry: options.retry ?? { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 },
    ...(options.now ? { now: options.now } : {}),
    random: () => 0.5,
    sleep: async (milliseconds) => {
      delays.push(milliseconds);
      clockOffsetMs += milliseconds;
    },
    transport: spy,
  });
  return { client, spy, delays };
}

function toInput(scenario: RoamScenario): RoamClientUserInput {
  return {
    regionId: scenario.regionId,
    originRegionId: scenario.originRegionId,
    originSmartAGId: scenario.originSmartAgId,
    targetSmartAGId: scenario.targetSmartAgId,
    userName: scenario.userName,
  };
}

function roamQuery(scenario: RoamScenario): Record<string, string> {
  return {
    RegionId: scenario.regionId,
    OriginRegionId: scenario.originRegionId,
    OriginSmartAGId: scenario.originSmartAgId,
    TargetSmartAGId: scenario.targetSmartAgId,
    UserName: scenario.userName,
  };
}

async function failure(promise: Promise<unknown>): Promise<SagError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SagError);
    return error as SagError;
  }
  throw new Error('the call unexpectedly succeeded');
}

const roamFailure = (client: SagClient, scenario: RoamScenario) =>
  failure(client.roamClientUser(toInput(scenario)));

function onTarget(scenario: RoamScenario, userName = scenario.userName) {
  return emulator.state.accounts(scenario.targetSmartAgId).find((account) => account.userName === userName);
}

function logEntry(requestId: string | undefined) {
  return emulator.state.requestLog().find((entry) => entry.requestId === requestId);
}

/** The client's own confirmation path: list the target filtered by name, compare names exactly. */
async function listedOnTarget(client: SagClient, scenario: RoamScenario): Promise<boolean> {
  const page = await client.describeSmartAccessGatewayClientUsers({
    regionId: scenario.regionId,
    smartAGId: scenario.targetSmartAgId,
    userName: scenario.userName,
  });
  return page.users.some((user) => user.userName === scenario.userName);
}

function expectNoSecretIn(error: unknown): void {
  for (const [how, text] of Object.entries(serialisations(error))) {
    for (const secret of ALL_SECRETS) {
      for (const form of secretForms(secret)) expect(text, `${how} leaks a secret`).not.toContain(form);
    }
  }
}

/** The format the emulator answered in, from what the request asked (its defaults: V3 JSON, V2 XML). */
function answeredFormat(entry: { scheme: string | null; params: Record<string, string> }): string {
  return (entry.params.Format ?? (entry.scheme === 'v3' ? 'JSON' : 'XML')).toUpperCase();
}

// Expectations come from the emulator's state API, never from either client.
const expectedRegions = () => emulator.state.regions().map((region) => [region.regionId, region.endpoint]);
const appInstanceIds = (regionId: string) =>
  emulator.state
    .instances(regionId)
    .filter((instance) => instance.instanceType === 'software')
    .map((instance) => instance.smartAgId);
const userNames = (smartAgId: string) =>
  emulator.state.accounts(smartAgId).map((account) => account.userName);

// ---------------------------------------------------------------------------------------------
// 1. Interoperability
// ---------------------------------------------------------------------------------------------

describe('Requests signed by the official Alibaba SDK and by this client are both accepted', () => {
  describe.each(MATRIX)('$scheme signature, $format answers', ({ scheme, format }) => {
    it('official SDK (callApi): DescribeRegions, all APP instance pages, client users paged and filtered, RoamClientUser', async () => {
      const sdk = (action: string, query: Record<string, string> = {}) =>
        officialSdkCall(emulator, { scheme, format, action, query, accessKey: DEMO_ACCESS_KEY });
      const contentType = format === 'XML' ? 'text/xml' : 'application/json';

      const regions = await sdk('DescribeRegions', { AcceptLanguage: 'en-US' });
      expect(regions.statusCode).toBe(200);
      expect(regions.headers['content-type']).toContain(contentType);
      if (format === 'XML') expect(String(regions.raw)).toMatch(/^<\?xml[^>]*\?><DescribeRegionsResponse>/);
      const regionList = items(regions.body.Regions, 'Region');
      expect(regionList.map((region) => [region.RegionId, region.RegionEndpoint])).toEqual(expectedRegions());
      expect(regionList.find((region) => region.RegionId === 'eu-central-1')?.LocalName).toBe(
        'Germany (Frankfurt)',
      );

      // Every page of APP (software) instances, one per page so that paging is exercised.
      const seen: string[] = [];
      let totalCount = Number.POSITIVE_INFINITY;
      for (let pageNumber = 1; pageNumber <= 10 && seen.length < totalCount; pageNumber++) {
        const page = await sdk('DescribeSmartAccessGateways', {
          RegionId: 'cn-hangzhou',
          InstanceType: 'software',
          PageSize: '1',
          PageNumber: String(pageNumber),
        });
        totalCount = Number(page.body.TotalCount);
        expect(Number(page.body.PageNumber)).toBe(pageNumber);
        const gateways = items(page.body.SmartAccessGateways, 'SmartAccessGateway');
        expect(gateways).toHaveLength(1);
        seen.push(...gateways.map((gateway) => String(gateway.SmartAGId)));
      }
      expect(appInstanceIds('cn-hangzhou')).toHaveLength(2);
      expect(seen).toEqual(appInstanceIds('cn-hangzhou'));
      expect(seen).not.toContain(S.hangzhouFactoryCpe);

      const origin = userNames(S.shanghaiHq);
      const second = await sdk('DescribeSmartAccessGatewayClientUsers', {
        RegionId: 'cn-shanghai',
        SmartAGId: S.shanghaiHq,
        PageSize: '50',
        PageNumber: '2',
      });
      expect(Number(second.body.TotalCount)).toBe(origin.length);
      expect(items(second.body.Users, 'User').map((user) => user.UserName)).toEqual(origin.slice(50, 100));
      const filtered = await sdk('DescribeSmartAccessGatewayClientUsers', {
        RegionId: 'cn-shanghai',
        SmartAGId: S.shanghaiHq,
        UserName: U.staticIp,
      });
      const found = items(filtered.body.Users, 'User');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ UserName: U.staticIp, ClientIp: '10.10.8.8' });
      expect(Number(found[0]?.IsStaticIp)).toBe(1);

      const roam = await sdk('RoamClientUser', roamQuery(ROAM_SCENARIOS.ok));
      expect(roam.statusCode).toBe(200);
      expect(roam.body.RequestId).toMatch(UUID);
      expect(onTarget(ROAM_SCENARIOS.ok)).toMatchObject({ roamedFrom: S.shanghaiHq });
      expect(emulator.state.roamCount(S.hangzhouRnd, U.ready)).toEqual({ requests: 1, applied: 1 });
      expect(logEntry(roam.body.RequestId)).toMatchObject({ action: 'RoamClientUser', applied: true });

      // Confirmed the way the dashboard does it: through our client's list call.
      const { client } = makeClient({ scheme, format });
      expect(await listedOnTarget(client, ROAM_SCENARIOS.ok)).toBe(true);

      const log = emulator.state.requestLog();
      expect(log).toHaveLength(7);
      for (const entry of log) {
        expect(entry).toMatchObject({ scheme, accessKeyId: DEMO_ACCESS_KEY.accessKeyId, outcome: 'OK' });
        expect(answeredFormat(entry)).toBe(format);
      }
    });

    it('createSagClient: the same four operations', async () => {
      const { client, spy } = makeClient({ scheme, format });

      const regions = await client.describeRegions({ acceptLanguage: 'en-US' });
      expect(regions.map((region) => [region.regionId, region.regionEndpoint])).toEqual(expectedRegions());
      expect(regions.find((region) => region.regionId === 'eu-central-1')?.localName).toBe(
        'Germany (Frankfurt)',
      );

      const instances = await client.describeSmartAccessGateways({ regionId: 'cn-hangzhou', pageSize: 1 });
      expect(instances.map((instance) => instance.smartAGId)).toEqual(appInstanceIds('cn-hangzhou'));
      const rnd = emulator.state.instance(S.hangzhouRnd);
      expect(instances.find((instance) => instance.smartAGId === S.hangzhouRnd)).toMatchObject({
        name: rnd?.name,
        // 'R&D centre': an entity in XML, plain in JSON.
        description: rnd?.description,
        status: rnd?.status,
        cidrBlock: rnd?.cidrBlock,
        // UserCount is the quota (inferred), not the accounts in use.
        userCount: rnd?.quota,
        hardwareVersion: 'sag-software',
        maxBandwidth: `${rnd?.maxBandwidthMbps}M`,
        createTime: rnd?.createTime,
        endTime: rnd?.endTime,
        instanceType: 'software',
        regionId: 'cn-hangzhou',
      });
      const pages = emulator.state
        .requestLog()
        .filter((entry) => entry.action === 'DescribeSmartAccessGateways')
        .map((entry) => [entry.params.PageNumber, entry.params.InstanceType]);
      expect(pages).toEqual([
        ['1', 'software'],
        ['2', 'software'],
      ]);

      const origin = userNames(S.shanghaiHq);
      const second = await client.describeSmartAccessGatewayClientUsers({
        regionId: 'cn-shanghai',
        smartAGId: S.shanghaiHq,
        pageNumber: 2,
        pageSize: 50,
      });
      expect(second).toMatchObject({ totalCount: origin.length, pageNumber: 2, pageSize: 50 });
      expect(second.users.map((user) => user.userName)).toEqual(origin.slice(50, 100));
      const last = await client.describeSmartAccessGatewayClientUsers({
        regionId: 'cn-shanghai',
        smartAGId: S.shanghaiHq,
        pageNumber: 4,
        pageSize: 50,
      });
      expect(last.users.map((user) => user.userName)).toEqual(origin.slice(150));
      const nas = emulator.state.accounts(S.shanghaiHq).find((account) => account.userName === U.staticIp);
      const filtered = await client.describeSmartAccessGatewayClientUsers({
        regionId: 'cn-shanghai',
        smartAGId: S.shanghaiHq,
        userName: U.staticIp,
      });
      expect(filtered.users).toEqual([
        {
          userName: U.staticIp,
          userMail: nas?.userMail,
          clientIp: '10.10.8.8',
          bandwidth: nas?.bandwidthKbps,
          isStaticIp: true,
          state: 0,
        },
      ]);

      const result = await client.roamClientUser(toInput(ROAM_SCENARIOS.ok));
      expect(result.requestId).toMatch(UUID);
      expect(logEntry(result.requestId)).toMatchObject({
        action: 'RoamClientUser',
        outcome: 'OK',
        applied: true,
        params: roamQuery(ROAM_SCENARIOS.ok),
      });
      expect(onTarget(ROAM_SCENARIOS.ok)).toMatchObject({ roamedFrom: S.shanghaiHq });
      expect(emulator.state.roamCount(S.hangzhouRnd, U.ready)).toEqual({ requests: 1, applied: 1 });
      expect(await listedOnTarget(client, ROAM_SCENARIOS.ok)).toBe(true);

      const log = emulator.state.requestLog();
      expect(log).toHaveLength(8);
      for (const entry of log) {
        expect(entry).toMatchObject({ scheme, accessKeyId: DEMO_ACCESS_KEY.accessKeyId, outcome: 'OK' });
        expect(answeredFormat(entry)).toBe(format);
      }
      // What actually came back over the wire was in the format asked for.
      expect(spy.exchanges).toHaveLength(8);
      for (const exchange of spy.exchanges) {
        expect(exchange.response?.headers['content-type']).toContain(
          format === 'XML' ? 'text/xml' : 'application/json',
        );
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Authentication rejections
// ---------------------------------------------------------------------------------------------

describe('Rejections with the right code', () => {
  describe.each(SCHEMES)('%s signature', (scheme) => {
    it('a query parameter changed after signing (raw request signed by lib/sag) ⇒ SignatureDoesNotMatch; the untouched request is then accepted', async () => {
      const original = signedRawRequest(emulator, {
        scheme,
        action: 'DescribeSmartAccessGatewayClientUsers',
        parameters: { RegionId: 'cn-shanghai', SmartAGId: S.shanghaiHq, UserName: U.ready },
        accessKey: DEMO_ACCESS_KEY,
      });
      const tampered = withQueryParameter(original, 'UserName', U.clash);
      expect(tampered.path).not.toBe(original.path);

      const rejected = await sendRaw(emulator, tampered);
      expect(rejected.status).toBe(400);
      expect(rejected.json).toMatchObject({
        Code: 'SignatureDoesNotMatch',
        RequestId: expect.stringMatching(UUID),
      });
      const echoed = String(rejected.json.Message).split('server string to sign is:')[1];
      expect(echoed).toBeDefined();
      expect(echoed).not.toBe(original.stringToSign);
      // V2 echoes the parameters themselves: the server signed the changed value.
      if (scheme === 'v2') expect(echoed).toContain('wang.fang');
      for (const form of secretForms(DEMO_ACCESS_KEY.accessKeySecret))
        expect(rejected.text).not.toContain(form);

      // A failed verification does not use up the nonce: the request as signed still goes through.
      const accepted = await sendRaw(emulator, original);
      expect(accepted.status).toBe(200);
      expect(items(accepted.json.Users, 'User').map((user) => user.UserName)).toEqual([U.ready]);
    });

    it('a parameter changed in transit under our client ⇒ SignatureDoesNotMatch, signatureCheck "different"; nothing roamed', async () => {
      const { client, spy } = makeClient({
        scheme,
        spy: { alter: replaceParameter('UserName', U.ready, U.readyPlain) },
      });
      const error = await roamFailure(client, ROAM_SCENARIOS.ok);
      expect(spy.exchanges).toHaveLength(1);
      expect(`${spy.exchanges[0]?.request.url} ${spy.exchanges[0]?.request.body}`).toContain(
        `UserName=${U.readyPlain}`,
      );
      expect(error).toMatchObject({
        code: 'SignatureDoesNotMatch',
        signatureCheck: 'different',
        action: 'RoamClientUser',
        outcome: 'not_applied',
        retryable: false,
        httpStatus: 400,
        requestId: expect.stringMatching(UUID),
      });
      expect(error.admin.title).toMatch(/signed differently/);
      // The echoed string-to-sign is dropped from what we keep.
      expect(error.message).not.toMatch(/string to sign/i);
      expect(onTarget(ROAM_SCENARIOS.ok)).toBeUndefined();
      expect(onTarget(ROAM_SCENARIOS.ok, U.readyPlain)).toBeUndefined();
      expect(emulator.state.roamCount(S.hangzhouRnd, U.readyPlain)).toEqual({ requests: 0, applied: 0 });
      expectNoSecretIn(error);
    });

    it.each(['JSON', 'XML'] as const)(
      'a wrong AccessKey secret (%s answer) ⇒ SignatureDoesNotMatch, signatureCheck "same", admin told the secret is wrong',
      async (format) => {
        const { client } = makeClient({
          scheme,
          format,
          accessKey: { accessKeyId: DEMO_ACCESS_KEY.accessKeyId, accessKeySecret: WRONG_SECRET },
        });
        const error = await roamFailure(client, ROAM_SCENARIOS.ok);
        expect(error).toMatchObject({
          code: 'SignatureDoesNotMatch',
          signatureCheck: 'same',
          outcome: 'not_applied',
          retryable: false,
          httpStatus: 400,
          requestId: expect.stringMatching(UUID),
        });
        expect(error.admin.title).toMatch(/AccessKey secret is wrong/);
        expect(error.admin.fix).toMatch(/secret/);
        expect(logEntry(error.requestId)).toMatchObject({ outcome: 'SignatureDoesNotMatch', scheme });
        expect(onTarget(ROAM_SCENARIOS.ok)).toBeUndefined();
        expectNoSecretIn(error);
      },
    );

    it.each([-20, 20])(
      'a clock %i minutes off (client `now`) ⇒ InvalidTimeStamp.Expired',
      async (minutes) => {
        const { client } = makeClient({ scheme, now: () => new Date(Date.now() + minutes * MINUTE_MS) });
        const error = await roamFailure(client, ROAM_SCENARIOS.ok);
        expect(error).toMatchObject({
          code: 'InvalidTimeStamp.Expired',
          outcome: 'not_applied',
          retryable: false,
          httpStatus: 400,
          requestId: expect.stringMatching(UUID),
        });
        expect(error.admin.title).toMatch(/clock/);
        expect(error.admin.fix).toMatch(/NTP/);
        expect(logEntry(error.requestId)).toMatchObject({ outcome: 'InvalidTimeStamp.Expired', scheme });
        expect(emulator.state.roamCount(S.hangzhouRnd, U.ready)).toEqual({ requests: 0, applied: 0 });
        expectNoSecretIn(error);
      },
    );

    it('the exact same signed request sent twice (raw) ⇒ SignatureNonceUsed; the roam is applied once', async () => {
      const raw = signedRawRequest(emulator, {
        scheme,
        action: 'RoamClientUser',
        parameters: roamQuery(ROAM_SCENARIOS.ok),
        accessKey: DEMO_ACCESS_KEY,
      });
      const first = await sendRaw(emulator, raw);
      expect(first.status).toBe(200);
      const second = await sendRaw(emulator, raw);
      expect(second.status).toBe(400);
      expect(second.json).toMatchObject({
        Code: 'SignatureNonceUsed',
        RequestId: expect.stringMatching(UUID),
      });
      expect(emulator.state.roamCount(S.hangzhouRnd, U.ready)).toEqual({ requests: 1, applied: 1 });
    });

    it('a request replayed in transit under our client ⇒ SignatureNonceUsed; the second roam is not applied', async () => {
      const { client, spy } = makeClient({ scheme, spy: { replayFirst: true } });
      await client.roamClientUser(toInput(ROAM_SCENARIOS.ok));
      const second = { ...ROAM_SCENARIOS.ok, userName: U.readyPlain };
      const error = await roamFailure(client, second);
      expect(spy.exchanges).toHaveLength(2);
      expect(error).toMatchObject({
        code: 'SignatureNonceUsed',
        outcome: 'not_applied',
        retryable: false,
        httpStatus: 400,
        requestId: expect.stringMatching(UUID),
      });
      expect(error.admin.title).toMatch(/already seen this request/);
      expect(emulator.state.roamCount(S.hangzhouRnd, U.ready)).toEqual({ requests: 1, applied: 1 });
      expect(onTarget(second)).toBeUndefined();
      expectNoSecretIn(error);
    });

    it('an unknown AccessKey ID ⇒ InvalidAccessKeyId.NotFound', async () => {
      const { client } = makeClient({ scheme, accessKey: UNKNOWN_KEY });
      const error = await roamFailure(client, ROAM_SCENARIOS.ok);
      expect(error).toMatchObject({
        code: 'InvalidAccessKeyId.NotFound',
        outcome: 'not_applied',
        retryable: false,
        httpStatus: 404,
        requestId: expect.stringMatching(UUID),
      });
      expect(error.admin.title).toMatch(/does not know the AccessKey ID/);
      expect(emulator.state.roamCount(S.hangzhouRnd, U.ready)).toEqual({ requests: 0, applied: 0 });
      expectNoSecretIn(error);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 3. RoamClientUser errors
// ---------------------------------------------------------------------------------------------

/** [code, seed scenario (ROAM_SCENARIOS key), words of admin.title, words of admin.fix] */
type ErrorRow = [string, keyof typeof ROAM_SCENARIOS, RegExp, RegExp];

const DOCUMENTED_ERRORS: ErrorRow[] = [
  ['SAG.InstanceNoFound', 'instanceUnknown', /instance was not found/, /instance IDs/],
  [
    'ClientUser.NotSupportAction',
    'targetHardware',
    /does not accept client accounts/,
    /SAG APP .*hardware \(CPE\) instances have no client accounts/,
  ],
  ['SAG.CidrEmpty', 'cidrEmpty', /no client CIDR block/, /Configure the private CIDR block/],
  [
    'ClientUser.BandwidthInvalid',
    'bandwidth',
    /bandwidth is not valid on the target/,
    /Lower the account's bandwidth/,
  ],
  [
    'ClientUser.InvalidClientIp',
    'clientIp',
    /static client IP does not fit the target/,
    /inside the target instance's client CIDR block/,
  ],
  [
    'ClientUser.UserOverLimit',
    'overLimit',
    /client account quota is full/,
    /Delete unused client accounts .* raise its account quota/,
  ],
  ['ClientUser.UserExist', 'userExist', /already exists on the target instance/, /same person/],
  ['ClientUser.NameInvalid', 'nameInvalid', /username is not valid/, /7 to 33 characters/],
  [
    'SAG.CidrOverlap',
    'cidrOverlap',
    /CIDR blocks of the origin and target instances overlap/,
    /do not overlap/,
  ],
];

/** The same documented codes reached another way, and the two inferred ones. */
const OTHER_ERRORS: ErrorRow[] = [
  ['SAG.InstanceNoFound', 'instanceInOtherRegion', /instance was not found/, /target region/],
  ['ClientUser.NotSupportAction', 'originHardware', /does not accept client accounts/, /SAG APP/],
  ['ClientUser.NotExist', 'userNotExist', /does not exist on the origin instance/, /spelling/],
  ['SAG.SameRegion', 'sameRegion', /same region/, /another region/],
];

describe('Every documented RoamClientUser error through the emulator', () => {
  it('covers the nine documented codes', () => {
    expect(new Set(DOCUMENTED_ERRORS.map(([code]) => code)).size).toBe(9);
  });

  describe.each(ERROR_MATRIX)('$scheme signature, $format answers', ({ scheme, format }) => {
    it.each([...DOCUMENTED_ERRORS, ...OTHER_ERRORS])('%s (scenario %s)', async (code, name, title, fix) => {
      const scenario: RoamScenario = ROAM_SCENARIOS[name];
      expect(scenario.expect).toBe(code);
      const before = emulator.state.accounts(scenario.targetSmartAgId);
      const { client } = makeClient({ scheme, format });
      const error = await roamFailure(client, scenario);
      expect(error).toMatchObject({
        code,
        action: 'RoamClientUser',
        outcome: 'not_applied',
        retryable: false,
        httpStatus: 400,
        hostId: `smartag.${scenario.regionId}.aliyuncs.com`,
      });
      expect(error.requestId).toMatch(UUID);
      expect(error.message).not.toBe('');
      expect(error.admin.title).toMatch(title);
      expect(error.admin.fix).toMatch(fix);
      expect(logEntry(error.requestId)).toMatchObject({
        action: 'RoamClientUser',
        scheme,
        outcome: code,
        httpStatus: 400,
        applied: false,
      });
      expect(emulator.state.accounts(scenario.targetSmartAgId)).toEqual(before);
      expect(emulator.state.roamCount(scenario.targetSmartAgId, scenario.userName)).toEqual({
        requests: 1,
        applied: 0,
      });
      expectNoSecretIn(error);
    });

    it('Forbidden.RAM for an AccessKey whose RAM policy denies RoamClientUser (Describe* still allowed)', async () => {
      const { client } = makeClient({ scheme, format, accessKey: NO_ROAM_KEY });
      expect(await client.describeRegions()).toHaveLength(expectedRegions().length);
      const error = await roamFailure(client, ROAM_SCENARIOS.ok);
      expect(error).toMatchObject({
        code: 'Forbidden.RAM',
        action: 'RoamClientUser',
        outcome: 'not_applied',
        retryable: false,
        httpStatus: 403,
      });
      expect(error.requestId).toMatch(UUID);
      expect(error.admin.title).toMatch(/not allowed to call RoamClientUser/);
      expect(error.admin.fix).toMatch(/smartag:RoamClientUser/);
      expect(logEntry(error.requestId)).toMatchObject({
        accessKeyId: NO_ROAM_KEY.accessKeyId,
        outcome: 'Forbidden.RAM',
        httpStatus: 403,
      });
      expect(onTarget(ROAM_SCENARIOS.ok)).toBeUndefined();
      expectNoSecretIn(error);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Faults, throttling, retries
// ---------------------------------------------------------------------------------------------

/** [fault kind, the client's code, the HTTP status it reports] */
const FAULTS: [FaultKind, string, number | undefined][] = [
  ['timeout', 'SagClient.Timeout', undefined],
  ['reset', 'SagClient.ConnectionLost', undefined],
  ['malformed', 'SagClient.MalformedResponse', 200],
  ['status503', 'ServiceUnavailable', 503],
  ['status500', 'InternalError', 500],
];
const CHECK_TARGET_FIRST = /Look for the account on the target instance .* before sending it again/;
/** Short enough to keep the file fast; the emulator holds a `timeout` request far longer. */
const SHORT_TIMEOUT_MS = 250;

describe('Faults through the client', () => {
  describe.each(ERROR_MATRIX)('$scheme signature, $format answers', ({ scheme, format }) => {
    it.each(FAULTS)(
      '%s after the roam was applied ⇒ outcome unknown, and the account IS on the target',
      async (kind, code, httpStatus) => {
        emulator.setKnobs({
          faults: { [kind]: 1 },
          faultPhase: 'after',
          faultActions: ['RoamClientUser'],
          timeoutHoldMs: 10_000,
        });
        const { client, delays } = makeClient({ scheme, format, timeoutMs: SHORT_TIMEOUT_MS });
        const error = await roamFailure(client, ROAM_SCENARIOS.ok);
        expect(error).toMatchObject({ code, action: 'RoamClientUser', outcome: 'unknown', retryable: false });
        expect(error.httpStatus).toBe(httpStatus);
        if (httpStatus !== undefined) expect(error.requestId).toMatch(UUID);
        expect(error.admin.fix).toMatch(CHECK_TARGET_FIRST);
        expect(delays).toEqual([]);

        // The nasty case: no answer we can trust, yet the account was copied.
        expect(emulator.state.roamCount(S.hangzhouRnd, U.ready)).toEqual({ requests: 1, applied: 1 });
        expect(onTarget(ROAM_SCENARIOS.ok)).toMatchObject({ roamedFrom: S.shanghaiHq });
        const entry = emulator.state.requestLog().find((logged) => logged.action === 'RoamClientUser');
        expect(entry).toMatchObject({ fault: kind, faultPhase: 'after', applied: true });

        // What the admin is told to do works: the list shows it, and a blind resend says it exists.
        expect(await listedOnTarget(client, ROAM_SCENARIOS.ok)).toBe(true);
        emulator.setKnobs({ faults: {} });
        const resend = await roamFailure(client, ROAM_SCENARIOS.ok);
        expect(resend).toMatchObject({ code: 'ClientUser.UserExist', outcome: 'not_applied' });
        expect(emulator.state.roamCount(S.hangzhouRnd, U.ready)).toEqual({ requests: 2, applied: 1 });
        expectNoSecretIn(error);
      },
    );

    it.each(FAULTS)(
      '%s before the roam ⇒ outcome still unknown (sag-api.md), and the account is absent',
      async (kind, code, httpStatus) => {
        emulator.setKnobs({
          faults: { [kind]: 1 },
          faultPhase: 'before',
          faultActions: ['RoamClientUser'],
          timeoutHoldMs: 10_000,
        });
        const { client, delays } = makeClient({ scheme, format, timeoutMs: SHORT_TIMEOUT_MS });
        const error = await roamFailure(client, ROAM_SCENARIOS.ok);
        expect(error).toMatchObject({ code, outcome: 'unknown', retryable: false });
        expect(error.httpStatus).toBe(httpStatus);
        expect(error.admin.fix).toMatch(CHECK_TARGET_FIRST);
        expect(delays).toEqual([]);

        expect(emulator.state.roamCount(S.hangzhouRnd, U.ready)).toEqual({ requests: 1, applied: 0 });
        expect(onTarget(ROAM_SCENARIOS.ok)).toBeUndefined();
        expect(await listedOnTarget(client, ROAM_SCENARIOS.ok)).toBe(false);
        // Checked and absent: sending it again is the right move, and it goes through.
        emulator.setKnobs({ faults: {} });
        await client.roamClientUser(toInput(ROAM_SCENARIOS.ok));
        expect(emulator.state.roamCount(S.hangzhouRnd, U.ready)).toEqual({ requests: 2, applied: 1 });
      },
    );

    it.each([
      { status: 400, code: 'Throttling.User' },
      { status: 429, code: 'Throttling.Api' },
    ] as const)(
      'a low rate limit ⇒ $code (HTTP $status), retryable, not applied, retryAfterMs from x-acs-retry-after',
      async (throttleAnswer) => {
        emulator.setKnobs({ rateLimit: { perSecond: 0.2, burst: 1 }, throttleAnswer });
        const { client, spy, delays } = makeClient({ scheme, format });
        await client.describeRegions(); // takes the only token
        const error = await roamFailure(client, ROAM_SCENARIOS.ok);
        expect(error).toMatchObject({
          code: throttleAnswer.code,
          httpStatus: throttleAnswer.status,
          retryable: true,
          outcome: 'not_applied',
        });
        expect(error.requestId).toMatch(UUID);
        const header = spy.exchanges.at(-1)?.response?.headers['x-acs-retry-after'];
        expect(header).toMatch(/^\d+$/);
        expect(error.retryAfterMs).toBe(Number(header));
        expect(error.retryAfterMs).toBeGreaterThan(4_000);
        expect(error.retryAfterMs).toBeLessThanOrEqual(5_000);
        expect(error.admin.title).toMatch(/rate-limiting/);
        expect(error.admin.fix).toMatch(/Nothing was changed/);
        // RoamClientUser is never retried automatically, not even when throttled.
        expect(delays).toEqual([]);
        expect(onTarget(ROAM_SCENARIOS.ok)).toBeUndefined();
        expect(emulator.state.roamCount(S.hangzhouRnd, U.ready)).toEqual({ requests: 0, applied: 0 });
      },
    );

    it('a throttled Describe* waits as long as x-acs-retry-after says, then succeeds', async () => {
      emulator.setKnobs({ rateLimit: { perSecond: 2, burst: 1 } });
      const { client, spy, delays } = makeClient({
        scheme,
        format,
        retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 },
      });
      await client.describeRegions();
      const regions = await client.describeRegions();
      expect(regions.map((region) => [region.regionId, region.regionEndpoint])).toEqual(expectedRegions());
      expect(emulator.state.requestLog().map((entry) => entry.outcome)).toEqual([
        'OK',
        'Throttling.User',
        'OK',
      ]);
      const retryAfter = Number(spy.exchanges[1]?.response?.headers['x-acs-retry-after']);
      expect(retryAfter).toBeGreaterThan(BACKOFF_MS[0] as number);
      expect(delays).toEqual([retryAfter]);
    });

    it('Describe* calls retry a 503 and succeed at fault rate 0.5 (faultSeed 32)', async () => {
      emulator.setKnobs({ faults: { status503: 0.5 }, faultSeed: 32, faultActions: DESCRIBE_ACTIONS });
      const { client, delays } = makeClient({
        scheme,
        format,
        retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 },
      });
      const regions = await client.describeRegions();
      expect(regions.map((region) => region.regionId)).toEqual(expectedRegions().map(([id]) => id));
      const instances = await client.describeSmartAccessGateways({ regionId: 'cn-hangzhou', pageSize: 1 });
      expect(instances.map((instance) => instance.smartAGId)).toEqual(appInstanceIds('cn-hangzhou'));
      const users = await client.describeSmartAccessGatewayClientUsers({
        regionId: 'cn-shanghai',
        smartAGId: S.shanghaiHq,
        pageSize: 50,
      });
      expect(users.users.map((user) => user.userName)).toEqual(userNames(S.shanghaiHq).slice(0, 50));

      const log = emulator.state.requestLog();
      // The seed makes every operation meet at least one 503, and none more than four in a row.
      for (const action of DESCRIBE_ACTIONS) {
        expect(log.some((entry) => entry.action === action && entry.outcome === 'ServiceUnavailable')).toBe(
          true,
        );
      }
      expect(log.filter((entry) => entry.outcome === 'OK')).toHaveLength(4);
      // One backoff per 503, restarting for each call: exactly what the log's runs of 503s imply.
      const expected: number[] = [];
      let run = 0;
      for (const entry of log) {
        if (entry.outcome === 'ServiceUnavailable') expected.push(BACKOFF_MS[run++] as number);
        else run = 0;
      }
      expect(expected.length).toBeGreaterThanOrEqual(3);
      expect(delays).toEqual(expected);
    });

    it('a Describe* that keeps answering 503 stops after maxAttempts with ServiceUnavailable', async () => {
      emulator.setKnobs({ faults: { status503: 1 }, faultActions: ['DescribeRegions'] });
      const { client, delays } = makeClient({
        scheme,
        format,
        retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      });
      const error = await failure(client.describeRegions());
      expect(error).toMatchObject({ code: 'ServiceUnavailable', httpStatus: 503, retryable: true });
      expect(error.requestId).toMatch(UUID);
      expect(delays).toEqual(BACKOFF_MS.slice(0, 2));
      expect(emulator.state.requestLog().map((entry) => entry.outcome)).toEqual([
        'ServiceUnavailable',
        'ServiceUnavailable',
        'ServiceUnavailable',
      ]);
    });
  });
});
