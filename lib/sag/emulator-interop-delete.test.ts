// DeleteSmartAccessGatewayClientUser, lib/sag against lib/emulator over real HTTP with the official SDK as a third
// party (as in emulator-interop.test.ts): both signature versions, JSON and XML, every documented refusal, and
// the lost answers after which only a look at the instance can tell whether the account is gone.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SEED,
  DELETE_SCENARIOS,
  DEMO_ACCESS_KEY,
  type DeleteScenario,
  type Emulator,
  type EmulatorAccessKey,
  type FaultKind,
  ROAM_SCENARIOS,
  SEED_INSTANCES,
  SEED_USERS,
  startEmulator,
} from '@/lib/emulator';
import type { DeleteClientUserInput, SagClient } from './client';
import {
  type Format,
  type InteropClient,
  interopClient,
  officialSdkCall,
  type Scheme,
} from './emulator-interop.test-helpers';
import { SagError } from './errors';

const S = SEED_INSTANCES;
const ACTION = 'DeleteSmartAccessGatewayClientUser';
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

/** A RAM identity allowed everything but DeleteSmartAccessGatewayClientUser. */
const NO_DELETE_KEY = {
  accessKeyId: 'LTAI5tSagRoamNoDelete01',
  accessKeySecret: 'NoDelete/Secret+For=InteropTests01',
  deniedActions: [ACTION],
} as const satisfies EmulatorAccessKey;

const MATRIX = [
  { scheme: 'v3', format: 'JSON' },
  { scheme: 'v3', format: 'XML' },
  { scheme: 'v2', format: 'JSON' },
  { scheme: 'v2', format: 'XML' },
] as const satisfies readonly { scheme: Scheme; format: Format }[];
const ERROR_MATRIX = [
  { scheme: 'v3', format: 'JSON' },
  { scheme: 'v2', format: 'XML' },
] as const satisfies readonly { scheme: Scheme; format: Format }[];

let emulator: Emulator;
const clients: InteropClient[] = [];

beforeAll(async () => {
  expect(process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED).toBe('true');
  emulator = await startEmulator({ seed: DEFAULT_SEED, accessKeys: [DEMO_ACCESS_KEY, NO_DELETE_KEY] });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.setKnobs({ faults: {}, faultActions: null, faultPhase: 'before', timeoutHoldMs: 30_000 });
  emulator.state.reset();
});
afterEach(() => {
  for (const { client } of clients.splice(0)) client.close();
});

function makeClient(options: Parameters<typeof interopClient>[1]): InteropClient {
  const made = interopClient(emulator, options);
  clients.push(made);
  return made;
}

const toInput = (scenario: DeleteScenario): DeleteClientUserInput => ({
  regionId: scenario.regionId,
  smartAGId: scenario.smartAgId,
  userName: scenario.userName,
});

const names = (smartAgId: string) => emulator.state.accounts(smartAgId).map((account) => account.userName);
const logEntry = (requestId: string | undefined) =>
  emulator.state.requestLog().find((entry) => entry.requestId === requestId);

async function failure(promise: Promise<unknown>): Promise<SagError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SagError);
    return error as SagError;
  }
  throw new Error('the call unexpectedly succeeded');
}

/** The way sag-roam confirms: list the instance filtered by the name, compare names exactly. */
async function listed(client: SagClient, scenario: DeleteScenario): Promise<boolean> {
  const page = await client.describeSmartAccessGatewayClientUsers({
    regionId: scenario.regionId,
    smartAGId: scenario.smartAgId,
    userName: scenario.userName,
  });
  return page.users.some((user) => user.userName === scenario.userName);
}

describe('a deletion signed by the official SDK and by this client is accepted', () => {
  describe.each(MATRIX)('$scheme signature, $format answers', ({ scheme, format }) => {
    it('official SDK (callApi) and createSagClient each delete one account of hangzhouRnd', async () => {
      const ok = DELETE_SCENARIOS.ok;
      const sdk = await officialSdkCall(emulator, {
        scheme,
        format,
        action: ACTION,
        query: { RegionId: ok.regionId, SmartAGId: ok.smartAgId, UserName: ok.userName },
        accessKey: DEMO_ACCESS_KEY,
      });
      expect(sdk.statusCode).toBe(200);
      expect(sdk.body.RequestId).toMatch(UUID);
      expect(names(ok.smartAgId)).not.toContain(ok.userName);
      expect(logEntry(sdk.body.RequestId)).toMatchObject({ action: ACTION, scheme, applied: true });

      const other = { ...ok, userName: SEED_USERS.clash };
      const { client, spy } = makeClient({ scheme, format, accessKey: DEMO_ACCESS_KEY });
      const result = await client.deleteSmartAccessGatewayClientUser(toInput(other));
      expect(result.requestId).toMatch(UUID);
      expect(logEntry(result.requestId)).toMatchObject({
        action: ACTION,
        scheme,
        outcome: 'OK',
        applied: true,
        params: { RegionId: other.regionId, SmartAGId: other.smartAgId, UserName: other.userName },
      });
      expect(await listed(client, other)).toBe(false);
      expect(await listed(client, ok)).toBe(false);
      expect(emulator.state.instance(ok.smartAgId)?.accountCount).toBe(61);
      for (const exchange of spy.exchanges) {
        expect(exchange.response?.headers['content-type']).toContain(
          format === 'XML' ? 'text/xml' : 'application/json',
        );
      }
    });
  });

  it('frees a place of a full quota for the roam that was refused', async () => {
    const { client } = makeClient({ scheme: 'v3', accessKey: DEMO_ACCESS_KEY });
    const roam = ROAM_SCENARIOS.overLimit;
    const roamInput = {
      regionId: roam.regionId,
      originRegionId: roam.originRegionId,
      originSmartAGId: roam.originSmartAgId,
      targetSmartAGId: roam.targetSmartAgId,
      userName: roam.userName,
    };
    expect((await failure(client.roamClientUser(roamInput))).code).toBe('ClientUser.UserOverLimit');
    const [first] = names(S.singaporeApac);
    await client.deleteSmartAccessGatewayClientUser({
      regionId: 'ap-southeast-1',
      smartAGId: S.singaporeApac,
      userName: first ?? '',
    });
    expect((await client.roamClientUser(roamInput)).requestId).toMatch(UUID);
    expect(names(S.singaporeApac)).toContain(roam.userName);
  });
});

/** [scenario, words of admin.title, words of admin.fix] */
const REFUSALS: [keyof typeof DELETE_SCENARIOS, RegExp, RegExp][] = [
  ['inUse', /used this month and cannot be deleted/, /Delete it next month/],
  ['userUnknown', /does not exist on the instance/, /deleted already/],
  ['instanceUnknown', /SAG APP instance was not found/, /instance ID/],
  ['instanceInOtherRegion', /SAG APP instance was not found/, /region given/],
  ['nameInvalid', /username is not valid/, /7 to 33 characters/],
];

describe('every documented refusal through the client', () => {
  describe.each(ERROR_MATRIX)('$scheme signature, $format answers', ({ scheme, format }) => {
    it.each(REFUSALS)('%s', async (name, title, fix) => {
      const scenario: DeleteScenario = DELETE_SCENARIOS[name];
      const before = emulator.state.accounts(scenario.smartAgId);
      const { client, delays } = makeClient({ scheme, format, accessKey: DEMO_ACCESS_KEY });
      const error = await failure(client.deleteSmartAccessGatewayClientUser(toInput(scenario)));
      expect(error).toMatchObject({
        code: scenario.expect,
        action: ACTION,
        outcome: 'not_applied',
        retryable: false,
        httpStatus: 400,
        hostId: `smartag.${scenario.regionId}.aliyuncs.com`,
      });
      expect(error.requestId).toMatch(UUID);
      expect(error.admin.title).toMatch(title);
      expect(error.admin.fix).toMatch(fix);
      expect(logEntry(error.requestId)).toMatchObject({
        action: ACTION,
        outcome: scenario.expect,
        applied: false,
      });
      expect(emulator.state.accounts(scenario.smartAgId)).toEqual(before);
      expect(delays).toEqual([]);
    });

    it('Forbidden.RAM for an AccessKey whose RAM policy denies the deletion', async () => {
      const { client } = makeClient({ scheme, format, accessKey: NO_DELETE_KEY });
      const error = await failure(client.deleteSmartAccessGatewayClientUser(toInput(DELETE_SCENARIOS.ok)));
      expect(error).toMatchObject({ code: 'Forbidden.RAM', outcome: 'not_applied', httpStatus: 403 });
      expect(error.admin.fix).toMatch(/smartag:DeleteSmartAccessGatewayClientUser/);
      expect(names(DELETE_SCENARIOS.ok.smartAgId)).toContain(DELETE_SCENARIOS.ok.userName);
    });
  });
});

/** [fault kind, the client's code] */
const FAULTS: [FaultKind, string][] = [
  ['timeout', 'SagClient.Timeout'],
  ['reset', 'SagClient.ConnectionLost'],
  ['malformed', 'SagClient.MalformedResponse'],
  ['status503', 'ServiceUnavailable'],
  ['status500', 'InternalError'],
];

describe('lost answers: never retried, outcome unknown, settled by listing the instance', () => {
  describe.each(ERROR_MATRIX)('$scheme signature, $format answers', ({ scheme, format }) => {
    it.each(FAULTS)(
      '%s after the deletion: the account IS gone, and a resend says so',
      async (kind, code) => {
        emulator.setKnobs({
          faults: { [kind]: 1 },
          faultPhase: 'after',
          faultActions: [ACTION],
          timeoutHoldMs: 10_000,
        });
        const ok = DELETE_SCENARIOS.ok;
        const { client, delays } = makeClient({ scheme, format, accessKey: DEMO_ACCESS_KEY, timeoutMs: 250 });
        const error = await failure(client.deleteSmartAccessGatewayClientUser(toInput(ok)));
        expect(error).toMatchObject({ code, action: ACTION, outcome: 'unknown', retryable: false });
        expect(error.admin.fix).toMatch(/Look for the account on the instance .* before sending it again/);
        expect(delays).toEqual([]);
        expect(emulator.state.requestLog().filter((entry) => entry.action === ACTION)).toHaveLength(1);

        expect(await listed(client, ok)).toBe(false);
        emulator.setKnobs({ faults: {} });
        expect((await failure(client.deleteSmartAccessGatewayClientUser(toInput(ok)))).code).toBe(
          'ClientUser.NotExist',
        );
      },
    );

    it.each(FAULTS)('%s before the deletion: the account is still there', async (kind, code) => {
      emulator.setKnobs({
        faults: { [kind]: 1 },
        faultPhase: 'before',
        faultActions: [ACTION],
        timeoutHoldMs: 10_000,
      });
      const ok = DELETE_SCENARIOS.ok;
      const { client } = makeClient({ scheme, format, accessKey: DEMO_ACCESS_KEY, timeoutMs: 250 });
      const error = await failure(client.deleteSmartAccessGatewayClientUser(toInput(ok)));
      expect(error).toMatchObject({ code, outcome: 'unknown', retryable: false });
      expect(await listed(client, ok)).toBe(true);
      emulator.setKnobs({ faults: {} });
      await client.deleteSmartAccessGatewayClientUser(toInput(ok));
      expect(await listed(client, ok)).toBe(false);
    });
  });

  it('a throttled deletion is not applied and not retried by the client', async () => {
    emulator.setKnobs({ faults: { throttle: 1 }, faultActions: [ACTION] });
    const { client, delays } = makeClient({ scheme: 'v3', accessKey: DEMO_ACCESS_KEY });
    const error = await failure(client.deleteSmartAccessGatewayClientUser(toInput(DELETE_SCENARIOS.ok)));
    expect(error).toMatchObject({ code: 'Throttling.User', outcome: 'not_applied', retryable: true });
    expect(error.retryAfterMs).toBe(1_000);
    expect(delays).toEqual([]);
    expect(names(DELETE_SCENARIOS.ok.smartAgId)).toContain(DELETE_SCENARIOS.ok.userName);
  });
});
