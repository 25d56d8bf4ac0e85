// Latency, flow control and fault injection, observed through the official SDK.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { send, signedRequest } from '@/lib/testing/emulator-signed-requests';
import { sdkCall, sdkError } from '@/lib/testing/official-sdk';
import { ROAM_SCENARIOS } from './seed';
import { DEMO_ACCESS_KEY, type Emulator, startEmulator } from './server';

const OTHER_KEY = { accessKeyId: 'LTAI5tSecondTenantKey01', accessKeySecret: 'SecondTenantSecret' };

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ accessKeys: [DEMO_ACCESS_KEY, OTHER_KEY] });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.setKnobs({
    latencyMs: 0,
    rateLimit: null,
    faults: {},
    faultPhase: 'before',
    faultActions: null,
    faultSeed: 1,
    throttleAnswer: { status: 400, code: 'Throttling.User' },
    timeoutHoldMs: 30_000,
  });
  emulator.state.reset();
});

const roam = ROAM_SCENARIOS.ok;
const roamQuery = {
  RegionId: roam.regionId,
  OriginRegionId: roam.originRegionId,
  OriginSmartAGId: roam.originSmartAgId,
  TargetSmartAGId: roam.targetSmartAgId,
  UserName: roam.userName,
};
const roamed = () => emulator.state.accounts(roam.targetSmartAgId).some((a) => a.userName === roam.userName);

describe('latency', () => {
  it('delays every answer by latencyMs', async () => {
    emulator.setKnobs({ latencyMs: 60 });
    const started = performance.now();
    await sdkCall(emulator, { algorithm: 'v3', action: 'DescribeRegions' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('rate limit', () => {
  it('answers Throttling.User (400) with x-acs-retry-after beyond the burst, per AccessKey', async () => {
    emulator.setKnobs({ rateLimit: { perSecond: 1, burst: 2 } });
    await sdkCall(emulator, { algorithm: 'v3', action: 'DescribeRegions' });
    await sdkCall(emulator, { algorithm: 'v2', action: 'DescribeRegions' });
    const error = (await sdkError(emulator, { algorithm: 'v3', action: 'DescribeRegions' })) as {
      code?: string;
      statusCode?: number;
      retryAfter?: number;
    };
    expect(error).toMatchObject({ code: 'Throttling.User', statusCode: 400 });
    expect(error.retryAfter).toBeGreaterThan(0);
    expect(error.retryAfter).toBeLessThanOrEqual(1000);
    const other = await sdkCall(emulator, { algorithm: 'v3', action: 'DescribeRegions', ...OTHER_KEY });
    expect(other.statusCode).toBe(200);
  });

  it('can answer 429 instead, and lifts when the knob is cleared', async () => {
    emulator.setKnobs({
      rateLimit: { perSecond: 1 },
      throttleAnswer: { status: 429, code: 'Throttling.Api' },
    });
    await sdkCall(emulator, { algorithm: 'v3', action: 'DescribeRegions' });
    expect(await sdkError(emulator, { algorithm: 'v3', action: 'DescribeRegions' })).toMatchObject({
      code: 'Throttling.Api',
      statusCode: 429,
    });
    emulator.setKnobs({ rateLimit: null });
    expect((await sdkCall(emulator, { algorithm: 'v3', action: 'DescribeRegions' })).statusCode).toBe(200);
  });
});

describe('faults', () => {
  it.each([
    ['status500', 'InternalError', 500],
    ['status503', 'ServiceUnavailable', 503],
    ['throttle', 'Throttling.User', 400],
  ] as const)('%s answers %s (%i)', async (kind, code, statusCode) => {
    emulator.setKnobs({ faults: { [kind]: 1 } });
    expect(await sdkError(emulator, { algorithm: 'v2', action: 'DescribeRegions' })).toMatchObject({
      code,
      statusCode,
    });
  });

  it('reset destroys the connection without an answer', async () => {
    emulator.setKnobs({ faults: { reset: 1 } });
    const error = await sdkError(emulator, { algorithm: 'v3', action: 'DescribeRegions' });
    expect(error.statusCode).toBeUndefined();
    expect(emulator.state.requestLog().at(-1)).toMatchObject({ outcome: 'Fault.Reset', httpStatus: null });
  });

  it('malformed answers 200 with a body no parser accepts', async () => {
    emulator.setKnobs({ faults: { malformed: 1 } });
    const error = await sdkError(emulator, { algorithm: 'v3', action: 'DescribeRegions' });
    expect(error.message).toMatch(/JSON/);
    const raw = await send(emulator, signedRequest(emulator, { scheme: 'v3', action: 'DescribeRegions' }));
    expect(raw.status).toBe(200);
    expect(() => JSON.parse(raw.text)).toThrow();
  });

  it('timeout holds the request until the client gives up', async () => {
    emulator.setKnobs({ faults: { timeout: 1 } });
    const started = performance.now();
    const error = await sdkError(emulator, { algorithm: 'v3', action: 'DescribeRegions', readTimeout: 150 });
    expect(error.message).toMatch(/timeout/i);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(emulator.state.requestLog().at(-1)).toMatchObject({ outcome: 'Fault.Timeout', fault: 'timeout' });
  });

  it('timeout drops the connection after timeoutHoldMs at the latest', async () => {
    emulator.setKnobs({ faults: { timeout: 1 }, timeoutHoldMs: 100 });
    await expect(
      send(emulator, signedRequest(emulator, { scheme: 'v3', action: 'DescribeRegions' })),
    ).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it("after-phase RoamClientUser: applied, but the client never learns it ('after' is the nasty case)", async () => {
    emulator.setKnobs({ faults: { status503: 1 }, faultPhase: 'after' });
    expect(
      await sdkError(emulator, { algorithm: 'v3', action: 'RoamClientUser', query: roamQuery }),
    ).toMatchObject({
      code: 'ServiceUnavailable',
    });
    expect(roamed()).toBe(true);
    expect(emulator.state.roamCount(roam.targetSmartAgId, roam.userName)).toEqual({
      requests: 1,
      applied: 1,
    });
    expect(emulator.state.requestLog().at(-1)).toMatchObject({
      applied: true,
      fault: 'status503',
      faultPhase: 'after',
    });
  });

  it('before-phase RoamClientUser: nothing applied', async () => {
    emulator.setKnobs({ faults: { reset: 1 }, faultPhase: 'before' });
    await sdkError(emulator, { algorithm: 'v3', action: 'RoamClientUser', query: roamQuery });
    expect(roamed()).toBe(false);
    expect(emulator.state.roamCount(roam.targetSmartAgId, roam.userName)).toEqual({
      requests: 1,
      applied: 0,
    });
  });

  it('faultActions restricts faults to the listed actions', async () => {
    emulator.setKnobs({ faults: { status500: 1 }, faultActions: ['RoamClientUser'] });
    expect((await sdkCall(emulator, { algorithm: 'v3', action: 'DescribeRegions' })).statusCode).toBe(200);
    expect(
      await sdkError(emulator, { algorithm: 'v3', action: 'RoamClientUser', query: roamQuery }),
    ).toMatchObject({
      code: 'InternalError',
    });
  });

  it('is deterministic for a given faultSeed, including random phases', async () => {
    const run = async () => {
      emulator.setKnobs({ faults: { status500: 0.3, throttle: 0.2 }, faultPhase: 'random', faultSeed: 42 });
      emulator.state.reset();
      for (let index = 0; index < 30; index += 1) {
        await sdkCall(emulator, { algorithm: 'v3', action: 'DescribeRegions' }).catch(() => undefined);
      }
      return emulator.state.requestLog().map((entry) => `${entry.outcome}/${entry.faultPhase}`);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const faulted = first.filter((outcome) => outcome !== 'OK/null').length;
    expect(faulted).toBeGreaterThan(5);
    expect(faulted).toBeLessThan(25);
    expect(first.some((outcome) => outcome.endsWith('/after'))).toBe(true);
    expect(first.some((outcome) => outcome.endsWith('/before'))).toBe(true);
  });

  it('rejects knob values out of range', () => {
    expect(() => emulator.setKnobs({ faults: { status500: 1.5 } })).toThrow(/0\.\.1/);
    expect(() => emulator.setKnobs({ rateLimit: { perSecond: 0 } })).toThrow(/perSecond/);
  });
});

describe('close()', () => {
  it('releases a held request and stops listening', async () => {
    const local = await startEmulator({ knobs: { faults: { timeout: 1 } } });
    const pending = send(local, signedRequest(local, { scheme: 'v3', action: 'DescribeRegions' }));
    // The request is held once the log shows it; poll the log rather than sleep a fixed time.
    await expect.poll(() => local.state.requestLog().length).toBe(1);
    await local.close();
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
    await expect(
      send(local, signedRequest(local, { scheme: 'v3', action: 'DescribeRegions' })),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses a non-loopback host', async () => {
    await expect(startEmulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});
